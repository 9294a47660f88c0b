package io.esteira.crmsync.crm;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A token bucket: {@code capacity} requests per {@code period}, refilled continuously, starting full. A caller that
 * would wait longer than {@code maxWait} for a token gets {@link CrmUnavailableException} (reason
 * {@link CrmUnavailableException.Reason#RATE_LIMITED}) with the time to wait instead, so that the message is retried
 * later rather than holding a thread. {@link #blockFor} empties the bucket when the CRM itself said "too many".
 * <p>
 * The bucket is per instance: HubSpot's limit is per account, shared by every app and every instance, so configure
 * each instance with its share (e.g. 100 per 10 s across 2 replicas and another integration: 40 each).
 */
public final class RateLimiter {

	private final double capacity;

	private final double tokensPerNano;

	private final long maxWaitNanos;

	private final LongSupplier nanoTime;

	private final Sleeper sleeper;

	private double tokens;

	private long updatedAt;

	private long blockedUntil;

	/** Waits; tests replace it. */
	@FunctionalInterface
	public interface Sleeper {

		void sleep(long nanos) throws InterruptedException;

	}

	public RateLimiter(int capacity, Duration period, Duration maxWait) {
		this(capacity, period, maxWait, System::nanoTime, (nanos) -> Thread.sleep(Duration.ofNanos(nanos)));
	}

	public RateLimiter(int capacity, Duration period, Duration maxWait, LongSupplier nanoTime, Sleeper sleeper) {
		if (capacity < 1 || period.isNegative() || period.isZero()) {
			throw new IllegalArgumentException("A rate limit needs at least one request per positive period");
		}
		this.capacity = capacity;
		this.tokensPerNano = capacity / (double) period.toNanos();
		this.maxWaitNanos = maxWait.toNanos();
		this.nanoTime = nanoTime;
		this.sleeper = sleeper;
		this.tokens = capacity;
		this.updatedAt = nanoTime.getAsLong();
		this.blockedUntil = this.updatedAt;
	}

	/**
	 * Takes one token, waiting up to {@code maxWait} for it.
	 * @throws CrmUnavailableException when the wait would be longer
	 */
	public void acquire() {
		long wait = reserve();
		if (wait > 0) {
			try {
				this.sleeper.sleep(wait);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new CrmUnavailableException(CrmUnavailableException.Reason.RATE_LIMITED,
						"interrupted waiting for the CRM rate limit", Duration.ofNanos(wait), ex);
			}
		}
	}

	/** Reserves a token and returns how long to wait for it, or throws when that is longer than allowed. */
	private synchronized long reserve() {
		long now = this.nanoTime.getAsLong();
		refill(now);
		long start = Math.max(now, this.blockedUntil);
		// The token this caller gets becomes available when the balance reaches one.
		long wait = (start - now) + ((this.tokens >= 1) ? 0 : (long) Math.ceil((1 - this.tokens) / this.tokensPerNano));
		if (wait > this.maxWaitNanos) {
			throw new CrmUnavailableException(CrmUnavailableException.Reason.RATE_LIMITED,
					"client-side CRM rate limit reached", Duration.ofNanos(wait), null);
		}
		this.tokens -= 1;
		return wait;
	}

	/** The CRM said "too many requests": take no token for {@code duration}, and start again from an empty bucket. */
	public synchronized void blockFor(Duration duration) {
		long now = this.nanoTime.getAsLong();
		refill(now);
		this.blockedUntil = Math.max(this.blockedUntil, now + duration.toNanos());
		this.tokens = Math.min(this.tokens, 0);
	}

	private void refill(long now) {
		long from = Math.max(this.updatedAt, Math.min(now, this.blockedUntil));
		if (now > from) {
			this.tokens = Math.min(this.capacity, this.tokens + (now - from) * this.tokensPerNano);
		}
		this.updatedAt = Math.max(this.updatedAt, now);
	}

}
