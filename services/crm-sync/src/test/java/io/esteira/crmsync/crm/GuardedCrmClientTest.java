package io.esteira.crmsync.crm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class GuardedCrmClientTest {

	private static final Instant NOW = Instant.parse("2026-11-22T15:30:00Z");

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final CrmAvailability availability = new CrmAvailability(this.clock, this.meters);

	private final AtomicInteger calls = new AtomicInteger();

	@Test
	void dailyLimitPausesEveryCallUntilMidnightInTheAccountsZoneAndRaisesTheMetric() {
		GuardedCrmClient client = guarding(failingWith(new CrmUnavailableException(
				CrmUnavailableException.Reason.DAILY_LIMIT, "HubSpot rate limit reached (DAILY)", null, null)),
				ZoneId.of("America/Sao_Paulo"));

		assertThatExceptionOfType(CrmUnavailableException.class)
			.isThrownBy(() -> client.updateContactProperty("1", "p", "v"));
		CrmUnavailableException paused = org.assertj.core.api.Assertions
			.catchThrowableOfType(CrmUnavailableException.class, () -> client.updateContactProperty("2", "p", "v"));

		assertThat(this.calls).hasValue(1);
		assertThat(paused.reason()).isEqualTo(CrmUnavailableException.Reason.DAILY_LIMIT);
		// 15:30 UTC is 12:30 in São Paulo (UTC-3): the quota resets at 03:00 UTC.
		assertThat(this.availability.currentPause()).map(CrmAvailability.Pause::until)
			.contains(Instant.parse("2026-11-23T03:00:00Z"));
		assertThat(paused.retryAfter()).contains(Duration.ofHours(11).plusMinutes(30));
		assertThat(this.availability.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(this.meters.get("esteira.crm.daily.limit.reached").counter().count()).isEqualTo(1);
		assertThat(this.meters.get("esteira.crm.paused").gauge().value()).isEqualTo(1);
	}

	@Test
	void refusedTokenPausesCallsAndTakesHealthDown() {
		GuardedCrmClient client = guarding(failingWith(new CrmUnavailableException(
				CrmUnavailableException.Reason.CREDENTIALS_REFUSED, "HubSpot refused the token (401)", null, null)),
				ZoneOffset.UTC);
		java.util.List<Optional<CrmAvailability.Pause>> changes = new java.util.ArrayList<>();
		this.availability.onChange(changes::add);

		assertThatExceptionOfType(CrmUnavailableException.class).isThrownBy(() -> client.findContact("1"));
		assertThatExceptionOfType(CrmUnavailableException.class).isThrownBy(() -> client.findContact("1"));

		assertThat(this.calls).hasValue(1);
		assertThat(this.availability.health().getStatus()).isEqualTo(Status.DOWN);
		assertThat(this.availability.health().getDetails()).containsEntry("reason", "CREDENTIALS_REFUSED");
		assertThat(changes).singleElement().satisfies((pause) -> assertThat(pause).isPresent());

		this.availability.resume();

		assertThat(this.availability.health().getStatus()).isEqualTo(Status.UP);
		assertThat(changes).hasSize(2).last().isEqualTo(Optional.empty());
	}

	@Test
	void transientFailuresPauseNothing() {
		GuardedCrmClient client = guarding(failingWith(new CrmUnavailableException("HubSpot answered 503", null)),
				ZoneOffset.UTC);

		assertThatExceptionOfType(CrmUnavailableException.class).isThrownBy(() -> client.findContact("1"));
		assertThatExceptionOfType(CrmUnavailableException.class).isThrownBy(() -> client.findContact("1"));

		assertThat(this.calls).hasValue(2);
		assertThat(this.availability.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void timeWaitedForRateLimitTokensIsMeasured() {
		AtomicLong nanos = new AtomicLong();
		// One token a second, and a sleeper that moves the limiter's clock instead of sleeping.
		RateLimiter limiter = new RateLimiter(1, Duration.ofSeconds(1), Duration.ofSeconds(5), nanos::get,
				nanos::addAndGet);
		GuardedCrmClient client = new GuardedCrmClient(failingWith(new CrmUnavailableException(
				CrmUnavailableException.Reason.TRANSIENT, "HubSpot answered 503", null, null)), limiter,
				this.availability, this.clock, ZoneOffset.UTC, Duration.ofMinutes(5), Duration.ofSeconds(10));

		assertThatExceptionOfType(CrmUnavailableException.class).isThrownBy(() -> client.findContact("1"));
		assertThatExceptionOfType(CrmUnavailableException.class).isThrownBy(() -> client.findContact("1"));

		Timer waits = this.meters.get("esteira.crm.ratelimit.wait").timer();
		assertThat(waits.count()).isEqualTo(2);
		assertThat(waits.max(TimeUnit.MILLISECONDS)).isEqualTo(1000);
		assertThat(waits.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1000);
	}

	private GuardedCrmClient guarding(CrmClient delegate, ZoneId zone) {
		return new GuardedCrmClient(delegate, new RateLimiter(100, Duration.ofSeconds(10), Duration.ofSeconds(1)),
				this.availability, this.clock, zone, Duration.ofMinutes(5), Duration.ofSeconds(10));
	}

	/** A CRM whose every call fails the same way, counting calls. */
	private CrmClient failingWith(CrmUnavailableException failure) {
		return new CrmClient() {

			private <T> T fail() {
				GuardedCrmClientTest.this.calls.incrementAndGet();
				throw failure;
			}

			@Override
			public Optional<CrmContact> findContact(String contactId) {
				return fail();
			}

			@Override
			public List<CrmContact> findContactsByEmail(String email) {
				return fail();
			}

			@Override
			public List<CrmContact> findContactsByPhone(PhoneNumber phone) {
				return fail();
			}

			@Override
			public void updateContactProperty(String contactId, String property, String value) {
				fail();
			}

			@Override
			public String createTask(CrmTask task) {
				return fail();
			}

			@Override
			public String createNote(CrmNote note) {
				return fail();
			}

			@Override
			public Optional<String> findTask(String marker) {
				return fail();
			}

			@Override
			public Optional<String> findNote(String marker) {
				return fail();
			}

			@Override
			public void ensureContactProperty(String name, String label) {
				fail();
			}

		};
	}

}
