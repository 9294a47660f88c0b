package io.esteira.platform.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How one step retries a transient failure, like a Step Functions {@code Retry}: attempt {@code n} (1-based) that
 * fails is retried after {@code min(initialInterval * backoffRate^(n-1), maxDelay)}, with full jitter (a uniformly
 * random delay between zero and that value) unless jitter is {@link Jitter#NONE}. Errors that are the input's fault
 * are never retried, whatever the policy says.
 *
 * @param maxAttempts deliveries in all, the first included; after the last the step is {@code FAILED} and the message
 * goes to the dead-letter queue, so keep it equal to the queue's {@code maxReceiveCount} (default 5)
 * @param initialInterval the delay after the first failure (default 2 s)
 * @param backoffRate the factor between consecutive delays (default 2.0)
 * @param maxDelay the longest delay (default 5 min; SQS allows at most 12 h)
 * @param jitter whether delays are randomised (default {@link Jitter#FULL})
 */
public record RetryPolicy(@DefaultValue("5") @Min(1) int maxAttempts,
		@DefaultValue("2s") @NotNull Duration initialInterval, @DefaultValue("2.0") @DecimalMin("1.0") double backoffRate,
		@DefaultValue("5m") @NotNull Duration maxDelay, @DefaultValue("FULL") @NotNull Jitter jitter) {

	/** The longest visibility timeout SQS accepts, in seconds (12 hours). */
	public static final int MAX_VISIBILITY_SECONDS = 43_200;

	/** The default policy: 5 attempts, 2 s doubling up to 5 min, full jitter. */
	public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(2), 2.0, Duration.ofMinutes(5),
			Jitter.FULL);

	/** Whether retry delays are randomised; {@link #FULL} spreads retries of many failures over time. */
	public enum Jitter {

		NONE, FULL

	}

	/** Whether {@code attempt} (1-based) was the last one the policy allows. */
	public boolean isLastAttempt(int attempt) {
		return attempt >= this.maxAttempts;
	}

	/** The delay before the attempt after {@code attempt} (1-based), without jitter. */
	public Duration backoff(int attempt) {
		double millis = this.initialInterval.toMillis() * Math.pow(this.backoffRate, Math.max(0, attempt - 1));
		long capped = (long) Math.min(millis, this.maxDelay.toMillis());
		return Duration.ofMillis(Math.max(0, capped));
	}

	/** The delay before the attempt after {@code attempt}, with the policy's jitter. */
	public Duration delay(int attempt) {
		return delay(attempt, ThreadLocalRandom.current());
	}

	/** The delay before the attempt after {@code attempt}, with jitter drawn from {@code random}. */
	public Duration delay(int attempt, RandomGenerator random) {
		Duration backoff = backoff(attempt);
		if (this.jitter == Jitter.NONE || backoff.isZero()) {
			return backoff;
		}
		return Duration.ofMillis(random.nextLong(backoff.toMillis() + 1));
	}

	/** {@link #delay(int)} as an SQS visibility timeout: whole seconds, rounded up, within what SQS accepts. */
	public int visibilitySeconds(int attempt) {
		return toVisibilitySeconds(delay(attempt));
	}

	/** A delay as an SQS visibility timeout: whole seconds, rounded up, between 0 and 12 hours. */
	public static int toVisibilitySeconds(Duration delay) {
		long seconds = (delay.toMillis() + 999) / 1000;
		return (int) Math.max(0, Math.min(MAX_VISIBILITY_SECONDS, seconds));
	}

}
