package io.esteira.crmsync.crm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Wraps an adapter with what every CRM call needs: no call while {@link CrmAvailability} is paused, one token of the
 * {@link RateLimiter} per request, and the reaction to the answers that concern every request — a rate limit empties
 * the bucket for as long as asked, a used-up daily quota pauses calls until the next midnight in
 * {@code dailyResetZone}, a refused token pauses them for {@code credentialsPause}.
 */
public class GuardedCrmClient implements CrmClient {

	private final CrmClient delegate;

	private final RateLimiter limiter;

	private final CrmAvailability availability;

	private final Clock clock;

	private final ZoneId dailyResetZone;

	private final Duration credentialsPause;

	private final Duration rateLimitWindow;

	public GuardedCrmClient(CrmClient delegate, RateLimiter limiter, CrmAvailability availability, Clock clock,
			ZoneId dailyResetZone, Duration credentialsPause, Duration rateLimitWindow) {
		this.delegate = delegate;
		this.limiter = limiter;
		this.availability = availability;
		this.clock = clock;
		this.dailyResetZone = dailyResetZone;
		this.credentialsPause = credentialsPause;
		this.rateLimitWindow = rateLimitWindow;
	}

	@Override
	public Optional<CrmContact> findContact(String contactId) {
		return call(() -> this.delegate.findContact(contactId));
	}

	@Override
	public List<CrmContact> findContactsByEmail(String email) {
		return call(() -> this.delegate.findContactsByEmail(email));
	}

	@Override
	public List<CrmContact> findContactsByPhone(PhoneNumber phone) {
		return call(() -> this.delegate.findContactsByPhone(phone));
	}

	@Override
	public void updateContactProperty(String contactId, String property, String value) {
		call(() -> {
			this.delegate.updateContactProperty(contactId, property, value);
			return null;
		});
	}

	@Override
	public String createTask(CrmTask task) {
		return call(() -> this.delegate.createTask(task));
	}

	@Override
	public String createNote(CrmNote note) {
		return call(() -> this.delegate.createNote(note));
	}

	@Override
	public Optional<String> findTask(String marker) {
		return call(() -> this.delegate.findTask(marker));
	}

	@Override
	public Optional<String> findNote(String marker) {
		return call(() -> this.delegate.findNote(marker));
	}

	@Override
	public void ensureContactProperty(String name, String label) {
		// Two requests at most (read, create).
		call(() -> {
			try (RateLimiter.Permit second = this.limiter.acquire()) {
				this.delegate.ensureContactProperty(name, label);
			}
			return null;
		});
	}

	private <T> T call(Supplier<T> request) {
		Optional<CrmAvailability.Pause> pause = this.availability.currentPause();
		if (pause.isPresent()) {
			throw new CrmUnavailableException(pause.get().reason(), "CRM calls paused: " + pause.get().message(),
					this.availability.remaining(), null);
		}
		RateLimiter.Permit permit;
		try {
			permit = this.limiter.acquire();
		}
		catch (CrmUnavailableException ex) {
			this.availability.rateLimited("client");
			throw ex;
		}
		this.availability.waitedForToken(permit.waited());
		try (permit) {
			return request.get();
		}
		catch (CrmUnavailableException ex) {
			react(ex);
			throw ex;
		}
	}

	private void react(CrmUnavailableException ex) {
		Instant now = this.clock.instant();
		switch (ex.reason()) {
			case RATE_LIMITED -> {
				this.availability.rateLimited("crm");
				this.limiter.blockFor(ex.retryAfter().orElse(this.rateLimitWindow));
			}
			case DAILY_LIMIT -> this.availability.pauseUntil(ex.reason(), ex.getMessage(), nextMidnight(now));
			case CREDENTIALS_REFUSED ->
				this.availability.pauseUntil(ex.reason(), ex.getMessage(), now.plus(this.credentialsPause));
			case TRANSIENT -> {
			}
		}
	}

	private Instant nextMidnight(Instant now) {
		return LocalDate.ofInstant(now, this.dailyResetZone).plusDays(1).atStartOfDay(this.dailyResetZone).toInstant();
	}

}
