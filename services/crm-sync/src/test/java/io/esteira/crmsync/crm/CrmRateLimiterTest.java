package io.esteira.crmsync.crm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The shared limit as two replicas see it: two {@link CrmRateLimiter}s, each with its own pool and proxy manager,
 * on one table.
 */
class CrmRateLimiterTest {

	private static final Duration PERIOD = Duration.ofSeconds(2);

	private final RateLimitBuckets buckets = new RateLimitBuckets();

	@AfterEach
	void dropSchema() {
		this.buckets.close();
	}

	@Test
	void twoInstancesTogetherNeverExceedTheLimitInAnyWindow() throws Exception {
		// 20 per 2 s: 5 at once, then 15 refilled evenly. The margin absorbs this test's own timing jitter (a thread
		// that wakes late from its token's sleep), as it absorbs network jitter in production.
		CrmRateLimiter.Settings settings = settings(20, 5, Duration.ofMillis(100), 100_000, 10, Duration.ofSeconds(3));
		List<CrmRateLimiter> replicas = List.of(this.buckets.limiter(settings), this.buckets.limiter(settings));
		ConcurrentLinkedQueue<Long> granted = new ConcurrentLinkedQueue<>();
		AtomicInteger throttled = new AtomicInteger();
		List<AtomicInteger> perReplica = List.of(new AtomicInteger(), new AtomicInteger());
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();

		ExecutorService threads = Executors.newFixedThreadPool(6);
		List<Future<?>> work = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			int replica = i % 2;
			work.add(threads.submit(() -> {
				while (System.nanoTime() < deadline) {
					try {
						replicas.get(replica).acquire(CrmRequestGate.Kind.STANDARD);
						granted.add(System.nanoTime());
						perReplica.get(replica).incrementAndGet();
					}
					catch (CrmUnavailableException ex) {
						throttled.incrementAndGet();
					}
				}
			}));
		}
		for (Future<?> each : work) {
			each.get();
		}
		threads.shutdown();

		assertThat(maxInAnyWindow(List.copyOf(granted), PERIOD)).isLessThanOrEqualTo(20);
		// The limit is used, by both: 5 at once, then about 7 a second, for 5 s.
		assertThat(granted).hasSizeGreaterThanOrEqualTo(30);
		assertThat(perReplica).allSatisfy((count) -> assertThat(count).hasPositiveValue());
		assertThat(throttled).hasValue(0);
	}

	@Test
	void waitLongerThanMaxWaitIsThrottledAndNotAnAttempt() {
		CrmRateLimiter.Settings settings = settings(20, 5, Duration.ZERO, 100_000, 10, Duration.ofMillis(50));
		CrmRateLimiter first = this.buckets.limiter(settings);
		CrmRateLimiter second = this.buckets.limiter(settings);
		for (int i = 0; i < 5; i++) {
			first.acquire(CrmRequestGate.Kind.STANDARD);
		}

		// The burst is gone for both; the next token is about 133 ms away.
		CrmUnavailableException failure = catchThrowableOfType(CrmUnavailableException.class,
				() -> second.acquire(CrmRequestGate.Kind.STANDARD));

		assertThat(failure.reason()).isEqualTo(CrmUnavailableException.Reason.THROTTLED);
		assertThat(failure.countsAsAttempt()).isFalse();
		assertThat(failure.pausesTheConsumer()).isFalse();
		assertThat(failure).hasMessageContaining("no request token").hasMessageContaining("50 ms");
		assertThat(failure.retryAfter()).hasValueSatisfying(
				(wait) -> assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofMillis(140)));
	}

	@Test
	void shortWaitIsBackPressureNotAFailure() {
		// One token, refilled every 667 ms: the second replica waits for it (less the time the first call took,
		// which on a loaded machine can be tens of milliseconds, hence no lower bound but "it waited").
		CrmRateLimiter.Settings settings = settings(4, 1, Duration.ZERO, 100_000, 10, Duration.ofSeconds(1));
		CrmRateLimiter first = this.buckets.limiter(settings);
		CrmRateLimiter second = this.buckets.limiter(settings);
		first.acquire(CrmRequestGate.Kind.STANDARD);

		Duration waited = second.acquire(CrmRequestGate.Kind.STANDARD);

		assertThat(waited).isPositive().isLessThan(Duration.ofSeconds(1));
	}

	@Test
	void usedUpDailyQuotaIsADailyLimitForEveryInstance() {
		CrmRateLimiter.Settings settings = settings(20, 5, Duration.ZERO, 3, 10, Duration.ofSeconds(1));
		CrmRateLimiter first = this.buckets.limiter(settings);
		CrmRateLimiter second = this.buckets.limiter(settings);
		first.acquire(CrmRequestGate.Kind.STANDARD);
		second.acquire(CrmRequestGate.Kind.STANDARD);
		first.acquire(CrmRequestGate.Kind.STANDARD);

		for (CrmRateLimiter replica : List.of(first, second)) {
			CrmUnavailableException failure = catchThrowableOfType(CrmUnavailableException.class,
					() -> replica.acquire(CrmRequestGate.Kind.STANDARD));

			assertThat(failure.reason()).isEqualTo(CrmUnavailableException.Reason.DAILY_LIMIT);
			assertThat(failure.pausesTheConsumer()).isTrue();
			assertThat(failure.countsAsAttempt()).isFalse();
			assertThat(failure).hasMessageContaining("esteira.crm.rate-limit.daily");
			assertThat(failure.retryAfter()).hasValueSatisfying(
					(wait) -> assertThat(wait).isBetween(Duration.ofHours(23), Duration.ofDays(1)));
		}
	}

	@Test
	void penaltyMakesEveryInstanceWaitAWholeWindow() {
		CrmRateLimiter.Settings settings = settings(20, 5, Duration.ZERO, 100_000, 10, Duration.ofMillis(200));
		CrmRateLimiter first = this.buckets.limiter(settings);
		CrmRateLimiter second = this.buckets.limiter(settings);

		first.penalize();
		// Both replicas heard a 429: the window is spent once, not twice.
		second.penalize();

		assertThat(first.availableTokens()).isBetween(-20L, -19L);
		assertThat(second.availableTokens()).isBetween(-20L, -19L);
		for (CrmRateLimiter replica : List.of(first, second)) {
			CrmUnavailableException failure = catchThrowableOfType(CrmUnavailableException.class,
					() -> replica.acquire(CrmRequestGate.Kind.STANDARD));
			assertThat(failure.reason()).isEqualTo(CrmUnavailableException.Reason.THROTTLED);
			// 21 tokens at 7.5 a second.
			assertThat(failure.retryAfter()).hasValueSatisfying((wait) -> assertThat(wait)
				.isBetween(Duration.ofMillis(2_500), Duration.ofMillis(2_900)));
		}
	}

	@Test
	void searchBucketLimitsSearchesPerSecondButNotOtherRequests() {
		// 4 searches a second: one at once, three refilled a second; the request limit is far away.
		CrmRateLimiter.Settings settings = settings(200, 100, Duration.ZERO, 100_000, 4, Duration.ofSeconds(1));
		CrmRateLimiter first = this.buckets.limiter(settings);
		CrmRateLimiter second = this.buckets.limiter(settings);
		List<Long> searches = new ArrayList<>();
		long started = System.nanoTime();

		for (int i = 0; i < 7; i++) {
			((i % 2 == 0) ? first : second).acquire(CrmRequestGate.Kind.SEARCH);
			searches.add(System.nanoTime());
		}
		Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
		Duration standard = second.acquire(CrmRequestGate.Kind.STANDARD);

		// One at once, then one every 333 ms.
		assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
		assertThat(maxInAnyWindow(searches, Duration.ofSeconds(1))).isLessThanOrEqualTo(4);
		assertThat(standard).isLessThan(Duration.ofMillis(100));
	}

	@Test
	void searchThatWouldWaitTooLongIsThrottled() {
		CrmRateLimiter.Settings settings = settings(200, 100, Duration.ZERO, 100_000, 4, Duration.ofMillis(50));
		CrmRateLimiter first = this.buckets.limiter(settings);
		CrmRateLimiter second = this.buckets.limiter(settings);
		first.acquire(CrmRequestGate.Kind.SEARCH);

		CrmUnavailableException failure = catchThrowableOfType(CrmUnavailableException.class,
				() -> second.acquire(CrmRequestGate.Kind.SEARCH));

		assertThat(failure.reason()).isEqualTo(CrmUnavailableException.Reason.THROTTLED);
		assertThat(failure).hasMessageContaining("no search token");
		assertThat(second.acquire(CrmRequestGate.Kind.STANDARD)).isLessThan(Duration.ofMillis(100));
	}

	@Test
	void burstMustBeBelowTheRequests() {
		assertThat(catchThrowableOfType(IllegalArgumentException.class,
				() -> settings(10, 10, Duration.ZERO, 100, 4, Duration.ofSeconds(1))))
			.hasMessageContaining("burst");
	}

	private static CrmRateLimiter.Settings settings(int requests, int burst, Duration margin, long daily,
			int searchesPerSecond, Duration maxWait) {
		return new CrmRateLimiter.Settings("hubspot", requests, burst, PERIOD, margin, daily, searchesPerSecond,
				maxWait);
	}

	/** The most timestamps (nanos) in any window of {@code length}, as HubSpot counts: a rolling window. */
	private static int maxInAnyWindow(List<Long> timestamps, Duration length) {
		List<Long> sorted = timestamps.stream().sorted().toList();
		int max = 0;
		int from = 0;
		for (int to = 0; to < sorted.size(); to++) {
			while (sorted.get(to) - sorted.get(from) >= length.toNanos()) {
				from++;
			}
			max = Math.max(max, to - from + 1);
		}
		return max;
	}

}
