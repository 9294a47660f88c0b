package io.esteira.platform.retry;

import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {

	@Test
	void backoffGrowsByTheRateUpToTheMaximum() {
		RetryPolicy policy = new RetryPolicy(6, Duration.ofSeconds(2), 3.0, Duration.ofSeconds(30),
				RetryPolicy.Jitter.NONE);
		assertThat(policy.delay(1)).isEqualTo(Duration.ofSeconds(2));
		assertThat(policy.delay(2)).isEqualTo(Duration.ofSeconds(6));
		assertThat(policy.delay(3)).isEqualTo(Duration.ofSeconds(18));
		assertThat(policy.delay(4)).isEqualTo(Duration.ofSeconds(30));
		assertThat(policy.delay(40)).isEqualTo(Duration.ofSeconds(30));
		assertThat(policy.isLastAttempt(5)).isFalse();
		assertThat(policy.isLastAttempt(6)).isTrue();
	}

	@Test
	void fullJitterStaysBetweenZeroAndTheBackoffAndSpreads() {
		RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(10), 2.0, Duration.ofMinutes(5),
				RetryPolicy.Jitter.FULL);
		SplittableRandom random = new SplittableRandom(42);
		long min = Long.MAX_VALUE;
		long max = 0;
		for (int i = 0; i < 1000; i++) {
			long millis = policy.delay(2, random).toMillis();
			assertThat(millis).isBetween(0L, 20_000L);
			min = Math.min(min, millis);
			max = Math.max(max, millis);
		}
		assertThat(min).isLessThan(5_000);
		assertThat(max).isGreaterThan(15_000);
	}

	@Test
	void visibilityIsWholeSecondsRoundedUpWithinWhatSqsAccepts() {
		assertThat(RetryPolicy.toVisibilitySeconds(Duration.ofMillis(1))).isEqualTo(1);
		assertThat(RetryPolicy.toVisibilitySeconds(Duration.ZERO)).isZero();
		assertThat(RetryPolicy.toVisibilitySeconds(Duration.ofDays(2))).isEqualTo(RetryPolicy.MAX_VISIBILITY_SECONDS);
	}

	@Test
	void stepsBindTheirOwnPolicyAndTheOthersTheDefault() {
		Binder binder = new Binder(new MapConfigurationPropertySource(Map.of("esteira.retry.default.max-attempts", "4",
				"esteira.retry.steps.thumbnail.max-attempts", "2", "esteira.retry.steps.thumbnail.backoff-rate", "1.5",
				"esteira.retry.steps.thumbnail.jitter", "none")));
		RetryPolicies policies = binder.bindOrCreate("esteira.retry", Bindable.of(RetryPolicies.class));
		assertThat(policies.forStep("invoice-import")).isEqualTo(new RetryPolicy(4, Duration.ofSeconds(2), 2.0,
				Duration.ofMinutes(5), RetryPolicy.Jitter.FULL));
		assertThat(policies.forStep("thumbnail")).isEqualTo(new RetryPolicy(2, Duration.ofSeconds(2), 1.5,
				Duration.ofMinutes(5), RetryPolicy.Jitter.NONE));
	}

	@Test
	void withoutPropertiesEveryStepGetsTheDefaultPolicy() {
		RetryPolicies policies = new Binder(new MapConfigurationPropertySource(Map.of()))
			.bindOrCreate("esteira.retry", Bindable.of(RetryPolicies.class));
		assertThat(policies.forStep("anything")).isEqualTo(RetryPolicy.DEFAULT);
	}

	@Test
	void attemptComesFromTheReceiveCount() {
		assertThat(SqsAttempts.attempt("3")).isEqualTo(3);
		assertThat(SqsAttempts.attempt(null)).isEqualTo(1);
		assertThat(SqsAttempts.attempt("x")).isEqualTo(1);
		assertThat(SqsAttempts.attempt("0")).isEqualTo(1);
	}

}
