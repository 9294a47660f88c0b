package io.esteira.invoice.config;

import java.util.List;

import io.esteira.platform.aws.EsteiraAwsProperties;
import io.esteira.platform.aws.RequiredAwsResources;
import io.esteira.platform.outbox.SqsOutboxRelay;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The service's settings and readiness, and the outbox relay that sends status events to SQS after each commit. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(InvoiceProperties.class)
@Import(SqsOutboxRelay.class)
class InvoiceConfiguration {

	/** Readiness: the buckets it reads invoices from and writes error reports to, its queue and the status queue. */
	@Bean
	RequiredAwsResources requiredAwsResources(EsteiraAwsProperties aws) {
		return new RequiredAwsResources(List.of(aws.uploadsBucket(), aws.outputBucket()),
				List.of(aws.queues().invoices(), aws.queues().status()));
	}

}
