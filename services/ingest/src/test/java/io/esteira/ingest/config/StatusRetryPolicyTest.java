package io.esteira.ingest.config;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import io.esteira.contracts.event.PipelineNames;
import io.esteira.platform.retry.RetryPolicies;
import io.esteira.platform.retry.RetryPolicy;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status queue's reports ride out an outage of ingest's database or S3 of at least 5 minutes before one goes to
 * {@code esteira-status-dlq}: the shipped policy's delays between its attempts, which have no jitter, add up to more
 * (the retry itself is tested in {@code StatusTimelineTest}).
 */
class StatusRetryPolicyTest {

	@Test
	void theShippedStatusPolicyRidesOutAFiveMinuteOutage() throws IOException {
		RetryPolicy status = shippedPolicies().forStep(PipelineNames.Steps.STATUS);

		assertThat(status.jitter()).isEqualTo(RetryPolicy.Jitter.NONE);
		Duration waited = Duration.ZERO;
		for (int attempt = 1; attempt < status.maxAttempts(); attempt++) {
			waited = waited.plus(status.delay(attempt));
		}
		assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMinutes(5));
	}

	private static RetryPolicies shippedPolicies() throws IOException {
		List<PropertySource<?>> yaml = new YamlPropertySourceLoader().load("application.yml",
				new ClassPathResource("application.yml"));
		StandardEnvironment environment = new StandardEnvironment();
		yaml.forEach(environment.getPropertySources()::addLast);
		return Binder.get(environment).bindOrCreate("esteira.retry", RetryPolicies.class);
	}

}
