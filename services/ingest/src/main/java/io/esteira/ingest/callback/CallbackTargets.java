package io.esteira.ingest.callback;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.esteira.ingest.config.IngestProperties;

import org.springframework.stereotype.Component;

/**
 * The one check of a {@code callbackUrl}, made when an upload is registered and again, authoritatively, before each
 * delivery: an absolute URL without user info; {@code https} (plain {@code http} only to
 * {@code insecure-callback-hosts}); a host on {@code callback-hosts} when that allow-list is set; and every address
 * the host resolves to (resolved once, by the {@link CallbackAddressResolver}) public — not loopback, private,
 * link-local, unique-local, carrier-grade NAT, multicast, broadcast, reserved or a cloud metadata address
 * ({@link InternalAddresses}), unless {@code internal-callback-receivers} allows it. A host with any refused address
 * is refused as a whole. The checked addresses are what a delivery connects to ({@link CallbackSender}), so the
 * host cannot resolve elsewhere in between (DNS rebinding).
 */
@Component
public class CallbackTargets {

	private final CallbackAddressResolver resolver;

	private final List<String> callbackHosts;

	private final List<String> insecureHosts;

	private final List<String> internalHosts = new ArrayList<>();

	private final List<IpNetwork> internalNetworks = new ArrayList<>();

	CallbackTargets(CallbackAddressResolver resolver, IngestProperties properties) {
		IngestProperties.Notifications settings = properties.notifications();
		this.resolver = resolver;
		this.callbackHosts = lowerCase(settings.callbackHosts());
		this.insecureHosts = lowerCase(settings.insecureCallbackHosts());
		for (String receiver : lowerCase(settings.internalCallbackReceivers())) {
			if (IpNetwork.isNetwork(receiver)) {
				this.internalNetworks.add(IpNetwork.parse(receiver));
			}
			else {
				this.internalHosts.add(receiver);
			}
		}
	}

	/**
	 * Checks a callback URL and resolves its host once.
	 * @throws CallbackRefusedException if it may not be called (the message says why)
	 * @throws UnknownHostException if its host does not resolve (now)
	 */
	public CallbackTarget check(String callbackUrl) throws UnknownHostException {
		URI uri;
		try {
			uri = new URI(callbackUrl.strip());
		}
		catch (URISyntaxException ex) {
			throw new CallbackRefusedException("not a valid URL");
		}
		if (uri.getHost() == null || uri.getRawUserInfo() != null || !uri.isAbsolute()) {
			throw new CallbackRefusedException("must be an absolute URL with a host and no user info");
		}
		String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
		String host = unbracketed(uri.getHost().toLowerCase(Locale.ROOT));
		boolean secure = scheme.equals("https");
		boolean insecureAllowed = scheme.equals("http") && matches(host, this.insecureHosts);
		if (!secure && !insecureAllowed) {
			throw new CallbackRefusedException("must use https");
		}
		if (!this.callbackHosts.isEmpty() && !matches(host, this.callbackHosts)) {
			throw new CallbackRefusedException("host " + host + " is not allowed");
		}
		List<InetAddress> addresses = this.resolver.resolve(host);
		if (addresses.isEmpty()) {
			throw new UnknownHostException(host);
		}
		for (InetAddress address : addresses) {
			refusal(host, address).ifPresent((reason) -> {
				throw new CallbackRefusedException(reason);
			});
		}
		return new CallbackTarget(uri, host, addresses);
	}

	/** Why {@code host} may not be reached at {@code address}; empty if it may. */
	private Optional<String> refusal(String host, InetAddress address) {
		Optional<String> internal = InternalAddresses.classOf(address);
		if (internal.isEmpty() || isAllowedInternal(host, address)) {
			return Optional.empty();
		}
		String literal = address.getHostAddress();
		String where = unbracketed(literal).equalsIgnoreCase(host) ? literal
				: host + " resolves to " + literal + ", which";
		return Optional.of(where + " is a " + internal.get() + " address; callbacks reach public addresses only");
	}

	private boolean isAllowedInternal(String host, InetAddress address) {
		Optional<InetAddress> ipv4 = InternalAddresses.embeddedIpv4(address);
		boolean metadata = InternalAddresses.METADATA.stream()
			.anyMatch((network) -> network.contains(address) || ipv4.filter(network::contains).isPresent());
		if (metadata) {
			// only an entry that is exactly this address opens a metadata service
			return this.internalNetworks.stream()
				.anyMatch((network) -> network.isExactly(address) || ipv4.filter(network::isExactly).isPresent());
		}
		return matches(host, this.internalHosts) || this.internalNetworks.stream()
			.anyMatch((network) -> network.contains(address) || ipv4.filter(network::contains).isPresent());
	}

	private static boolean matches(String host, List<String> patterns) {
		for (String pattern : patterns) {
			if (pattern.startsWith("*.") ? host.endsWith(pattern.substring(1)) : host.equals(pattern)) {
				return true;
			}
		}
		return false;
	}

	private static String unbracketed(String host) {
		return (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
	}

	private static List<String> lowerCase(List<String> values) {
		return values.stream()
			.map((value) -> value.strip().toLowerCase(Locale.ROOT))
			.filter((value) -> !value.isEmpty())
			.toList();
	}

}
