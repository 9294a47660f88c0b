package io.esteira.crmsync.photo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.esteira.crmsync.load.RollingWindowLimit;
import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.EsteiraTest;
import io.esteira.testkit.Ports;
import io.esteira.testkit.TestHubSpot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.esteira.crmsync.photo.ImageEvents.aContactId;
import static io.esteira.crmsync.photo.ImageEvents.anImageOfContact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 1,000 "image processed" events (4 HubSpot requests each: read contact, update, task, note) against WireMock in a
 * separate process that enforces HubSpot's rolling-window limit ({@link RollingWindowLimit}) at the rate this
 * service is configured with. Prints the achieved rate and the 429s; expects none. On demand only (tag {@code load}):
 * {@code ./mvnw -o -pl services/crm-sync verify -Dtest=HubSpotRateLoadTest -DexcludedGroups=none}
 * ({@code -Dload.events=} to change the count).
 */
@Tag("load")
@EsteiraTest(properties = { "esteira.crm.hubspot.token=load-test-token", "esteira.crm.rate-limit.requests=" + HubSpotRateLoadTest.LIMIT,
		"esteira.crm.rate-limit.period=" + HubSpotRateLoadTest.PERIOD_MILLIS + "ms", "esteira.crm.rate-limit.margin=50ms",
		"esteira.crm.create-property=false", "esteira.retry.steps.crm-sync.max-attempts=50",
		"spring.cloud.aws.sqs.listener.max-concurrent-messages=10" })
class HubSpotRateLoadTest {

	static final int LIMIT = 50;

	static final int PERIOD_MILLIS = 1_000;

	private static final int EVENTS = Integer.getInteger("load.events", 1_000);

	private static Process wireMock;

	private static int port;

	private final EsteiraInfrastructure infrastructure = EsteiraInfrastructure.shared();

	@Autowired
	private JdbcClient jdbc;

	@DynamicPropertySource
	static void hubSpotInAnotherProcess(DynamicPropertyRegistry registry) throws Exception {
		port = Ports.free();
		Path log = Files.createTempFile("wiremock-load", ".log");
		wireMock = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Dload.limit=" + LIMIT, "-Dload.periodMillis=" + PERIOD_MILLIS, "-cp",
				System.getProperty("java.class.path"), "wiremock.Run", "--port", Integer.toString(port),
				"--bind-address", "127.0.0.1", "--extensions", RollingWindowLimit.class.getName(),
				"--global-response-templating", "--no-request-journal", "--disable-banner",
				"--container-threads", "40")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		Ports.awaitOpen(port, Duration.ofSeconds(30), wireMock);
		registry.add("esteira.crm.hubspot.base-url", () -> "http://127.0.0.1:" + port);
	}

	@AfterAll
	static void stopWireMock() {
		if (wireMock != null) {
			wireMock.destroy();
		}
	}

	@Test
	void clientNeverExceedsTheConfiguredRate() throws Exception {
		WireMock hubSpot = new WireMock("127.0.0.1", port);
		TestHubSpot.stubHubSpot(hubSpot::register);
		hubSpot.register(patch(urlPathMatching("/crm/v3/objects/contacts/[0-9]+"))
			.willReturn(HubSpotStubs.json(200, "{\"id\":\"{{request.pathSegments.[4]}}\",\"properties\":{}}")));
		hubSpot.register(get(urlPathEqualTo("/__load/stats")).willReturn(WireMock.ok()));
		this.infrastructure.purgeQueues();
		PipelineQueues queues = new PipelineQueues(this.infrastructure);
		List<UUID> uploads = new ArrayList<>();
		List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
		String queueUrl = this.infrastructure.queueUrl(PipelineQueues.IMAGE_EVENTS);
		long started = System.nanoTime();
		for (int i = 0; i < EVENTS; i++) {
			ImageProcessedEvent event = anImageOfContact(aContactId());
			uploads.add(event.uploadId());
			batch.add(SendMessageBatchRequestEntry.builder()
				.id(Integer.toString(i))
				.messageBody(queues.toJson(event))
				.build());
			if (batch.size() == 10 || i == EVENTS - 1) {
				List<SendMessageBatchRequestEntry> entries = List.copyOf(batch);
				this.infrastructure.sqsClient().sendMessageBatch((request) -> request.queueUrl(queueUrl).entries(entries));
				batch.clear();
			}
		}
		String ids = "{" + String.join(",", uploads.stream().map(UUID::toString).toList()) + "}";

		await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(2))
			.until(() -> this.jdbc.sql("select count(*) from crm_sync.crm_syncs where upload_id = any(cast(? as uuid[])) "
					+ "and task_id is not null and note_id is not null").param(ids).query(Long.class).single(),
					(done) -> done == EVENTS);

		double elapsed = (System.nanoTime() - started) / 1e9;
		JsonNode stats = stats();
		long accepted = stats.get("accepted").asLong();
		long rejected = stats.get("rejected").asLong();
		int maxInWindow = stats.get("maxInWindow").asInt();
		System.out.printf("%nLOAD TEST: %d events in %.1f s; HubSpot stand-in accepted %d requests in %.1f s = %.1f req/s "
				+ "(configured %d per %d ms = %.1f req/s); busiest rolling window %d; 429s: %d%n%n", EVENTS, elapsed,
				accepted, stats.get("seconds").asDouble(), accepted / stats.get("seconds").asDouble(), LIMIT,
				PERIOD_MILLIS, LIMIT * 1000.0 / PERIOD_MILLIS, maxInWindow, rejected);
		assertThat(rejected).isZero();
		assertThat(maxInWindow).isLessThanOrEqualTo(LIMIT);
		assertThat(accepted).isEqualTo(4L * EVENTS);
	}

	private JsonNode stats() throws Exception {
		try (HttpClient http = HttpClient.newHttpClient()) {
			String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/__load/stats")).build(),
					HttpResponse.BodyHandlers.ofString()).body();
			return JsonMapper.builder().build().readTree(body);
		}
	}

}
