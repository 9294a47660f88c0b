package io.esteira.invoice.config;

import java.time.Clock;

import io.esteira.shared.aws.EsteiraAwsProperties;
import io.esteira.shared.outbox.SqsOutboxRelay;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Settings, the clock, and the outbox relay that sends status events to SQS after each commit. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ EsteiraAwsProperties.class, InvoiceProperties.class })
@Import(SqsOutboxRelay.class)
class InvoiceConfiguration {

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
