package io.esteira.crmsync.photo;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.esteira.crmsync.config.CrmProperties;
import io.esteira.crmsync.crm.CrmAvailability;
import io.esteira.crmsync.crm.CrmUnavailableException;

import org.springframework.stereotype.Component;

/**
 * How long a message waits before its next attempt, by why the CRM was unavailable:
 * <ul>
 * <li>rate limited: what the CRM asked ({@code Retry-After}), else the rate-limit window, plus up to 1 s of jitter
 * — never sooner than asked;</li>
 * <li>daily quota used up, token refused: until the pause ends ({@link CrmAvailability});</li>
 * <li>anything else (5xx, timeout, connection reset): exponential backoff {@code initial * 2^(attempt-1)}, at most
 * {@code max}, with "equal jitter" (a random delay between half and all of it), and never less than a
 * {@code Retry-After}.</li>
 * </ul>
 */
@Component
class RetryDelays {

	private final CrmProperties settings;

	private final CrmAvailability availability;

	RetryDelays(CrmProperties settings, CrmAvailability availability) {
		this.settings = settings;
		this.availability = availability;
	}

	Duration delay(CrmUnavailableException ex, int attempt) {
		return switch (ex.reason()) {
			case RATE_LIMITED -> ex.retryAfter()
				.orElse(this.settings.rateLimit().period())
				.plusMillis(ThreadLocalRandom.current().nextLong(0, 1_000));
			case DAILY_LIMIT, CREDENTIALS_REFUSED -> {
				Duration remaining = this.availability.remaining();
				yield remaining.isZero() ? backoff(attempt) : remaining;
			}
			case TRANSIENT -> {
				Duration backoff = backoff(attempt);
				yield ex.retryAfter().filter((asked) -> asked.compareTo(backoff) > 0).orElse(backoff);
			}
		};
	}

	Duration backoff(int attempt) {
		CrmProperties.Retry retry = this.settings.retry();
		long initial = retry.initialBackoff().toMillis();
		long exponential = initial << Math.min(Math.max(0, attempt - 1), 20);
		long capped = Math.min(exponential, retry.maxBackoff().toMillis());
		long half = capped / 2;
		return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(0, capped - half + 1));
	}

}
