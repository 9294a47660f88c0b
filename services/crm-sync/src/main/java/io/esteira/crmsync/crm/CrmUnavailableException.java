package io.esteira.crmsync.crm;

import java.time.Duration;
import java.util.Optional;

/**
 * The CRM could not handle the request now (unreachable, timeout, 5xx, rate limit, credentials refused): the same
 * request may succeed later.
 */
public final class CrmUnavailableException extends CrmException {

	private final Duration retryAfter;

	public CrmUnavailableException(String message, Throwable cause) {
		this(message, null, cause);
	}

	public CrmUnavailableException(String message, Duration retryAfter, Throwable cause) {
		super(message, cause);
		this.retryAfter = retryAfter;
	}

	/** How long the CRM asked us to wait, when it said so. */
	public Optional<Duration> retryAfter() {
		return Optional.ofNullable(this.retryAfter);
	}

}
