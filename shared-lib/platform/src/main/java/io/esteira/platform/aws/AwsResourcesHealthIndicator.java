package io.esteira.platform.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness of a service's AWS resources: {@code UP} while every bucket and queue of its {@link RequiredAwsResources}
 * answers, {@code DOWN} (naming each one that does not, and why) while any is missing or unreachable — after an
 * emulator restart that lost its state, say, or a queue deleted by mistake. It recovers by itself once they are back;
 * the listeners keep polling meanwhile.
 * <p>
 * A probe asks every few seconds; the answer is reused for {@code maxAge} (5 s in every service), so the checks cost
 * at most one {@code HeadBucket} or {@code GetQueueUrl} per resource per {@code maxAge}, whatever the probe rate.
 */
public class AwsResourcesHealthIndicator implements HealthIndicator {

	/** A check that throws when its resource is missing or cannot be reached. */
	@FunctionalInterface
	public interface Check {

		void run() throws Exception;

	}

	private final Map<String, Check> checks;

	private final Duration maxAge;

	private final Clock clock;

	private Health last;

	private Instant checkedAt = Instant.MIN;

	/**
	 * @param checks one per resource, by the name it has in the health details (e.g. {@code bucket esteira-uploads})
	 */
	public AwsResourcesHealthIndicator(Map<String, Check> checks, Duration maxAge, Clock clock) {
		this.checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
		this.maxAge = maxAge;
		this.clock = clock;
	}

	@Override
	public synchronized Health health() {
		Instant now = this.clock.instant();
		if (this.last == null || !now.isBefore(this.checkedAt.plus(this.maxAge))) {
			this.last = check();
			this.checkedAt = now;
		}
		return this.last;
	}

	private Health check() {
		Map<String, Object> missing = new LinkedHashMap<>();
		this.checks.forEach((name, check) -> {
			try {
				check.run();
			}
			catch (Exception ex) {
				Throwable cause = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
				missing.put(name, cause.getClass().getSimpleName() + ": " + cause.getMessage());
			}
		});
		Health.Builder health = missing.isEmpty() ? Health.up() : Health.down().withDetails(missing);
		return health.withDetail("checked", this.checks.size()).build();
	}

}
