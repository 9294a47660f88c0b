package io.esteira.crmsync.crm;

import java.time.Duration;
import java.util.Optional;

/**
 * The CRM could not handle the request now (unreachable, timeout, 5xx, rate limit, credentials refused): the same
 * request may succeed later. {@link #reason()} says why, which decides how long to wait.
 */
public final class CrmUnavailableException extends CrmException {

	/** Why the CRM is unavailable. */
	public enum Reason {

		/** Unreachable, timed out, 5xx, no token, scope missing: try again with backoff. */
		TRANSIENT,

		/** The short-window rate limit (HubSpot {@code TEN_SECONDLY_ROLLING}, or our own token bucket). */
		RATE_LIMITED,

		/** The daily request quota is used up: nothing works until it resets. */
		DAILY_LIMIT,

		/** The CRM refused our credentials (401): nothing works until the configuration is fixed. */
		CREDENTIALS_REFUSED,

		/**
		 * The CRM failed several requests in a row (5xx, timeouts, resets): it is down, calls pause for a while
		 * instead of spending every upload's attempts on it ({@code esteira.crm.retry.outage-*}).
		 */
		OUTAGE,

		/**
		 * Our own rate limit has no token for longer than we wait ({@code esteira.crm.rate-limit.max-wait}), or another
		 * delivery is working on the same upload or contact: nothing was asked of the CRM, so this is back-pressure,
		 * not a failed attempt.
		 */
		THROTTLED

	}

	private final Duration retryAfter;

	private final Reason reason;

	public CrmUnavailableException(String message, Throwable cause) {
		this(message, null, cause);
	}

	public CrmUnavailableException(String message, Duration retryAfter, Throwable cause) {
		this(Reason.TRANSIENT, message, retryAfter, cause);
	}

	public CrmUnavailableException(Reason reason, String message, Duration retryAfter, Throwable cause) {
		super(message, cause);
		this.reason = reason;
		this.retryAfter = retryAfter;
	}

	/** How long the CRM asked us to wait, when it said so. */
	public Optional<Duration> retryAfter() {
		return Optional.ofNullable(this.retryAfter);
	}

	public Reason reason() {
		return this.reason;
	}

	/**
	 * Whether this counts as a delivery attempt: only the CRM's own failures (5xx, timeouts, resets, its 429) do.
	 * Waiting for our own limiter, for another delivery, or for a pause (daily quota, refused token, an outage) to end
	 * does not.
	 */
	public boolean countsAsAttempt() {
		return this.reason == Reason.TRANSIENT || this.reason == Reason.RATE_LIMITED;
	}

	/**
	 * Whether every request fails until something changes (daily quota reset, new token, the CRM back up): stop
	 * consuming.
	 */
	public boolean pausesTheConsumer() {
		return this.reason == Reason.DAILY_LIMIT || this.reason == Reason.CREDENTIALS_REFUSED
				|| this.reason == Reason.OUTAGE;
	}

}
