package io.esteira.platform.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.esteira.platform.retry.RetryPolicies;
import io.esteira.platform.retry.RetryPolicy;
import org.junit.jupiter.api.Test;

import org.springframework.modulith.events.EventPublication;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxResubmissionTest {

	private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

	private static final RetryPolicy OUTBOX = new RetryPolicy(1000, Duration.ofSeconds(1), 2.0,
			Duration.ofSeconds(30), RetryPolicy.Jitter.NONE);

	private static final RetryPolicy NOTIFIED = new RetryPolicy(3, Duration.ofSeconds(10), 2.0,
			Duration.ofMinutes(5), RetryPolicy.Jitter.NONE);

	private final OutboxResubmission resubmission = new OutboxResubmission((options) -> {
	}, new RetryPolicies(OUTBOX, Map.of(OutboxResubmission.STEP, OUTBOX, "notified", NOTIFIED)),
			List.of((event) -> (event instanceof Notification) ? "notified" : null), Clock.fixed(NOW, ZoneOffset.UTC),
			Duration.ofSeconds(5));

	@Test
	void aFailedSendIsTriedAgainOnceItsStepsDelayHasPassed() {
		// Attempt 3 failed: the outbox policy waits 1 s * 2^2 = 4 s.
		assertThat(this.resubmission.isDue(publication("status event", 3, NOW.minusSeconds(3)))).isFalse();
		assertThat(this.resubmission.isDue(publication("status event", 3, NOW.minusSeconds(4)))).isTrue();
	}

	@Test
	void theDelayStopsGrowingAtTheStepsMaximumSoASendRecoversSoonAfterTheBrokerIsBack() {
		assertThat(this.resubmission.isDue(publication("status event", 200, NOW.minusSeconds(30)))).isTrue();
	}

	@Test
	void anEventAnOutboxStepClaimsFollowsThatStepsPolicyAndItsAttemptCap() {
		assertThat(this.resubmission.isDue(publication(new Notification(), 1, NOW.minusSeconds(9)))).isFalse();
		assertThat(this.resubmission.isDue(publication(new Notification(), 1, NOW.minusSeconds(10)))).isTrue();
		assertThat(this.resubmission.isDue(publication(new Notification(), 3, NOW.minus(Duration.ofHours(1)))))
			.as("after the notified step's third attempt the publication stays failed")
			.isFalse();
	}

	record Notification() {
	}

	private static EventPublication publication(Object event, int attempts, Instant lastTry) {
		UUID id = UUID.nameUUIDFromBytes(event.toString().getBytes());
		return new EventPublication() {

			@Override
			public UUID getIdentifier() {
				return id;
			}

			@Override
			public Object getEvent() {
				return event;
			}

			@Override
			public Instant getPublicationDate() {
				return lastTry.minusSeconds(60);
			}

			@Override
			public Optional<Instant> getCompletionDate() {
				return Optional.empty();
			}

			@Override
			public Status getStatus() {
				return Status.FAILED;
			}

			@Override
			public Instant getLastResubmissionDate() {
				return lastTry;
			}

			@Override
			public int getCompletionAttempts() {
				return attempts;
			}

		};
	}

}
