package io.esteira.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The health probes every service answers on its main port, as a load balancer or kubelet asks them. */
public final class TestProbes {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private TestProbes() {
	}

	/** Asserts that {@code /livez} and {@code /readyz} on {@code localhost:port} answer 200 and {@code UP}. */
	public static void assertUp(int port) throws IOException, InterruptedException {
		for (String probe : List.of("/livez", "/readyz")) {
			HttpResponse<String> answer = HTTP.send(
					HttpRequest.newBuilder(URI.create("http://localhost:" + port + probe)).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).as(probe).isEqualTo(200);
			assertThat(answer.body()).as(probe).contains("\"UP\"");
		}
	}

}
