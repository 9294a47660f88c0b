package io.esteira.platform.outbox;

import java.time.Clock;
import java.time.Duration;

import io.esteira.platform.retry.RetryPolicies;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.modulith.events.FailedEventPublications;

/**
 * The outbox's resubmission of failed publications ({@link OutboxResubmission}, every
 * {@code esteira.outbox.check-interval}, 5 s by default) and its backlog metrics ({@link OutboxMetrics}), wherever
 * Spring Modulith's event publication registry is.
 */
@AutoConfiguration(afterName = { "io.esteira.platform.config.PlatformAutoConfiguration",
		"org.springframework.modulith.events.config.EventPublicationAutoConfiguration",
		"org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration" })
@ConditionalOnClass(FailedEventPublications.class)
@ConditionalOnBean(FailedEventPublications.class)
public class OutboxAutoConfiguration {

	@Bean
	OutboxResubmission outboxResubmission(FailedEventPublications failed, RetryPolicies policies,
			ObjectProvider<OutboxStep> steps, Clock clock,
			@Value("${esteira.outbox.check-interval:5s}") Duration checkInterval) {
		return new OutboxResubmission(failed, policies, steps.orderedStream().toList(), clock, checkInterval);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(JdbcOperations.class)
	static class OutboxMetricsConfiguration {

		@Bean
		OutboxMetrics outboxMetrics(JdbcOperations jdbc, Clock clock) {
			return new OutboxMetrics(jdbc, clock);
		}

	}

}
