package io.esteira.ingest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.esteira.ingest.callback.CallbackAddressResolver;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The callback host resolver of the integration tests: IP literals are parsed, {@code localhost} is the system's,
 * {@value #PUBLIC_HOST} resolves to a public (documentation) address, {@value #LOOPBACK_HOST} to 127.0.0.1, and a test
 * can make any other name answer what it needs ({@link #answer}); every other name does not resolve (no DNS lookups
 * from tests).
 */
public final class TestCallbackResolver implements CallbackAddressResolver {

	/** A receiver on the internet, as far as the check can tell (TEST-NET-3). */
	public static final String PUBLIC_HOST = "hooks.example.com";

	/** A name that points inside: 127.0.0.1. */
	public static final String LOOPBACK_HOST = "loopback.example.com";

	private static final Map<String, List<InetAddress>> ANSWERS = new ConcurrentHashMap<>(
			Map.of(PUBLIC_HOST, List.of(InetAddress.ofLiteral("203.0.113.10")), LOOPBACK_HOST,
					List.of(InetAddress.ofLiteral("127.0.0.1"))));

	/** From now on {@code host} resolves to {@code addresses} (IP literals). */
	public static void answer(String host, String... addresses) {
		ANSWERS.put(host, List.of(addresses).stream().map(InetAddress::ofLiteral).toList());
	}

	@Override
	public List<InetAddress> resolve(String host) throws UnknownHostException {
		List<InetAddress> answer = ANSWERS.get(host);
		if (answer != null) {
			return answer;
		}
		if (host.equals("localhost")) {
			return List.of(InetAddress.getAllByName(host));
		}
		try {
			return List.of(InetAddress.ofLiteral(host));
		}
		catch (IllegalArgumentException ex) {
			throw new UnknownHostException(host);
		}
	}

	/** Puts it in the application context in place of the system resolver. */
	@TestConfiguration(proxyBeanMethods = false)
	public static class Setup {

		@Bean
		@Primary
		TestCallbackResolver testCallbackResolver() {
			return new TestCallbackResolver();
		}

	}

}
