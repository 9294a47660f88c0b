package io.esteira.crmsync.crm;

import java.time.Duration;
import java.util.Objects;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.ProxyManager;

/**
 * The CRM's rate limit, shared by every crm-sync instance: Bucket4j token buckets whose state is a row of the
 * service's PostgreSQL ({@code crm_rate_limit_buckets}, locked with {@code SELECT ... FOR UPDATE} per request), so
 * two replicas together stay under HubSpot's per-account limit instead of each taking all of it.
 * <ul>
 * <li><b>Window</b>: {@code burst} tokens, refilled at {@code requests - burst} per {@code period + margin}. In any
 * window of length {@code period} at most {@code burst + (requests - burst)} = {@code requests} requests start —
 * a plain bucket of {@code requests} tokens refilled at {@code requests} per period would let twice that through
 * (a full bucket, then its refill).</li>
 * <li><b>Daily</b>: {@code daily} tokens refilled once a day.</li>
 * <li><b>Search</b>: a second bucket of one token refilled at {@code searchRequestsPerSecond - 1} per second, for
 * the search endpoint's own limit.</li>
 * </ul>
 * A request waits for its token (up to {@code maxWait}: back-pressure) and is never failed for it: a longer wait
 * throws {@link CrmUnavailableException} with reason {@code THROTTLED} (or {@code DAILY_LIMIT} when the daily tokens
 * are gone), which the consumer treats as "come back later", not as an attempt. {@link #penalize} spends a whole
 * window's tokens when the CRM itself answered 429.
 */
public class CrmRateLimiter {

	private final BucketProxy requests;

	private final BucketProxy searches;

	private final Duration maxWait;

	private final Duration period;

	private final int requestsPerPeriod;

	public CrmRateLimiter(ProxyManager<String> buckets, Settings settings) {
		this.maxWait = settings.maxWait();
		this.period = settings.period();
		this.requestsPerPeriod = settings.requests();
		BucketConfiguration window = BucketConfiguration.builder()
			.addLimit((limit) -> limit.capacity(settings.burst())
				.refillGreedy(settings.requests() - settings.burst(), settings.period().plus(settings.margin()))
				.id("window"))
			.addLimit((limit) -> limit.capacity(settings.daily()).refillIntervally(settings.daily(), Duration.ofDays(1))
				.id("daily"))
			.build();
		int searchRefill = Math.max(1, settings.searchRequestsPerSecond() - 1);
		BucketConfiguration search = BucketConfiguration.builder()
			.addLimit((limit) -> limit.capacity(1).refillGreedy(searchRefill, Duration.ofSeconds(1)).id("search"))
			.build();
		// A changed setting (another HubSpot tier) replaces the stored configuration, keeping the tokens' proportion.
		this.requests = buckets.builder()
			.withImplicitConfigurationReplacement(version(window), TokensInheritanceStrategy.PROPORTIONALLY)
			.build(settings.key(), () -> window);
		this.searches = buckets.builder()
			.withImplicitConfigurationReplacement(version(search), TokensInheritanceStrategy.PROPORTIONALLY)
			.build(settings.key() + ":search", () -> search);
	}

	/**
	 * Takes a token for one request, waiting for it up to {@code maxWait}.
	 * @return how long the caller waited
	 * @throws CrmUnavailableException reason {@code THROTTLED} when the wait would be longer, {@code DAILY_LIMIT}
	 * when the daily tokens are gone (with the time until they come back)
	 */
	public Duration acquire(CrmRequestGate.Kind kind) {
		long started = System.nanoTime();
		if (kind == CrmRequestGate.Kind.SEARCH) {
			take(this.searches, "search");
		}
		take(this.requests, "request");
		return Duration.ofNanos(System.nanoTime() - started);
	}

	private void take(BucketProxy bucket, String what) {
		ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
		if (probe.isConsumed()) {
			return;
		}
		Duration wait = Duration.ofNanos(probe.getNanosToWaitForRefill());
		if (wait.compareTo(this.period.multipliedBy(3)) > 0 && bucket == this.requests) {
			throw new CrmUnavailableException(CrmUnavailableException.Reason.DAILY_LIMIT,
					"the CRM's daily request quota (esteira.crm.rate-limit.daily) is used up", wait, null);
		}
		try {
			// Reserves the next token (fair between replicas) and sleeps until it is due; false when that is too far.
			if (wait.compareTo(this.maxWait) <= 0 && bucket.asBlocking().tryConsume(1, this.maxWait)) {
				return;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		throw new CrmUnavailableException(CrmUnavailableException.Reason.THROTTLED,
				"no " + what + " token of the shared CRM rate limit within " + this.maxWait.toMillis() + " ms", wait,
				null);
	}

	/** The CRM answered 429: spend a whole window's tokens, so that no replica calls it again before it refills. */
	public void penalize() {
		long available = this.requests.getAvailableTokens();
		if (available > -this.requestsPerPeriod) {
			this.requests.consumeIgnoringRateLimits(available + this.requestsPerPeriod);
		}
	}

	/** Tokens left in the window now (metrics, tests). */
	public long availableTokens() {
		return this.requests.getAvailableTokens();
	}

	private static long version(BucketConfiguration configuration) {
		return Integer.toUnsignedLong(Objects.hash(configuration.toString()));
	}

	/**
	 * The limit's settings.
	 *
	 * @param key the bucket's row: instances that share it share the limit (one per CRM account)
	 * @param requests requests per {@code period} for the whole account (every instance together)
	 * @param burst how many of them may start at once
	 * @param period the CRM's window
	 * @param margin added to the period on our side, for clocks and network jitter
	 * @param daily requests per day for the account
	 * @param searchRequestsPerSecond the search endpoint's own limit
	 * @param maxWait the longest a request waits for a token before the work is put back for later
	 */
	public record Settings(String key, int requests, int burst, Duration period, Duration margin, long daily,
			int searchRequestsPerSecond, Duration maxWait) {

		public Settings {
			if (burst < 1 || burst >= requests) {
				throw new IllegalArgumentException("burst must be at least 1 and below requests (" + requests + ")");
			}
		}

	}

}
