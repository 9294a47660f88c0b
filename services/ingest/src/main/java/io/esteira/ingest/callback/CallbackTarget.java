package io.esteira.ingest.callback;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;

/**
 * A checked callback: its URL, its host name (without IPv6 brackets, lower case) and the addresses that host
 * resolved to when it was checked, every one of them allowed. A delivery connects to these addresses only.
 */
public record CallbackTarget(URI uri, String host, List<InetAddress> addresses) {

	public CallbackTarget {
		addresses = List.copyOf(addresses);
	}

	/** The host and addresses, not the URL: its query may hold the receiver's token. */
	@Override
	public String toString() {
		return "CallbackTarget[host=" + this.host + ", addresses=" + this.addresses + "]";
	}

}
