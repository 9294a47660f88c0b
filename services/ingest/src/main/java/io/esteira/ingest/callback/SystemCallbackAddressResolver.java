package io.esteira.ingest.callback;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.springframework.stereotype.Component;

/** The JVM's resolver ({@link InetAddress#getAllByName}); an IP literal is parsed without a lookup. */
@Component
class SystemCallbackAddressResolver implements CallbackAddressResolver {

	@Override
	public List<InetAddress> resolve(String host) throws UnknownHostException {
		return List.of(InetAddress.getAllByName(host));
	}

}
