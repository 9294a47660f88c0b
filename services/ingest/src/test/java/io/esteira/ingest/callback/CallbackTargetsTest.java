package io.esteira.ingest.callback;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import io.esteira.ingest.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CallbackTargetsTest {

	/** {@code public.example} is on the internet, {@code inside.example} resolves to 127.0.0.1; the rest are literals. */
	private static final CallbackAddressResolver RESOLVER = (host) -> switch (host) {
		case "public.example" -> List.of(InetAddress.ofLiteral("203.0.113.10"));
		case "inside.example" -> List.of(InetAddress.ofLiteral("127.0.0.1"));
		case "mixed.example" -> List.of(InetAddress.ofLiteral("203.0.113.10"), InetAddress.ofLiteral("10.1.2.3"));
		case "metadata.example" -> List.of(InetAddress.ofLiteral("169.254.169.254"));
		case "receiver.internal" -> List.of(InetAddress.ofLiteral("10.20.1.5"));
		default -> {
			try {
				yield List.of(InetAddress.ofLiteral(host));
			}
			catch (IllegalArgumentException ex) {
				throw new UnknownHostException(host);
			}
		}
	};

	private final CallbackTargets defaults = targets(List.of(), List.of(), List.of());

	@ParameterizedTest(name = "{0} is refused as {1}")
	@CsvSource(delimiter = '|', value = { "https://10.0.0.1/|private (RFC 1918)", "https://[::1]/|loopback",
			"https://169.254.169.254/latest/meta-data/|cloud metadata", "https://inside.example/hook|loopback",
			"https://127.0.0.1:8443/|loopback", "https://172.16.5.4/|private (RFC 1918)",
			"https://192.168.1.1/|private (RFC 1918)", "https://100.64.0.1/|carrier-grade NAT",
			"https://0.0.0.0/|this-network", "https://[::]/|unspecified", "https://169.254.10.10/|link-local",
			"https://[fe80::1]/|link-local", "https://[fd00::1]/|unique-local", "https://[fc12:3456::1]/|unique-local",
			"https://224.0.0.251/|multicast", "https://[ff02::1]/|multicast", "https://255.255.255.255/|broadcast",
			"https://240.0.0.1/|reserved", "https://[fd00:ec2::254]/|cloud metadata",
			"https://[::ffff:10.0.0.1]/|private (RFC 1918)", "https://[::ffff:127.0.0.1]/|loopback",
			"https://[::ffff:169.254.169.254]/|cloud metadata", "https://[::127.0.0.1]/|loopback",
			"https://[64:ff9b::a00:1]/|private (RFC 1918)", "https://[2002:a9fe:a9fe::]/|cloud metadata",
			"https://mixed.example/|private (RFC 1918)", "https://168.63.129.16/|cloud metadata" })
	void internalAddressesAreRefused(String url, String addressClass) {
		assertThatExceptionOfType(CallbackRefusedException.class).isThrownBy(() -> this.defaults.check(url))
			.withMessageContaining(addressClass)
			.withMessageContaining("callbacks reach public addresses only");
	}

	@Test
	void aHostNameThatResolvesInsideIsNamedWithItsAddress() {
		assertThatExceptionOfType(CallbackRefusedException.class)
			.isThrownBy(() -> this.defaults.check("https://inside.example/hook"))
			.withMessage("inside.example resolves to 127.0.0.1, which is a loopback address; "
					+ "callbacks reach public addresses only");
	}

	@Test
	void aPublicHttpsReceiverIsCheckedWithTheAddressesItResolvedTo() throws Exception {
		CallbackTarget target = this.defaults.check("https://public.example/hooks/esteira?token=x");

		assertThat(target.host()).isEqualTo("public.example");
		assertThat(target.addresses()).containsExactly(InetAddress.ofLiteral("203.0.113.10"));
		assertThat(target.uri().getQuery()).isEqualTo("token=x");
	}

	@ParameterizedTest(name = "{0}: {1}")
	@CsvSource(delimiter = '|', value = { "http://public.example/hook|must use https",
			"ftp://public.example/hook|must use https", "https://user:pw@public.example/|no user info",
			"/relative/hook|absolute URL", "not a url|not a valid URL", "https:///no-host|absolute URL" })
	void urlsOfTheWrongFormAreRefused(String url, String why) {
		assertThatExceptionOfType(CallbackRefusedException.class).isThrownBy(() -> this.defaults.check(url))
			.withMessageContaining(why);
	}

	@Test
	void aHostThatDoesNotResolveIsNotARefusal() {
		assertThatExceptionOfType(UnknownHostException.class)
			.isThrownBy(() -> this.defaults.check("https://nowhere.example/"));
	}

	@Test
	void internalReceiversAreAllowedByHostOrNetworkButMetadataOnlyWhenListedExactly() throws Exception {
		CallbackTargets allowing = targets(List.of(), List.of("inside.example"),
				List.of("inside.example", "10.20.0.0/16", "169.254.0.0/16", "[::1]"));

		assertThat(allowing.check("http://inside.example:8080/hook").addresses())
			.containsExactly(InetAddress.ofLiteral("127.0.0.1"));
		assertThat(allowing.check("https://receiver.internal/hook").host()).isEqualTo("receiver.internal");
		assertThatExceptionOfType(CallbackRefusedException.class)
			.isThrownBy(() -> allowing.check("https://metadata.example/"))
			.withMessageContaining("cloud metadata");
		assertThatExceptionOfType(CallbackRefusedException.class)
			.isThrownBy(() -> allowing.check("https://10.0.0.1/"));
		CallbackTargets metadata = targets(List.of(), List.of(), List.of("169.254.169.254"));
		assertThat(metadata.check("https://metadata.example/").host()).isEqualTo("metadata.example");
	}

	@Test
	void theHostAllowListNarrowsByName() throws Exception {
		CallbackTargets narrowed = targets(List.of("*.example"), List.of(), List.of());

		assertThat(narrowed.check("https://public.example/").host()).isEqualTo("public.example");
		assertThatExceptionOfType(CallbackRefusedException.class)
			.isThrownBy(() -> narrowed.check("https://203.0.113.10/"))
			.withMessageContaining("is not allowed");
	}

	private static CallbackTargets targets(List<String> hosts, List<String> insecure, List<String> internal) {
		return new CallbackTargets(RESOLVER,
				TestSettings.ingest(Map.of("notifications.callback-hosts", String.join(",", hosts),
						"notifications.insecure-callback-hosts", String.join(",", insecure),
						"notifications.internal-callback-receivers", String.join(",", internal))));
	}

}
