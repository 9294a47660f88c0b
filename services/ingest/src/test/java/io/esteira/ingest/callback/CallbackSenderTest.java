package io.esteira.ingest.callback;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.esteira.ingest.TestSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The delivery connects to the addresses the check resolved, never to what the name resolves to later. */
class CallbackSenderTest {

	private static final byte[] BODY = "{}".getBytes();

	private final WireMockServer receiver = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());

	private final CallbackSender sender = new CallbackSender(
			TestSettings.ingest(Map.of("notifications.callback-timeout", "700ms")));

	@BeforeEach
	void start() {
		this.receiver.start();
		this.receiver.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(204)));
		this.receiver.stubFor(post(urlEqualTo("/moved"))
			.willReturn(aResponse().withStatus(302).withHeader("Location", "/hook")));
	}

	@AfterEach
	void stop() {
		this.receiver.stop();
	}

	@Test
	void aRebindingHostCannotMoveTheConnectionToTheLoopbackReceiver() {
		// public when checked, loopback on every later lookup
		AtomicInteger lookups = new AtomicInteger();
		CallbackAddressResolver rebinding = (host) -> List.of(InetAddress
			.ofLiteral((lookups.getAndIncrement() == 0) ? "203.0.113.7" : "127.0.0.1"));
		CallbackTargets targets = targets(rebinding, "rebind.example");

		assertThatExceptionOfType(IOException.class).isThrownBy(() -> this.sender
			.post(targets.check("http://rebind.example:" + this.receiver.port() + "/hook"), Map.of(), BODY));

		assertThat(lookups).hasValue(1);
		assertThat(this.receiver.findAll(anyRequestedFor(anyUrl())))
			.isEmpty();
	}

	@Test
	void theDeliveryGoesToTheCheckedAddressWithoutLookingTheNameUpAgain() throws Exception {
		// a name no DNS knows: the request can only reach the receiver through the checked address
		CallbackTargets targets = targets((host) -> List.of(InetAddress.ofLiteral("127.0.0.1")), "receiver.invalid");
		CallbackTarget target = targets.check("http://receiver.invalid:" + this.receiver.port() + "/hook");

		int status = this.sender.post(target, Map.of("X-Esteira-Delivery", "d-1"), BODY);

		assertThat(status).isEqualTo(204);
		assertThat(this.receiver.getAllServeEvents()).singleElement()
			.satisfies((event) -> assertThat(event.getRequest().getHeader("Host"))
				.isEqualTo("receiver.invalid:" + this.receiver.port()))
			.satisfies((event) -> assertThat(event.getRequest().getHeader("X-Esteira-Delivery")).isEqualTo("d-1"));
	}

	@Test
	void aRedirectIsAnAnswerNotFollowed() throws Exception {
		CallbackTargets targets = targets((host) -> List.of(InetAddress.ofLiteral("127.0.0.1")), "receiver.invalid");

		int status = this.sender
			.post(targets.check("http://receiver.invalid:" + this.receiver.port() + "/moved"), Map.of(), BODY);

		assertThat(status).isEqualTo(302);
		assertThat(this.receiver.getAllServeEvents()).hasSize(1);
	}

	@Test
	void aReceiverTricklingItsAnswerIsCutOffAtTheDeadline() throws Exception {
		// Reads the request, then sends a header byte every 200 ms (each read well within the 700 ms timeout) for up
		// to 30 s: without a deadline for the whole answer, the delivery would wait all that time.
		try (ServerSocket trickler = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			Thread.ofVirtual().start(() -> trickle(trickler));
			CallbackTargets targets = targets((host) -> List.of(InetAddress.ofLiteral("127.0.0.1")),
					"receiver.invalid");
			CallbackTarget target = targets.check("http://receiver.invalid:" + trickler.getLocalPort() + "/hook");
			long started = System.nanoTime();

			assertThatExceptionOfType(InterruptedIOException.class)
				.isThrownBy(() -> this.sender.post(target, Map.of(), BODY))
				.withMessageContaining("within");

			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
		}
	}

	private static void trickle(ServerSocket server) {
		try (Socket socket = server.accept()) {
			socket.getInputStream().read(new byte[8192]);
			OutputStream out = socket.getOutputStream();
			out.write("HTTP/1.1 200 OK\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
			for (int i = 0; i < 150; i++) {
				out.write('a');
				out.flush();
				Thread.sleep(200);
			}
		}
		catch (IOException | InterruptedException ex) {
			// the client hung up: what the test expects
		}
	}

	/** Plain http and internal addresses allowed for {@code host} only, as the local receivers of tests. */
	private static CallbackTargets targets(CallbackAddressResolver resolver, String host) {
		return new CallbackTargets(resolver, TestSettings.ingest(Map.of("notifications.insecure-callback-hosts", host,
				"notifications.internal-callback-receivers", host)));
	}

}
