package io.esteira.ingest.callback;

import java.net.InetAddress;
import java.util.Arrays;

/** An IPv4 or IPv6 network in CIDR form ({@code 10.0.0.0/8}, {@code fe80::/10}); a bare address is a single host. */
final class IpNetwork {

	private final byte[] prefix;

	private final int bits;

	private IpNetwork(byte[] prefix, int bits) {
		this.prefix = prefix;
		this.bits = bits;
	}

	/**
	 * @param cidr {@code address/bits} or a bare address (IPv6 with or without brackets)
	 * @throws IllegalArgumentException if it is neither
	 */
	static IpNetwork parse(String cidr) {
		String text = cidr.strip();
		int slash = text.indexOf('/');
		String literal = (slash < 0) ? text : text.substring(0, slash);
		if (literal.startsWith("[") && literal.endsWith("]")) {
			literal = literal.substring(1, literal.length() - 1);
		}
		byte[] address = InetAddress.ofLiteral(literal).getAddress();
		int bits = (slash < 0) ? address.length * 8 : Integer.parseInt(text.substring(slash + 1));
		if (bits < 0 || bits > address.length * 8) {
			throw new IllegalArgumentException("Not a network: " + cidr);
		}
		return new IpNetwork(address, bits);
	}

	/** Whether {@code text} looks like an address or network rather than a host name. */
	static boolean isNetwork(String text) {
		try {
			parse(text);
			return true;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	boolean contains(InetAddress address) {
		byte[] candidate = address.getAddress();
		if (candidate.length != this.prefix.length) {
			return false;
		}
		int whole = this.bits / 8;
		if (!Arrays.equals(candidate, 0, whole, this.prefix, 0, whole)) {
			return false;
		}
		int rest = this.bits % 8;
		if (rest == 0) {
			return true;
		}
		int mask = (0xFF << (8 - rest)) & 0xFF;
		return (candidate[whole] & mask) == (this.prefix[whole] & mask);
	}

	/** Whether this is exactly one address, {@code address}. */
	boolean isExactly(InetAddress address) {
		return this.bits == this.prefix.length * 8 && contains(address);
	}

}
