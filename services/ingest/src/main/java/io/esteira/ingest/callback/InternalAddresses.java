package io.esteira.ingest.callback;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Addresses a callback must not reach unless allow-listed, each with the class that names it in a refusal: this
 * network (0.0.0.0/8), private (RFC 1918), carrier-grade NAT (100.64.0.0/10), loopback, link-local (169.254.0.0/16,
 * fe80::/10), unique-local (fc00::/7), site-local, multicast, broadcast, reserved and special-purpose ranges, and the
 * cloud metadata addresses. IPv6 forms that carry an IPv4 address (IPv4-mapped {@code ::ffff:0:0/96},
 * IPv4-compatible {@code ::/96}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) are judged by that address.
 */
final class InternalAddresses {

	/** Instance metadata services (AWS, GCP, Azure, Alibaba; AWS over IPv6): only an exact allow-list entry opens one. */
	static final List<IpNetwork> METADATA = List.of(IpNetwork.parse("169.254.169.254"),
			IpNetwork.parse("fd00:ec2::254"), IpNetwork.parse("168.63.129.16"), IpNetwork.parse("100.100.100.200"));

	private record Range(IpNetwork network, String name) {

		Range(String cidr, String name) {
			this(IpNetwork.parse(cidr), name);
		}

	}

	/** The first range that contains an address names it (metadata and broadcast before the ranges holding them). */
	private static final List<Range> RANGES = List.of(new Range("0.0.0.0/8", "this-network (0.0.0.0/8)"),
			new Range("10.0.0.0/8", "private (RFC 1918)"), new Range("100.64.0.0/10", "carrier-grade NAT (100.64.0.0/10)"),
			new Range("127.0.0.0/8", "loopback"), new Range("169.254.0.0/16", "link-local"),
			new Range("172.16.0.0/12", "private (RFC 1918)"),
			new Range("192.0.0.0/24", "special-purpose (192.0.0.0/24)"),
			new Range("192.168.0.0/16", "private (RFC 1918)"),
			new Range("198.18.0.0/15", "benchmarking (198.18.0.0/15)"), new Range("224.0.0.0/4", "multicast"),
			new Range("255.255.255.255/32", "broadcast"), new Range("240.0.0.0/4", "reserved (240.0.0.0/4)"),
			new Range("::/128", "unspecified"), new Range("::1/128", "loopback"),
			new Range("100::/64", "discard-only (100::/64)"), new Range("fc00::/7", "unique-local (fc00::/7)"),
			new Range("fe80::/10", "link-local"), new Range("fec0::/10", "site-local"),
			new Range("ff00::/8", "multicast"));

	private static final IpNetwork IPV4_COMPATIBLE = IpNetwork.parse("::/96");

	private static final IpNetwork NAT64 = IpNetwork.parse("64:ff9b::/96");

	private static final IpNetwork SIX_TO_FOUR = IpNetwork.parse("2002::/16");

	private InternalAddresses() {
	}

	/** The class of an address a callback must not reach unless allow-listed; empty for a public address. */
	static Optional<String> classOf(InetAddress address) {
		if (METADATA.stream().anyMatch((network) -> network.contains(address))) {
			return Optional.of("cloud metadata");
		}
		Optional<String> range = RANGES.stream()
			.filter((candidate) -> candidate.network().contains(address))
			.map(Range::name)
			.findFirst();
		if (range.isPresent()) {
			return range;
		}
		return embeddedIpv4(address)
			.flatMap((ipv4) -> classOf(ipv4).map((name) -> name + ", as " + ipv4.getHostAddress() + " in IPv6"));
	}

	/** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), if it carries one. */
	static Optional<InetAddress> embeddedIpv4(InetAddress address) {
		if (!(address instanceof Inet6Address)) {
			return Optional.empty();
		}
		byte[] bytes = address.getAddress();
		if (isIpv4Mapped(bytes) || IPV4_COMPATIBLE.contains(address) || NAT64.contains(address)) {
			return Optional.of(ipv4(Arrays.copyOfRange(bytes, 12, 16)));
		}
		if (SIX_TO_FOUR.contains(address)) {
			return Optional.of(ipv4(Arrays.copyOfRange(bytes, 2, 6)));
		}
		return Optional.empty();
	}

	/**
	 * {@code ::ffff:0:0/96}, checked by its bytes: the JDK turns such an address into an {@link Inet4Address} when it
	 * parses or resolves one, so it is seldom seen as IPv6 at all.
	 */
	private static boolean isIpv4Mapped(byte[] bytes) {
		for (int i = 0; i < 10; i++) {
			if (bytes[i] != 0) {
				return false;
			}
		}
		return bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF;
	}

		private static Inet4Address ipv4(byte[] bytes) {
		try {
			return (Inet4Address) InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("Four bytes are an IPv4 address", ex);
		}
	}

}
