package io.esteira.crmsync.crm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The gate of the running service, on a real shared limiter: pauses, penalties and what they are counted as. */
class CrmCallGateTest {

	private static final Instant NOW = Instant.parse("2026-11-22T15:30:00Z");

	private static final Duration CREDENTIALS_PAUSE = Duration.ofMinutes(5);

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final CrmAvailability availability = new CrmAvailability(this.clock, this.meters);

	private final RateLimitBuckets buckets = new RateLimitBuckets();

	@AfterEach
	void dropSchema() {
		this.buckets.close();
	}

	@Test
	void noRequestGoesOutWhileCallsArePaused() {
		CrmRateLimiter limiter = this.buckets.limiter(settings(100_000, Duration.ofSeconds(1)));
		CrmCallGate gate = gate(limiter, ZoneOffset.UTC);
		this.availability.pauseUntil(CrmUnavailableException.Reason.CREDENTIALS_REFUSED,
				"HubSpot refused the key (401)", NOW.plus(CREDENTIALS_PAUSE));

		CrmUnavailableException refused = catchThrowableOfType(CrmUnavailableException.class,
				() -> gate.beforeRequest(CrmRequestGate.Kind.STANDARD));

		assertThat(refused.reason()).isEqualTo(CrmUnavailableException.Reason.CREDENTIALS_REFUSED);
		assertThat(refused).hasMessage("CRM calls paused: HubSpot refused the key (401)");
		assertThat(refused.retryAfter()).contains(CREDENTIALS_PAUSE);
		// No token was taken for it.
		assertThat(limiter.availableTokens()).isEqualTo(5);
	}

	@Test
	void crmRateLimitSpendsTheWindowForEveryReplicaAndIsCounted() {
		CrmRateLimiter.Settings settings = settings(100_000, Duration.ofMillis(200));
		CrmCallGate gate = gate(this.buckets.limiter(settings), ZoneOffset.UTC);
		SimpleMeterRegistry otherMeters = new SimpleMeterRegistry();
		CrmAvailability otherAvailability = new CrmAvailability(this.clock, otherMeters);
		CrmCallGate otherReplica = new CrmCallGate(this.buckets.limiter(settings), otherAvailability, this.clock,
				ZoneOffset.UTC, CREDENTIALS_PAUSE);

		gate.onUnavailable(new CrmUnavailableException(CrmUnavailableException.Reason.RATE_LIMITED,
				"HubSpot rate limit reached (TEN_SECONDLY_ROLLING) on the update of 3 contacts", null, null));
		CrmUnavailableException throttled = catchThrowableOfType(CrmUnavailableException.class,
				() -> otherReplica.beforeRequest(CrmRequestGate.Kind.STANDARD));

		assertThat(this.meters.get("esteira.crm.rate.limited").tag("source", "crm").counter().count()).isEqualTo(1);
		assertThat(throttled.reason()).isEqualTo(CrmUnavailableException.Reason.THROTTLED);
		assertThat(otherMeters.get("esteira.crm.rate.limited").tag("source", "client").counter().count())
			.isEqualTo(1);
		// A 429 is no reason to stop consuming: the window refills.
		assertThat(this.availability.currentPause()).isEmpty();
		assertThat(otherAvailability.currentPause()).isEmpty();
	}

	@Test
	void dailyLimitPausesEveryCallUntilMidnightInTheAccountsZone() {
		CrmRateLimiter limiter = this.buckets.limiter(settings(100_000, Duration.ofSeconds(1)));
		CrmCallGate gate = gate(limiter, ZoneId.of("America/Sao_Paulo"));

		gate.onUnavailable(new CrmUnavailableException(CrmUnavailableException.Reason.DAILY_LIMIT,
				"HubSpot rate limit reached (DAILY) on the update of 3 contacts", null, null));
		CrmUnavailableException paused = catchThrowableOfType(CrmUnavailableException.class,
				() -> gate.beforeRequest(CrmRequestGate.Kind.STANDARD));

		// 15:30 UTC is 12:30 in São Paulo (UTC-3): the quota resets at 03:00 UTC.
		assertThat(this.availability.currentPause()).map(CrmAvailability.Pause::until)
			.contains(Instant.parse("2026-11-23T03:00:00Z"));
		assertThat(paused.reason()).isEqualTo(CrmUnavailableException.Reason.DAILY_LIMIT);
		assertThat(paused.retryAfter()).contains(Duration.ofHours(11).plusMinutes(30));
		assertThat(this.availability.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(this.meters.get("esteira.crm.daily.limit.reached").counter().count()).isEqualTo(1);
		assertThat(this.meters.get("esteira.crm.paused").gauge().value()).isEqualTo(1);
		assertThat(limiter.availableTokens()).isEqualTo(5);
	}

	@Test
	void refusedKeyPausesCallsForTheCredentialsPause() {
		CrmCallGate gate = gate(this.buckets.limiter(settings(100_000, Duration.ofSeconds(1))), ZoneOffset.UTC);
		List<Optional<CrmAvailability.Pause>> changes = new ArrayList<>();
		this.availability.onChange(changes::add);

		gate.onUnavailable(new CrmUnavailableException(CrmUnavailableException.Reason.CREDENTIALS_REFUSED,
				"HubSpot refused the key (401) on the read of 1 contacts", null, null));
		CrmUnavailableException paused = catchThrowableOfType(CrmUnavailableException.class,
				() -> gate.beforeRequest(CrmRequestGate.Kind.SEARCH));

		assertThat(this.availability.currentPause()).map(CrmAvailability.Pause::until)
			.contains(NOW.plus(CREDENTIALS_PAUSE));
		assertThat(paused.reason()).isEqualTo(CrmUnavailableException.Reason.CREDENTIALS_REFUSED);
		assertThat(this.availability.health().getStatus()).isEqualTo(Status.DOWN);
		assertThat(changes).singleElement().satisfies((pause) -> assertThat(pause).isPresent());

		this.availability.resume();

		assertThat(this.availability.health().getStatus()).isEqualTo(Status.UP);
		assertThat(changes).hasSize(2).last().isEqualTo(Optional.empty());
	}

	@Test
	void noTokenInTimeIsCountedAsRateLimitedByTheClientAndPausesNothing() {
		CrmRateLimiter limiter = this.buckets.limiter(settings(100_000, Duration.ofMillis(50)));
		CrmCallGate gate = gate(limiter, ZoneOffset.UTC);
		for (int i = 0; i < 5; i++) {
			gate.beforeRequest(CrmRequestGate.Kind.STANDARD);
		}

		CrmUnavailableException throttled = catchThrowableOfType(CrmUnavailableException.class,
				() -> gate.beforeRequest(CrmRequestGate.Kind.STANDARD));

		assertThat(throttled.reason()).isEqualTo(CrmUnavailableException.Reason.THROTTLED);
		assertThat(throttled.countsAsAttempt()).isFalse();
		assertThat(this.meters.get("esteira.crm.rate.limited").tag("source", "client").counter().count())
			.isEqualTo(1);
		assertThat(this.meters.find("esteira.crm.rate.limited").tag("source", "crm").counter()).isNull();
		assertThat(this.availability.currentPause()).isEmpty();
	}

	@Test
	void usedUpDailyTokensPauseCallsUntilTheyComeBack() {
		CrmRateLimiter limiter = this.buckets.limiter(settings(1, Duration.ofSeconds(1)));
		CrmCallGate gate = gate(limiter, ZoneOffset.UTC);
		gate.beforeRequest(CrmRequestGate.Kind.STANDARD);

		CrmUnavailableException limited = catchThrowableOfType(CrmUnavailableException.class,
				() -> gate.beforeRequest(CrmRequestGate.Kind.STANDARD));
		CrmUnavailableException paused = catchThrowableOfType(CrmUnavailableException.class,
				() -> gate.beforeRequest(CrmRequestGate.Kind.STANDARD));

		assertThat(limited.reason()).isEqualTo(CrmUnavailableException.Reason.DAILY_LIMIT);
		assertThat(this.availability.currentPause()).hasValueSatisfying((pause) -> {
			assertThat(pause.reason()).isEqualTo(CrmUnavailableException.Reason.DAILY_LIMIT);
			assertThat(pause.until()).isEqualTo(NOW.plus(limited.retryAfter().orElseThrow()));
		});
		assertThat(paused).hasMessageStartingWith("CRM calls paused: ");
		assertThat(this.meters.get("esteira.crm.daily.limit.reached").counter().count()).isEqualTo(1);
	}

	@Test
	void aFewTransientFailuresPauseNothingAndSpendNoTokens() {
		CrmRateLimiter limiter = this.buckets.limiter(settings(100_000, Duration.ofSeconds(1)));
		CrmCallGate gate = gate(limiter, ZoneOffset.UTC);

		gate.onUnavailable(new CrmUnavailableException("HubSpot answered 503 to the read of 1 contacts", null));
		gate.onUnavailable(new CrmUnavailableException(CrmUnavailableException.Reason.THROTTLED,
				"another delivery is working on it", null, null));

		assertThat(this.availability.currentPause()).isEmpty();
		assertThat(this.availability.health().getStatus()).isEqualTo(Status.UP);
		assertThat(this.meters.find("esteira.crm.rate.limited").counter()).isNull();
		assertThat(limiter.availableTokens()).isEqualTo(5);
	}

	@Test
	void failuresInARowPauseCallsAsAnOutageLongerWhileProbesFailUntilTheCrmServesAgain() {
		CrmCallGate gate = gate(this.buckets.limiter(settings(100_000, Duration.ofSeconds(1))), ZoneOffset.UTC);
		for (int i = 0; i < 4; i++) {
			CrmUnavailableException failure = gate
				.onUnavailable(new CrmUnavailableException("HubSpot answered 503 to the update of 1 contacts", null));
			assertThat(failure.countsAsAttempt()).isTrue();
		}
		assertThat(this.availability.currentPause()).isEmpty();

		CrmUnavailableException fifth = gate
			.onUnavailable(new CrmUnavailableException("HubSpot answered 503 to the update of 1 contacts", null));

		// The failure that shows the CRM is down is no attempt either: an outage costs an upload at most 4.
		assertThat(fifth.reason()).isEqualTo(CrmUnavailableException.Reason.OUTAGE);
		assertThat(fifth.countsAsAttempt()).isFalse();
		assertThat(fifth.retryAfter()).contains(Duration.ofSeconds(30));
		assertThat(this.availability.currentPause()).hasValueSatisfying((pause) -> {
			assertThat(pause.reason()).isEqualTo(CrmUnavailableException.Reason.OUTAGE);
			assertThat(pause.until()).isEqualTo(NOW.plusSeconds(30));
			assertThat(pause.message()).startsWith("5 CRM requests failed in a row, the last: HubSpot answered 503");
		});
		CrmUnavailableException paused = catchThrowableOfType(CrmUnavailableException.class,
				() -> gate.beforeRequest(CrmRequestGate.Kind.STANDARD));
		assertThat(paused.reason()).isEqualTo(CrmUnavailableException.Reason.OUTAGE);
		// Waiting for the CRM to come back is no attempt of the uploads held up.
		assertThat(paused.countsAsAttempt()).isFalse();
		assertThat(paused.pausesTheConsumer()).isTrue();
		assertThat(this.availability.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);

		// The pause is over (its time came); the request that probes fails too: a pause twice as long, at once.
		this.availability.resume();
		CrmUnavailableException probe = gate
			.onUnavailable(new CrmUnavailableException("HubSpot could not be reached (read timed out)", null));
		assertThat(probe.countsAsAttempt()).isFalse();
		assertThat(this.availability.currentPause()).map(CrmAvailability.Pause::until).contains(NOW.plusSeconds(60));

		// The CRM serves again: what follows counts from zero, and a new outage starts at 30 s.
		this.availability.resume();
		gate.onServed();
		for (int i = 0; i < 4; i++) {
			gate.onUnavailable(new CrmUnavailableException("HubSpot answered 502", null));
		}
		assertThat(this.availability.currentPause()).isEmpty();
		gate.onUnavailable(new CrmUnavailableException("HubSpot answered 502", null));
		assertThat(this.availability.currentPause()).map(CrmAvailability.Pause::until).contains(NOW.plusSeconds(30));
	}

	@Test
	void anOutagePauseIsCappedAtItsLongest() {
		CrmCallGate gate = new CrmCallGate(this.buckets.limiter(settings(100_000, Duration.ofSeconds(1))),
				this.availability, this.clock, ZoneOffset.UTC, CREDENTIALS_PAUSE,
				new CrmCallGate.Outage(2, Duration.ofSeconds(30), Duration.ofMinutes(2)));
		gate.onUnavailable(new CrmUnavailableException("HubSpot answered 500", null));
		for (int probe = 0; probe < 10; probe++) {
			gate.onUnavailable(new CrmUnavailableException("HubSpot answered 500", null));
			this.availability.resume();
		}
		gate.onUnavailable(new CrmUnavailableException("HubSpot answered 500", null));
		assertThat(this.availability.currentPause()).map(CrmAvailability.Pause::until)
			.contains(NOW.plus(Duration.ofMinutes(2)));
	}

	@Test
	void timeWaitedForTokensIsMeasured() {
		CrmCallGate gate = gate(this.buckets.limiter(settings(100_000, Duration.ofSeconds(2))), ZoneOffset.UTC);

		// Five at once, the sixth after about 133 ms.
		for (int i = 0; i < 6; i++) {
			gate.beforeRequest(CrmRequestGate.Kind.STANDARD);
		}

		assertThat(this.meters.get("esteira.crm.ratelimit.wait").timer().count()).isEqualTo(6);
		assertThat(this.meters.get("esteira.crm.ratelimit.wait").timer().max(TimeUnit.MILLISECONDS))
			.isGreaterThanOrEqualTo(50);
	}

	private CrmCallGate gate(CrmRateLimiter limiter, ZoneId dailyResetZone) {
		return new CrmCallGate(limiter, this.availability, this.clock, dailyResetZone, CREDENTIALS_PAUSE);
	}

	/** 20 requests per 2 s, 5 of them at once. */
	private static CrmRateLimiter.Settings settings(long daily, Duration maxWait) {
		return new CrmRateLimiter.Settings("hubspot", 20, 5, Duration.ofSeconds(2), Duration.ZERO, daily, 4, maxWait);
	}

}
