package io.esteira.crmsync.crm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RateLimiterTest {

	private static final long SECOND = 1_000_000_000L;

	/** A clock that only moves when the limiter sleeps (or the test says so). */
	private final AtomicLong now = new AtomicLong(0);

	private final List<Long> granted = new ArrayList<>();

	@Test
	void neverGrantsMoreThanTheConfiguredRateInAnyWindow() {
		RateLimiter limiter = limiter(10, Duration.ofSeconds(10), Duration.ofSeconds(10));

		for (int i = 0; i < 100; i++) {
			limiter.acquire().release();
			this.granted.add(this.now.get());
		}

		// A rolling window, as HubSpot counts: no 10 s window holds more than 10 grants.
		for (int i = 0; i < this.granted.size(); i++) {
			long from = this.granted.get(i);
			long inWindow = this.granted.stream().filter((at) -> at >= from && at < from + 10 * SECOND).count();
			assertThat(inWindow).isLessThanOrEqualTo(10);
		}
		// And the limit is used fully: 10 at once, every 10 s.
		assertThat(this.granted.getLast()).isEqualTo(90 * SECOND);
	}

	@Test
	void callerThatWouldWaitTooLongIsToldWhenToComeBack() {
		RateLimiter limiter = limiter(2, Duration.ofSeconds(10), Duration.ofSeconds(1));
		limiter.acquire().release();
		limiter.acquire().release();

		CrmUnavailableException failure = catchThrowableOfType(CrmUnavailableException.class, limiter::acquire);

		assertThat(failure.reason()).isEqualTo(CrmUnavailableException.Reason.RATE_LIMITED);
		assertThat(failure.retryAfter()).contains(Duration.ofSeconds(10));
		assertThat(this.now.get()).isZero();
	}

	@Test
	void blockedBucketGrantsNothingUntilTheCrmsRetryAfterHasPassed() {
		RateLimiter limiter = limiter(100, Duration.ofSeconds(10), Duration.ofSeconds(30));

		limiter.blockFor(Duration.ofSeconds(7));
		limiter.acquire().release();

		assertThat(this.now.get()).isGreaterThanOrEqualTo(7 * SECOND);
	}

	@Test
	void tokenComesBackOnePeriodAfterItsRequestEndedNotAfterItStarted() {
		RateLimiter limiter = limiter(1, Duration.ofSeconds(10), Duration.ofSeconds(30));
		RateLimiter.Permit slow = limiter.acquire();
		this.now.addAndGet(3 * SECOND); // the request takes 3 s

		slow.release();
		limiter.acquire().release();

		assertThat(this.now.get()).isEqualTo(13 * SECOND);
	}

	@Test
	void tokensHeldByUnfinishedRequestsAreNotLent() {
		RateLimiter limiter = limiter(1, Duration.ofSeconds(10), Duration.ofSeconds(30));
		limiter.acquire();

		assertThat(catchThrowableOfType(CrmUnavailableException.class, limiter::acquire).reason())
			.isEqualTo(CrmUnavailableException.Reason.RATE_LIMITED);
	}

	private RateLimiter limiter(int capacity, Duration period, Duration maxWait) {
		return new RateLimiter(capacity, period, maxWait, this.now::get, this.now::addAndGet);
	}

}
