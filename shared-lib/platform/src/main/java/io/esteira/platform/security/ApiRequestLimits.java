package io.esteira.platform.security;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.http.HttpServletRequest;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The abuse limits of the REST APIs ({@link RateLimitProperties}, {@code esteira.security.rate-limit.*}), as Bucket4j
 * token buckets in this replica's memory:
 * <ul>
 * <li>one bucket per authenticated client (its API key's name, or its token's principal claim);
 * a client over its limit is answered {@code 429} with {@code Retry-After};</li>
 * <li>one bucket of failed authentications per remote address, only for addresses that failed, in a map bounded by
 * {@code failed-authentications.tracked-addresses} (the address that failed least recently is forgotten first).</li>
 * </ul>
 * Every failed authentication is logged at WARN (address, method, path, reason: never the key, nor its hash) and
 * counted in {@value #FAILURES}{@code {reason}}; requests refused by either limit are counted in
 * {@value #LIMITED}{@code {limit}}, and logged once each time a client or an address starts being refused.
 * Thread-safe.
 */
public class ApiRequestLimits {

	/**
	 * Counter of failed authentications, tag {@code reason}: {@code unknown-key}, {@code missing-key} or
	 * {@code invalid-token}.
	 */
	public static final String FAILURES = "esteira.security.authentication.failures";

	/** Counter of requests answered 429, tag {@code limit}: {@code client} or {@code failed-authentications}. */
	public static final String LIMITED = "esteira.security.rate.limited";

	/** Why an authentication failed (the {@code reason} tag and log word). */
	public enum Failure {

		/** An {@code X-Api-Key} that no configured key hashes to. */
		UNKNOWN_KEY("unknown-key"),

		/** No {@code X-Api-Key} (nor bearer token) on a route that needs one. */
		MISSING_KEY("missing-key"),

		/** A bearer token that is not valid: bad signature or algorithm, expired, wrong issuer or audience. */
		INVALID_TOKEN("invalid-token");

		private final String tag;

		Failure(String tag) {
			this.tag = tag;
		}

		public String tag() {
			return this.tag;
		}

	}

	private static final Logger logger = LoggerFactory.getLogger(ApiRequestLimits.class);

	/** Longest path written to a log line; a request line may be kilobytes long. */
	private static final int MAX_LOGGED_PATH = 200;

	private final RateLimitProperties settings;

	private final MeterRegistry meters;

	private final TimeMeter time;

	private final Map<String, Limited> clients = new ConcurrentHashMap<>();

	private final Map<String, Limited> addresses;

	public ApiRequestLimits(RateLimitProperties settings, MeterRegistry meters) {
		this(settings, meters, TimeMeter.SYSTEM_NANOTIME);
	}

	/** With a clock of Bucket4j's own (tests move time with one). */
	ApiRequestLimits(RateLimitProperties settings, MeterRegistry meters, TimeMeter time) {
		this.settings = settings;
		this.meters = meters;
		this.time = time;
		int tracked = settings.failedAuthentications().trackedAddresses();
		this.addresses = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Limited> eldest) {
				return size() > tracked;
			}

		});
	}

	/**
	 * Seconds the request's remote address must wait before it may try to authenticate again (it used up its failed
	 * authentications); 0 when it may now. A refused request is counted, and the first one of a run logged.
	 */
	public long refusedAuthenticationSeconds(HttpServletRequest request) {
		if (!this.settings.enabled()) {
			return 0;
		}
		String address = request.getRemoteAddr();
		Limited failures = this.addresses.get(address);
		if (failures == null) {
			return 0;
		}
		long nanos = failures.bucket().estimateAbilityToConsume(1).getNanosToWaitForRefill();
		if (nanos <= 0) {
			return 0;
		}
		long seconds = seconds(nanos);
		this.meters.counter(LIMITED, "limit", "failed-authentications").increment();
		if (failures.refusing().compareAndSet(false, true)) {
			logger.warn("Authentication refused to {} for {} s: more than {} failed authentications within {}",
					address, seconds, this.settings.failedAuthentications().limit(),
					this.settings.failedAuthentications().period());
		}
		return seconds;
	}

	/**
	 * Records a failed authentication of the request: logged at WARN (remote address, method, path, reason), counted,
	 * and taken from the address's bucket.
	 */
	public void failed(HttpServletRequest request, Failure failure) {
		String address = request.getRemoteAddr();
		logger.warn("Failed authentication from {}: {} {} ({})", address, request.getMethod(),
				loggable(request.getRequestURI()), failure.tag());
		this.meters.counter(FAILURES, "reason", failure.tag()).increment();
		if (!this.settings.enabled()) {
			return;
		}
		RateLimitProperties.FailedAuthentications limit = this.settings.failedAuthentications();
		Limited failures = this.addresses.computeIfAbsent(address,
				(ignored) -> new Limited(bucket(limit.limit(), limit.period())));
		if (failures.bucket().tryConsume(1)) {
			failures.refusing().set(false);
		}
	}

	/**
	 * Takes a request from the client's bucket.
	 * @return 0 when the request may go on; else the seconds after which the client may make one again
	 */
	public long clientWaitSeconds(String client) {
		if (!this.settings.enabled()) {
			return 0;
		}
		Limited limited = this.clients.computeIfAbsent(client,
				(ignored) -> new Limited(bucket(this.settings.requests(), this.settings.period())));
		ConsumptionProbe probe = limited.bucket().tryConsumeAndReturnRemaining(1);
		if (probe.isConsumed()) {
			limited.refusing().set(false);
			return 0;
		}
		long seconds = seconds(probe.getNanosToWaitForRefill());
		this.meters.counter(LIMITED, "limit", "client").increment();
		if (limited.refusing().compareAndSet(false, true)) {
			logger.warn("Client {} is over its limit of {} requests per {} on this replica: answered 429 for {} s",
					client, this.settings.requests(), this.settings.period(), seconds);
		}
		return seconds;
	}

	/** Whether the limits apply ({@code esteira.security.rate-limit.enabled}). */
	public boolean enabled() {
		return this.settings.enabled();
	}

	/** Addresses whose failed authentications are remembered now (at most {@code tracked-addresses}). */
	int trackedAddresses() {
		return this.addresses.size();
	}

	/** Holds {@code capacity} tokens, refilled evenly over {@code period}. */
	private Bucket bucket(long capacity, Duration period) {
		return Bucket.builder()
			.addLimit((limit) -> limit.capacity(capacity).refillGreedy(capacity, period))
			.withCustomTimePrecision(this.time)
			.build();
	}

	/** {@code Retry-After}: whole seconds, rounded up, at least 1. */
	private static long seconds(long nanos) {
		return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanos + TimeUnit.SECONDS.toNanos(1) - 1));
	}

	/** A path fit for a log line: no control characters, at most {@value #MAX_LOGGED_PATH} characters. */
	private static String loggable(String path) {
		String clean = (path != null) ? path.replaceAll("\\p{Cntrl}", "?") : "";
		return (clean.length() <= MAX_LOGGED_PATH) ? clean : clean.substring(0, MAX_LOGGED_PATH) + "…";
	}

	/** A bucket, and whether its owner is being refused now (so that a run of refusals is logged once). */
	private record Limited(Bucket bucket, AtomicBoolean refusing) {

		Limited(Bucket bucket) {
			this(bucket, new AtomicBoolean());
		}

	}

}
