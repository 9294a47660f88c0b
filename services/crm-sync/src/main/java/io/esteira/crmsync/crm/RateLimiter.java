package io.esteira.crmsync.crm;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A client-side rate limit of {@code capacity} requests per rolling {@code period}: a token bucket of
 * {@code capacity} tokens where a spent token comes back one {@code period} after its request <em>ended</em>. The
 * server counts a request when it arrives, which is before we see its answer, so the next request on the same token
 * arrives at least a period after it: no rolling window on the server's side ever holds more than {@code capacity}
 * of our requests, whatever the network delays. (A classic bucket refilled at {@code capacity/period}, or tokens
 * returned a period after they were <em>taken</em>, would let more through: a full bucket plus its refill, or a slow
 * request arriving late next to a fast one.)
 * <p>
 * A caller that would wait longer than {@code maxWait} for a token gets {@link CrmUnavailableException} (reason
 * {@link CrmUnavailableException.Reason#RATE_LIMITED}) with the time to wait instead, so that the message is retried
 * later rather than holding a thread. {@link #blockFor} stops all grants when the CRM itself said "too many".
 * <p>
 * The limit is per instance: HubSpot's is per account, shared by every app and every instance, so configure each
 * instance with its share (e.g. 100 per 10 s across 2 replicas and another integration: 40 each).
 */
public final class RateLimiter {

	private final long periodNanos;

	private final long maxWaitNanos;

	private final LongSupplier nanoTime;

	private final Sleeper sleeper;

	/** When each token can be used again. */
	private final long[] availableAt;

	/** Whether each token is taken by a request that has not ended. */
	private final boolean[] inUse;

	private long blockedUntil;

	/** Waits; tests replace it. */
	@FunctionalInterface
	public interface Sleeper {

		void sleep(long nanos) throws InterruptedException;

	}

	/** A token taken for one request: {@link #release() release} it when the request has ended, however. */
	public final class Permit implements AutoCloseable {

		private final int token;

		private final Duration waited;

		private boolean released;

		private Permit(int token, Duration waited) {
			this.token = token;
			this.waited = waited;
		}

		/** How long the caller waited for this token. */
		public Duration waited() {
			return this.waited;
		}

		public void release() {
			synchronized (RateLimiter.this) {
				if (!this.released) {
					this.released = true;
					RateLimiter.this.availableAt[this.token] = RateLimiter.this.nanoTime.getAsLong()
							+ RateLimiter.this.periodNanos;
					RateLimiter.this.inUse[this.token] = false;
				}
			}
		}

		@Override
		public void close() {
			release();
		}

	}

	public RateLimiter(int capacity, Duration period, Duration maxWait) {
		this(capacity, period, maxWait, System::nanoTime, (nanos) -> Thread.sleep(Duration.ofNanos(nanos)));
	}

	public RateLimiter(int capacity, Duration period, Duration maxWait, LongSupplier nanoTime, Sleeper sleeper) {
		if (capacity < 1 || period.isNegative() || period.isZero()) {
			throw new IllegalArgumentException("A rate limit needs at least one request per positive period");
		}
		this.periodNanos = period.toNanos();
		this.maxWaitNanos = maxWait.toNanos();
		this.nanoTime = nanoTime;
		this.sleeper = sleeper;
		long now = nanoTime.getAsLong();
		this.availableAt = new long[capacity];
		java.util.Arrays.fill(this.availableAt, now);
		this.inUse = new boolean[capacity];
		this.blockedUntil = now;
	}

	/**
	 * Takes one token, waiting up to {@code maxWait} for it.
	 * @return the token, to release when the request has ended
	 * @throws CrmUnavailableException when the wait would be longer
	 */
	public Permit acquire() {
		long now = this.nanoTime.getAsLong();
		Permit permit;
		long wait;
		synchronized (this) {
			int token = -1;
			for (int i = 0; i < this.availableAt.length; i++) {
				if (!this.inUse[i] && (token < 0 || this.availableAt[i] < this.availableAt[token])) {
					token = i;
				}
			}
			long at = (token < 0) ? Long.MAX_VALUE
					: Math.max(now, Math.max(this.blockedUntil, this.availableAt[token]));
			wait = (token < 0) ? this.periodNanos : at - now;
			if (token < 0 || wait > this.maxWaitNanos) {
				throw new CrmUnavailableException(CrmUnavailableException.Reason.RATE_LIMITED,
						"client-side CRM rate limit reached", Duration.ofNanos(wait), null);
			}
			this.inUse[token] = true;
			permit = new Permit(token, Duration.ofNanos(wait));
		}
		if (wait > 0) {
			try {
				this.sleeper.sleep(wait);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				permit.release();
				throw new CrmUnavailableException(CrmUnavailableException.Reason.RATE_LIMITED,
						"interrupted waiting for the CRM rate limit", Duration.ofNanos(wait), ex);
			}
		}
		return permit;
	}

	/** The CRM said "too many requests": grant nothing for {@code duration}. */
	public synchronized void blockFor(Duration duration) {
		this.blockedUntil = Math.max(this.blockedUntil, this.nanoTime.getAsLong() + duration.toNanos());
	}

}
