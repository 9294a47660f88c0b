package io.esteira.ingest.callback;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.esteira.ingest.config.IngestProperties;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;

import org.springframework.stereotype.Component;

/**
 * POSTs a callback to a {@link CallbackTarget}, connecting to exactly the addresses its check resolved: each delivery
 * has its own connection manager whose {@link DnsResolver} answers with those addresses and never looks the name up
 * again, so a host that resolves elsewhere by now (DNS rebinding) cannot move the connection. TLS SNI and hostname
 * verification are against the host name (Apache HttpClient's default TLS strategy with the JDK's trust store). No
 * proxy, no redirects (a 3xx is an answer like any other), no automatic retries, no connection reuse; the answer's
 * body is never read. The whole request, from connecting to the answer's headers, has {@code callback-timeout}: a
 * receiver that trickles its answer a byte at a time (each read within the socket timeout) is cut off at that
 * deadline instead of holding the delivery.
 */
@Component
public class CallbackSender {

	/** Cuts off the requests that outlive their deadline. */
	private static final ScheduledExecutorService DEADLINES = Executors
		.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("callback-deadline").factory());

	private final Timeout timeout;

	private final TlsSocketStrategy tls = ClientTlsStrategyBuilder.create().buildClassic();

	CallbackSender(IngestProperties properties) {
		this.timeout = Timeout.of(properties.notifications().callbackTimeout());
	}

	/**
	 * @return the HTTP status of the answer
	 * @throws IOException if no connection could be made to the checked addresses, or no whole answer came in time
	 */
	public int post(CallbackTarget target, Map<String, String> headers, byte[] body) throws IOException {
		try (CloseableHttpClient client = clientFor(target)) {
			HttpPost post = new HttpPost(target.uri());
			headers.forEach(post::setHeader);
			post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
			ScheduledFuture<?> deadline = DEADLINES.schedule(post::cancel, this.timeout.toMilliseconds(),
					TimeUnit.MILLISECONDS);
			try (ClassicHttpResponse response = client.executeOpen(null, post, null)) {
				// closed without reading the body: the connection is discarded, a receiver cannot stream at us
				return response.getCode();
			}
			catch (IOException ex) {
				if (post.isCancelled()) {
					throw new InterruptedIOException("No whole answer from " + target.host() + " within "
							+ this.timeout.toDuration());
				}
				throw ex;
			}
			finally {
				deadline.cancel(false);
			}
		}
	}

	private CloseableHttpClient clientFor(CallbackTarget target) {
		InetAddress[] checked = target.addresses().toArray(InetAddress[]::new);
		DnsResolver pinned = new DnsResolver() {

			@Override
			public InetAddress[] resolve(String host) {
				return checked.clone();
			}

			@Override
			public String resolveCanonicalHostname(String host) {
				return target.host();
			}

		};
		return HttpClients.custom()
			.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
				.setDnsResolver(pinned)
				.setTlsSocketStrategy(this.tls)
				.setDefaultConnectionConfig(ConnectionConfig.custom()
					.setConnectTimeout(this.timeout)
					.setSocketTimeout(this.timeout)
					.build())
				.build())
			.setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(this.timeout).build())
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableCookieManagement()
			.disableConnectionState()
			.build();
	}

}
