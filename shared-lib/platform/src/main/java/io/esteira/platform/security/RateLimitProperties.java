package io.esteira.platform.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The abuse limits of the REST APIs ({@code esteira.security.rate-limit.*}), applied by
 * {@link ApiKeySecurity#apiChain}: a request limit per authenticated client, and a limit on failed authentications
 * per remote address. Both are kept in memory, so <b>they hold per replica</b>: with three replicas behind a load
 * balancer a client may make up to three times {@code requests} per {@code period}. Probes and actuator endpoints are
 * never limited.
 *
 * @param enabled whether either limit applies (default {@code true})
 * @param requests requests one client (an API key) may make per {@code period} on one replica; a token bucket that
 * holds this many and refills them evenly over the period, so a client that was quiet may send them all at once
 * (default {@code 6000}: 100 a second, and a burst of 6000)
 * @param period the period of {@code requests} (default {@code 1m})
 * @param failedAuthentications failed authentications one remote address may make before it is answered {@code 429}
 */
@ConfigurationProperties("esteira.security.rate-limit")
public record RateLimitProperties(@DefaultValue("true") boolean enabled, @DefaultValue("6000") long requests,
		@DefaultValue("1m") Duration period, @DefaultValue FailedAuthentications failedAuthentications) {

	public RateLimitProperties {
		requirePositive("requests", requests, period);
	}

	/**
	 * Failed authentications per remote address ({@code esteira.security.rate-limit.failed-authentications.*}): an
	 * unknown {@code X-Api-Key}, or none on a route that needs one. Once an address has used up {@code limit}, every
	 * request of it that presents a key or needs one is answered {@code 429} (its key is not even looked at) until the
	 * bucket has refilled a token. Behind a reverse proxy or load balancer, set {@code server.forward-headers-strategy}
	 * so that the remote address is the client's, not the proxy's.
	 *
	 * @param limit failed authentications per {@code period} (default {@code 100})
	 * @param period the period of {@code limit} (default {@code 1m})
	 * @param trackedAddresses the most addresses whose failures are remembered; beyond it the address that failed
	 * least recently is forgotten (default {@code 10000}: a few MB at most)
	 */
	public record FailedAuthentications(@DefaultValue("100") long limit, @DefaultValue("1m") Duration period,
			@DefaultValue("10000") int trackedAddresses) {

		public FailedAuthentications {
			requirePositive("failed-authentications.limit", limit, period);
			if (trackedAddresses < 1) {
				throw new IllegalArgumentException(
						"esteira.security.rate-limit.failed-authentications.tracked-addresses must be positive");
			}
		}

	}

	private static void requirePositive(String name, long count, Duration period) {
		if (count < 1 || period == null || period.isNegative() || period.isZero()) {
			throw new IllegalArgumentException("esteira.security.rate-limit." + name + " and its period must be positive");
		}
	}

}
