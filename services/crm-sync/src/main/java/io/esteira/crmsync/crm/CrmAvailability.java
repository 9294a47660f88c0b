package io.esteira.crmsync.crm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.esteira.contracts.event.Tenants;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Whether the CRM can be called at all. A refused token (401) or a used-up daily quota make every request fail until
 * something changes, so the first such answer pauses all calls (and, through {@link #onChange}, the consumer) until
 * {@code until}. Health (indicator {@code crm}): {@code DOWN} while the token is refused, {@code OUT_OF_SERVICE} while
 * the daily quota is used up, {@code UP} otherwise. Metrics: {@code esteira.crm.paused} (1 while paused),
 * {@code esteira.crm.daily.limit.reached} and {@code esteira.crm.rate.limited} (counters, tag {@code source}).
 */
public class CrmAvailability implements HealthIndicator {

	/** Why and until when calls are paused. */
	public record Pause(CrmUnavailableException.Reason reason, String message, Instant until) {
	}

	private final Clock clock;

	private final AtomicReference<Pause> pause = new AtomicReference<>();

	private final List<Consumer<Optional<Pause>>> listeners = new CopyOnWriteArrayList<>();

	private final Counter dailyLimitReached;

	private final MeterRegistry meters;

	private final Timer tokenWaits;

	private final String tenant;

	/** The default tenant's CRM (the global connection). */
	public CrmAvailability(Clock clock, MeterRegistry meters) {
		this(clock, meters, Tenants.DEFAULT);
	}

	/** One tenant's CRM: its meters carry the tag {@code tenant}. */
	public CrmAvailability(Clock clock, MeterRegistry meters, String tenant) {
		this.clock = clock;
		this.meters = meters;
		this.tenant = tenant;
		this.tokenWaits = Timer.builder("esteira.crm.ratelimit.wait")
			.description("Time a CRM call waited for a rate-limit token")
			.tag("tenant", tenant)
			.publishPercentileHistogram()
			.register(meters);
		this.dailyLimitReached = Counter.builder("esteira.crm.daily.limit.reached")
			.description("Times the CRM's daily request quota was found used up (the consumer pauses until reset)")
			.tag("tenant", tenant)
			.register(meters);
		Gauge.builder("esteira.crm.paused", this, (availability) -> availability.currentPause().isPresent() ? 1 : 0)
			.description("1 while calls to the CRM are paused (daily quota used up, token refused)")
			.tag("tenant", tenant)
			.strongReference(true)
			.register(meters);
	}

	/**
	 * Records how long a call waited for a rate-limit token ({@code esteira.crm.ratelimit.wait}, a histogram): the
	 * price of staying under the CRM's limit, before it shows as retries.
	 */
	public void waitedForToken(Duration waited) {
		this.tokenWaits.record(waited);
	}

	/** The pause in force now, if any (an expired pause is cleared). */
	public Optional<Pause> currentPause() {
		Pause current = this.pause.get();
		if (current != null && !this.clock.instant().isBefore(current.until())) {
			resume();
			return Optional.empty();
		}
		return Optional.ofNullable(current);
	}

	/** Pauses calls until {@code until}; a longer pause in force is kept. */
	public void pauseUntil(CrmUnavailableException.Reason reason, String message, Instant until) {
		Pause next = new Pause(reason, message, until);
		Pause previous = this.pause.getAndUpdate((current) -> (current == null || current.until().isBefore(until))
				? next : current);
		if (reason == CrmUnavailableException.Reason.DAILY_LIMIT
				&& (previous == null || previous.reason() != CrmUnavailableException.Reason.DAILY_LIMIT)) {
			this.dailyLimitReached.increment();
		}
		if (previous == null || previous.until().isBefore(until)) {
			notifyListeners();
		}
	}

	/** Lifts the pause (its time has come, or an operator fixed the cause). */
	public void resume() {
		if (this.pause.getAndSet(null) != null) {
			notifyListeners();
		}
	}

	/** Counts a "too many requests" (from the CRM or from our own bucket). */
	public void rateLimited(String source) {
		this.meters.counter("esteira.crm.rate.limited", "source", source, "tenant", this.tenant).increment();
	}

	/** Called with the new pause (or none) whenever it changes. */
	public void onChange(Consumer<Optional<Pause>> listener) {
		this.listeners.add(listener);
	}

	private void notifyListeners() {
		Optional<Pause> current = Optional.ofNullable(this.pause.get());
		this.listeners.forEach((listener) -> listener.accept(current));
	}

	@Override
	public Health health() {
		return currentPause().map((current) -> Health
			.status((current.reason() == CrmUnavailableException.Reason.CREDENTIALS_REFUSED) ? Status.DOWN
					: Status.OUT_OF_SERVICE)
			.withDetail("reason", current.reason().name())
			.withDetail("message", current.message())
			.withDetail("pausedUntil", current.until().toString())
			.build()).orElseGet(() -> Health.up().build());
	}

	/** How long until the pause ends, zero when none. */
	public Duration remaining() {
		return currentPause().map((current) -> Duration.between(this.clock.instant(), current.until()))
			.orElse(Duration.ZERO);
	}

}
