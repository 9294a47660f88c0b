package io.esteira.crmsync.crm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link CrmRequestGate} of the running service: no request while {@link CrmAvailability} is paused, a token of
 * the shared {@link CrmRateLimiter} for each, and the reactions to the answers that concern every request — a 429
 * spends the window's tokens for every replica, a used-up daily quota pauses calls until the next midnight in
 * {@code dailyResetZone}, a refused token pauses them for {@code credentialsPause}, and an outage
 * ({@link Outage#after} whole-request failures in a row: 5xx, timeouts, resets) pauses them for
 * {@link Outage#pause}, doubling while the request that probes after each pause fails too (at most
 * {@link Outage#maxPause}); the first request the CRM serves ends it. A pause is no attempt for the uploads waiting
 * (the consumer stops, and what it held comes back when calls resume), nor is the failure that started it or a failed
 * probe: a CRM outage of any length costs an upload at most {@code after - 1} attempts.
 */
public class CrmCallGate implements CrmRequestGate {

	private final CrmRateLimiter limiter;

	private final CrmAvailability availability;

	private final Clock clock;

	private final ZoneId dailyResetZone;

	private final Duration credentialsPause;

	private final Outage outage;

	/** Whole-request failures since the CRM last served one. */
	private final AtomicInteger failuresInRow = new AtomicInteger();

	/** Outage pauses since the CRM last served a request (each twice as long as the one before). */
	private final AtomicInteger outagePauses = new AtomicInteger();

	/**
	 * When an outage pauses calls.
	 *
	 * @param after whole-request failures in a row that make an outage
	 * @param pause the first pause
	 * @param maxPause the longest pause
	 */
	public record Outage(int after, Duration pause, Duration maxPause) {

		/** Five failures in a row, 30 s doubling to 5 min. */
		public static final Outage DEFAULT = new Outage(5, Duration.ofSeconds(30), Duration.ofMinutes(5));

	}

	public CrmCallGate(CrmRateLimiter limiter, CrmAvailability availability, Clock clock, ZoneId dailyResetZone,
			Duration credentialsPause) {
		this(limiter, availability, clock, dailyResetZone, credentialsPause, Outage.DEFAULT);
	}

	public CrmCallGate(CrmRateLimiter limiter, CrmAvailability availability, Clock clock, ZoneId dailyResetZone,
			Duration credentialsPause, Outage outage) {
		this.limiter = limiter;
		this.availability = availability;
		this.clock = clock;
		this.dailyResetZone = dailyResetZone;
		this.credentialsPause = credentialsPause;
		this.outage = outage;
	}

	@Override
	public void beforeRequest(Kind kind) {
		Optional<CrmAvailability.Pause> pause = this.availability.currentPause();
		if (pause.isPresent()) {
			throw new CrmUnavailableException(pause.get().reason(), "CRM calls paused: " + pause.get().message(),
					this.availability.remaining(), null);
		}
		try {
			this.availability.waitedForToken(this.limiter.acquire(kind));
		}
		catch (CrmUnavailableException ex) {
			this.availability.rateLimited("client");
			if (ex.reason() == CrmUnavailableException.Reason.DAILY_LIMIT) {
				this.availability.pauseUntil(ex.reason(), ex.getMessage(),
						this.clock.instant().plus(ex.retryAfter().orElse(Duration.ofHours(1))));
			}
			throw ex;
		}
	}

	@Override
	public CrmUnavailableException onUnavailable(CrmUnavailableException failure) {
		Instant now = this.clock.instant();
		switch (failure.reason()) {
			case RATE_LIMITED -> {
				this.availability.rateLimited("crm");
				this.limiter.penalize();
			}
			case DAILY_LIMIT -> this.availability.pauseUntil(failure.reason(), failure.getMessage(), nextMidnight(now));
			case CREDENTIALS_REFUSED ->
				this.availability.pauseUntil(failure.reason(), failure.getMessage(), now.plus(this.credentialsPause));
			case TRANSIENT -> {
				if (this.failuresInRow.incrementAndGet() >= this.outage.after()) {
					return outage(failure, now);
				}
			}
			case OUTAGE, THROTTLED -> {
			}
		}
		return failure;
	}

	/**
	 * The CRM is down: calls pause (the consumer stops), for longer each time the request that probes after a pause
	 * fails too. The failure that showed it is no attempt of the uploads it concerned, as none of the waiting is.
	 */
	private CrmUnavailableException outage(CrmUnavailableException failure, Instant now) {
		// The next failure, the probe after this pause, pauses again at once.
		this.failuresInRow.set(this.outage.after() - 1);
		int pauses = this.outagePauses.getAndIncrement();
		Duration pause = this.outage.pause().multipliedBy(1L << Math.min(pauses, 20));
		if (pause.compareTo(this.outage.maxPause()) > 0) {
			pause = this.outage.maxPause();
		}
		String message = this.outage.after() + " CRM requests failed in a row, the last: " + failure.getMessage();
		this.availability.pauseUntil(CrmUnavailableException.Reason.OUTAGE, message, now.plus(pause));
		return new CrmUnavailableException(CrmUnavailableException.Reason.OUTAGE, message, pause, failure);
	}

	@Override
	public void onServed() {
		this.failuresInRow.set(0);
		this.outagePauses.set(0);
	}

	private Instant nextMidnight(Instant now) {
		return LocalDate.ofInstant(now, this.dailyResetZone).plusDays(1).atStartOfDay(this.dailyResetZone).toInstant();
	}

}
