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
		RateLimiter limiter = limiter(10, Duration.ofSeconds(10), Duration.ofSeconds(5));

		for (int i = 0; i < 100; i++) {
			limiter.acquire();
			this.granted.add(this.now.get());
		}

		// Starting full, any 10 s window holds at most the burst (10) plus what refilled in it (10).
		for (int i = 0; i < this.granted.size(); i++) {
			long from = this.granted.get(i);
			long inWindow = this.granted.stream().filter((at) -> at >= from && at < from + 10 * SECOND).count();
			assertThat(inWindow).isLessThanOrEqualTo(20);
		}
		// Over the whole run: the burst, then one per second.
		assertThat(this.granted.getLast()).isBetween(90 * SECOND, 90 * SECOND + 1_000_000);
	}

	@Test
	void callerThatWouldWaitTooLongIsToldWhenToComeBack() {
		RateLimiter limiter = limiter(2, Duration.ofSeconds(10), Duration.ofSeconds(1));
		limiter.acquire();
		limiter.acquire();

		CrmUnavailableException failure = catchThrowableOfType(CrmUnavailableException.class, limiter::acquire);

		assertThat(failure.reason()).isEqualTo(CrmUnavailableException.Reason.RATE_LIMITED);
		assertThat(failure.retryAfter()).hasValueSatisfying(
				(wait) -> assertThat(wait).isBetween(Duration.ofSeconds(5), Duration.ofMillis(5_001)));
		assertThat(this.now.get()).isZero();
	}

	@Test
	void blockedBucketGrantsNothingUntilTheCrmsRetryAfterHasPassed() {
		RateLimiter limiter = limiter(100, Duration.ofSeconds(10), Duration.ofSeconds(30));

		limiter.blockFor(Duration.ofSeconds(7));
		limiter.acquire();

		assertThat(this.now.get()).isGreaterThanOrEqualTo(7 * SECOND);
	}

	private RateLimiter limiter(int capacity, Duration period, Duration maxWait) {
		return new RateLimiter(capacity, period, maxWait, this.now::get, this.now::addAndGet);
	}

}
