package io.esteira.crmsync.crm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The {@link CrmRequestGate} of the running service: no request while {@link CrmAvailability} is paused, a token of
 * the shared {@link CrmRateLimiter} for each, and the reactions to the answers that concern every request — a 429
 * spends the window's tokens for every replica, a used-up daily quota pauses calls until the next midnight in
 * {@code dailyResetZone}, a refused token pauses them for {@code credentialsPause}.
 */
public class CrmCallGate implements CrmRequestGate {

	private final CrmRateLimiter limiter;

	private final CrmAvailability availability;

	private final Clock clock;

	private final ZoneId dailyResetZone;

	private final Duration credentialsPause;

	public CrmCallGate(CrmRateLimiter limiter, CrmAvailability availability, Clock clock, ZoneId dailyResetZone,
			Duration credentialsPause) {
		this.limiter = limiter;
		this.availability = availability;
		this.clock = clock;
		this.dailyResetZone = dailyResetZone;
		this.credentialsPause = credentialsPause;
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
	public void onUnavailable(CrmUnavailableException failure) {
		Instant now = this.clock.instant();
		switch (failure.reason()) {
			case RATE_LIMITED -> {
				this.availability.rateLimited("crm");
				this.limiter.penalize();
			}
			case DAILY_LIMIT -> this.availability.pauseUntil(failure.reason(), failure.getMessage(), nextMidnight(now));
			case CREDENTIALS_REFUSED ->
				this.availability.pauseUntil(failure.reason(), failure.getMessage(), now.plus(this.credentialsPause));
			case TRANSIENT, THROTTLED -> {
			}
		}
	}

	private Instant nextMidnight(Instant now) {
		return LocalDate.ofInstant(now, this.dailyResetZone).plusDays(1).atStartOfDay(this.dailyResetZone).toInstant();
	}

}
