package io.esteira.ingest.callback;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves a callback's host name to its addresses — once per check: the delivery then connects to exactly the
 * addresses that were checked. The application's is the system resolver ({@link SystemCallbackAddressResolver});
 * tests provide their own (a name that resolves to 127.0.0.1, a rebinding one).
 */
@FunctionalInterface
public interface CallbackAddressResolver {

	/**
	 * @param host a host name, or an IP address literal (IPv6 without brackets)
	 * @return its addresses, never empty
	 * @throws UnknownHostException if it does not resolve
	 */
	List<InetAddress> resolve(String host) throws UnknownHostException;

}
