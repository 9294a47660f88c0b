package io.esteira.ingest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.esteira.ingest.callback.CallbackSignature;
import io.esteira.testkit.EsteiraInfrastructure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/**
 * The test kit's WireMock (a real HTTP server) standing in for SNS's Query API ({@code Action=Publish} answered with a
 * {@code PublishResponse}) and for clients' callback endpoints.
 */
public final class TestNotifications {

	public static final String TOPIC_ARN = "arn:aws:sns:us-east-1:000000000000:esteira-notifications";

	/** The callback signing secret of the {@code writer} client ({@link IngestApi#WRITER_KEY}). */
	public static final String WRITER_CALLBACK_SECRET = "test-writer-callback-secret";

	/** The callback signing secret of the {@code partner} client ({@link IngestApi#PARTNER_KEY}). */
	public static final String PARTNER_CALLBACK_SECRET = "test-partner-callback-secret";

	private static final String PUBLISH_RESPONSE = """
			<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
			  <PublishResult><MessageId>{{randomValue type='UUID'}}</MessageId></PublishResult>
			  <ResponseMetadata><RequestId>{{randomValue type='UUID'}}</RequestId></ResponseMetadata>
			</PublishResponse>""";

	private TestNotifications() {
	}

	public static WireMockServer server() {
		return EsteiraInfrastructure.shared().hubSpot().server();
	}

	public static String baseUrl() {
		return EsteiraInfrastructure.shared().hubSpot().baseUrl();
	}

	/** SNS accepts every Publish. */
	public static void stubSnsPublish() {
		server().stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=Publish"))
			.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody(PUBLISH_RESPONSE)));
	}

	/** One SNS Publish as received: its form parameters, and its message attributes by name. */
	public record Published(Map<String, String> parameters, Map<String, String> attributes) {

		public String message() {
			return this.parameters.get("Message");
		}

	}

	/** Every Publish received whose message mentions {@code text} (e.g. an upload id). */
	public static List<Published> published(String text) {
		return server().findAll(postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=Publish")))
			.stream()
			.map(TestNotifications::published)
			.filter((published) -> published.message() != null && published.message().contains(text))
			.toList();
	}

	public static List<LoggedRequest> callbacks(String path) {
		return server().findAll(postRequestedFor(urlEqualTo(path)));
	}

	/** What a receiver checks ({@link CallbackSignature#verify}, 5 minutes' window) with a client's secret. */
	public static boolean verifies(LoggedRequest callback, String secret) {
		return CallbackSignature.verify(secret, callback.getHeader(CallbackSignature.HEADER), callback.getBody(),
				Instant.now(), CallbackSignature.DEFAULT_TOLERANCE);
	}

	/** The upload's steps without ingest's notification records ({@code notified}, {@code callback}). */
	public static List<tools.jackson.databind.JsonNode> pipelineSteps(tools.jackson.databind.JsonNode upload) {
		List<tools.jackson.databind.JsonNode> steps = new java.util.ArrayList<>();
		for (tools.jackson.databind.JsonNode step : upload.path("steps")) {
			boolean notification = step.path("service").asString().equals("ingest")
					&& List.of("notified", "callback").contains(step.path("step").asString());
			if (!notification) {
				steps.add(step);
			}
		}
		return steps;
	}

	/** How many steps named {@code name} the upload has. */
	public static long stepsNamed(tools.jackson.databind.JsonNode upload, String name) {
		long count = 0;
		for (tools.jackson.databind.JsonNode step : upload.path("steps")) {
			count += step.path("step").asString().equals(name) ? 1 : 0;
		}
		return count;
	}

	private static Published published(LoggedRequest request) {
		Map<String, String> parameters = new HashMap<>();
		for (String pair : request.getBodyAsString().split("&")) {
			int eq = pair.indexOf('=');
			String name = URLDecoder.decode((eq < 0) ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
			String value = (eq < 0) ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
			parameters.put(name, value);
		}
		Map<String, String> attributes = new HashMap<>();
		for (int i = 1; parameters.containsKey("MessageAttributes.entry." + i + ".Name"); i++) {
			String prefix = "MessageAttributes.entry." + i;
			attributes.put(parameters.get(prefix + ".Name"), parameters.get(prefix + ".Value.StringValue"));
		}
		return new Published(parameters, attributes);
	}

}
