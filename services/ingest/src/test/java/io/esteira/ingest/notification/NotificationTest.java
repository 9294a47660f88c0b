package io.esteira.ingest.notification;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.esteira.ingest.IngestApi;
import io.esteira.ingest.IngestIntegrationTest;
import io.esteira.ingest.TestCallbackResolver;
import io.esteira.ingest.TestFiles;
import io.esteira.ingest.TestNotifications;
import io.esteira.ingest.upload.timeline.UploadTimeline;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.TestQueues;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IngestIntegrationTest
class NotificationTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final TestQueues queues = new TestQueues(EsteiraInfrastructure.shared());

	@LocalServerPort
	private int port;

	@Autowired
	private UploadTimeline timeline;

	@Autowired
	private PlatformTransactionManager transactionManager;

	@Autowired
	private JdbcClient jdbc;

	private IngestApi api;

	@BeforeEach
	void setUp() {
		EsteiraInfrastructure.shared().purgeQueues();
		EsteiraInfrastructure.shared().hubSpot().reset();
		TestNotifications.stubSnsPublish();
		this.api = new IngestApi(this.port);
	}

	@Test
	void completedUploadIsPublishedToSnsWithFilterableAttributes() {
		UUID id = anUpload("image", TestFiles.aPng(), Map.of("customerEmail", "ana@example.com"));

		report(id, "crm-sync", StepOutcome.SUCCEEDED, UploadStatus.COMPLETED, "contact updated");

		List<TestNotifications.Published> published = awaitPublished(id, 1);
		assertThat(published.getFirst().parameters()).containsEntry("TopicArn", TestNotifications.TOPIC_ARN);
		assertThat(published.getFirst().attributes()).containsEntry("kind", "image")
			.containsEntry("status", "COMPLETED")
			.containsEntry("customer", "ana@example.com");
		JsonNode message = JSON.readTree(published.getFirst().message());
		assertThat(message.path("uploadId").asString()).isEqualTo(id.toString());
		assertThat(message.path("status").asString()).isEqualTo("COMPLETED");
		assertThat(message.path("reason").asString()).isEqualTo("contact updated");
		await().untilAsserted(() -> assertThat(TestNotifications.stepsNamed(upload(id), "notified")).isEqualTo(1));
	}

	@Test
	void aTerminalStatusThatRollsBackNotifiesNobody() {
		UUID id = anUpload("image", TestFiles.aPng(),
				Map.of("callbackUrl", TestNotifications.baseUrl() + "/cb/" + UUID.randomUUID()));
		UploadStatusEvent completed = new UploadStatusEvent(UUID.randomUUID(), id, "crm-sync", "crm-sync",
				StepOutcome.SUCCEEDED, UploadStatus.COMPLETED, "contact updated", 1, Instant.now());

		new TransactionTemplate(this.transactionManager).executeWithoutResult((transaction) -> {
			assertThat(this.timeline.record(completed)).isEqualTo(UploadTimeline.Recorded.STATUS_CHANGED);
			transaction.setRollbackOnly();
		});

		assertThat(upload(id).path("status").asString()).isEqualTo("RECEIVED");
		assertThat(this.jdbc.sql("select count(*) from event_publication where serialized_event like :id")
			.param("id", "%" + id + "%")
			.query(Long.class)
			.single()).isZero();
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
			.until(() -> TestNotifications.published(id.toString()).isEmpty());
		assertThat(TestNotifications.server().getAllServeEvents())
			.noneMatch((event) -> event.getRequest().getUrl().startsWith("/cb/"));
	}

	@Test
	void everyTerminalStatusIsPublishedOnceAndIntermediateOnesAreNot() {
		UUID rejected = anUpload("invoice", TestFiles.anInvoiceJson(), Map.of("crmContactId", "77"));
		UUID withErrors = anUpload("invoice", TestFiles.anInvoiceJson(), Map.of("customerEmail", "bia@example.com"));
		UUID failed = anUpload("image", TestFiles.aPng(), Map.of("externalRef", "pedido-9"));

		report(rejected, "invoice", StepOutcome.STARTED, UploadStatus.PROCESSING, null);
		report(rejected, "invoice", StepOutcome.REJECTED, UploadStatus.REJECTED, "not an invoice array");
		report(withErrors, "invoice", StepOutcome.SUCCEEDED, UploadStatus.COMPLETED_WITH_ERRORS, "2 of 3 imported");
		report(failed, "image-processing", StepOutcome.FAILED, UploadStatus.FAILED, "retries exhausted");
		// a late event after the terminal one changes nothing and notifies nobody
		report(failed, "image-processing", StepOutcome.STARTED, UploadStatus.PROCESSING, null);

		assertThat(awaitPublished(rejected, 1).getFirst().attributes()).containsEntry("kind", "invoice")
			.containsEntry("status", "REJECTED")
			.containsEntry("customer", "77");
		assertThat(awaitPublished(withErrors, 1).getFirst().attributes()).containsEntry("kind", "invoice")
			.containsEntry("status", "COMPLETED_WITH_ERRORS")
			.containsEntry("customer", "bia@example.com");
		assertThat(awaitPublished(failed, 1).getFirst().attributes()).containsEntry("kind", "image")
			.containsEntry("status", "FAILED")
			.containsEntry("customer", "pedido-9");
		// an upload without customer fields has no customer attribute (a filter on it never matches)
		UUID anonymous = anUpload("image", TestFiles.aPng(), Map.of());
		report(anonymous, "image-processing", StepOutcome.REJECTED, UploadStatus.REJECTED, "not an image");
		assertThat(awaitPublished(anonymous, 1).getFirst().attributes()).containsEntry("kind", "image")
			.containsEntry("status", "REJECTED")
			.doesNotContainKey("customer");
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.queues.isSettled("esteira-status"));
		assertThat(TestNotifications.published(rejected.toString())).hasSize(1);
		assertThat(TestNotifications.published(failed.toString())).hasSize(1);
	}

	@Test
	void snsOutageIsRetriedFromTheOutboxUntilPublished() {
		UUID id = anUpload("image", TestFiles.aPng(), Map.of());
		StubMapping outage = TestNotifications.server()
			.stubFor(post(urlEqualTo("/")).atPriority(1)
				.withRequestBody(containing(id.toString()))
				.willReturn(aResponse().withStatus(503)));

		report(id, "crm-sync", StepOutcome.NEEDS_REVIEW, UploadStatus.NEEDS_REVIEW, "no CRM contact");
		report(id, "crm-sync", StepOutcome.SUCCEEDED, UploadStatus.COMPLETED, "contact updated");
		// the SDK's own retries give up, the publication stays in the outbox as failed, and is resubmitted
		awaitPublished(id, 4);
		TestNotifications.server().removeStub(outage);

		await().atMost(Duration.ofSeconds(20)).until(() -> answered(id, 200) == 1);
		assertThat(answered(id, 503)).isGreaterThanOrEqualTo(4);
		assertThat(TestNotifications.published(id.toString()).getLast().attributes()).containsEntry("status",
				"COMPLETED");
	}

	private static long answered(UUID id, int status) {
		return TestNotifications.server()
			.getAllServeEvents()
			.stream()
			.filter((event) -> event.getRequest().getBodyAsString().contains(id.toString())
					&& event.getResponse().getStatus() == status)
			.count();
	}

	@Test
	void callbackFailingTwiceThenSucceedingGetsExactlyOneSuccessfulSignedDelivery() {
		String path = "/callbacks/" + UUID.randomUUID();
		String scenario = "flaky-" + path;
		TestNotifications.server()
			.stubFor(post(urlEqualTo(path)).inScenario(scenario)
				.whenScenarioStateIs(Scenario.STARTED)
				.willReturn(aResponse().withStatus(500))
				.willSetStateTo("failed once"));
		TestNotifications.server()
			.stubFor(post(urlEqualTo(path)).inScenario(scenario)
				.whenScenarioStateIs("failed once")
				.willReturn(aResponse().withStatus(502))
				.willSetStateTo("failed twice"));
		TestNotifications.server()
			.stubFor(post(urlEqualTo(path)).inScenario(scenario)
				.whenScenarioStateIs("failed twice")
				.willReturn(aResponse().withStatus(204))
				.willSetStateTo("delivered"));
		UUID id = anUpload("image", TestFiles.aPng(),
				Map.of("callbackUrl", TestNotifications.baseUrl() + path, "externalRef", "chat-42"));

		report(id, "crm-sync", StepOutcome.SUCCEEDED, UploadStatus.COMPLETED, "contact updated");

		await().atMost(Duration.ofSeconds(20)).until(() -> TestNotifications.callbacks(path).size() >= 3);
		// No fourth delivery once one succeeded: the outbox holds nothing more to send for the upload...
		await().atMost(Duration.ofSeconds(10)).until(() -> unsentNotifications(id) == 0);
		// ... and nothing more arrives.
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
			.until(() -> TestNotifications.callbacks(path).size() == 3);
		List<LoggedRequest> callbacks = TestNotifications.callbacks(path);
		for (LoggedRequest callback : callbacks) {
			assertThat(callback.getHeader("X-Esteira-Signature")).matches("t=[0-9]+,v1=[0-9a-f]{64}");
			assertThat(TestNotifications.verifies(callback, TestNotifications.WRITER_CALLBACK_SECRET)).isTrue();
			assertThat(TestNotifications.verifies(callback, TestNotifications.PARTNER_CALLBACK_SECRET)).isFalse();
			assertThat(callback.getHeader("X-Esteira-Delivery")).isEqualTo(id + ":1:COMPLETED");
			assertThat(callback.getHeader("Content-Type")).startsWith("application/json");
		}
		JsonNode body = JSON.readTree(callbacks.getLast().getBodyAsString());
		assertThat(body.path("uploadId").asString()).isEqualTo(id.toString());
		assertThat(body.path("status").asString()).isEqualTo("COMPLETED");
		assertThat(body.path("externalRef").asString()).isEqualTo("chat-42");
		assertThat(body.has("callbackUrl")).isFalse();
		JsonNode upload = upload(id);
		assertThat(TestNotifications.stepsNamed(upload, "callback")).isEqualTo(1);
		assertThat(upload.toString()).contains("COMPLETED HTTP 204");
	}

	private JsonNode upload(UUID id) {
		return this.api.get(IngestApi.READER_KEY, "/api/uploads/" + id).body();
	}

	@Test
	void callbackUrlsMustBeHttpsOrLocalHttp() {
		for (String url : List.of("http://example.com/hook", "ftp://localhost/hook", "https://user:pw@example.com/x",
				"/relative/hook", "not a url")) {
			IngestApi.Response response = this.api.upload(IngestApi.WRITER_KEY, "image", "p.png", TestFiles.aPng(),
					Map.of("callbackUrl", url));
			assertThat(response.status()).as(url).isEqualTo(400);
			assertThat(response.body().path("type").asString()).isEqualTo("https://esteira.io/problems/invalid-request");
		}
		assertThat(this.api.upload(IngestApi.WRITER_KEY, "image", "p.png", TestFiles.aPng(),
				Map.of("callbackUrl", "https://hooks.example.com/esteira")).status()).isEqualTo(202);
	}

	@Test
	void eachClientsCallbacksAreSignedWithThatClientsSecret() {
		String path = "/callbacks/" + UUID.randomUUID();
		TestNotifications.server().stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)));
		UUID id = anUpload(IngestApi.PARTNER_KEY, "image", TestFiles.aPng(),
				Map.of("callbackUrl", TestNotifications.baseUrl() + path));

		report(id, "crm-sync", StepOutcome.SUCCEEDED, UploadStatus.COMPLETED, "contact updated");

		await().atMost(Duration.ofSeconds(20)).until(() -> TestNotifications.callbacks(path).size() == 1);
		LoggedRequest callback = TestNotifications.callbacks(path).getFirst();
		assertThat(TestNotifications.verifies(callback, TestNotifications.PARTNER_CALLBACK_SECRET)).isTrue();
		assertThat(TestNotifications.verifies(callback, TestNotifications.WRITER_CALLBACK_SECRET)).isFalse();
	}

	@Test
	void aClientWithoutACallbackSecretCannotRegisterACallback() {
		IngestApi.Response refused = this.api.upload(IngestApi.GUEST_KEY, "image", "p.png", TestFiles.aPng(),
				Map.of("callbackUrl", "https://" + TestCallbackResolver.PUBLIC_HOST + "/esteira"));

		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.body().path("detail").asString()).contains("no signing secret");
		assertThat(this.api.upload(IngestApi.GUEST_KEY, "image", "p.png", TestFiles.aPng()).status()).isEqualTo(202);
	}

	@Test
	void aCallbackWhoseHostNowResolvesInsideIsRefusedAtDeliveryOnTheTimelineAndNotRetried() {
		String host = "flip-" + UUID.randomUUID() + ".example.com";
		TestCallbackResolver.answer(host, "203.0.113.20");
		UUID id = anUpload("image", TestFiles.aPng(), Map.of("callbackUrl", "https://" + host + "/hook"));
		TestCallbackResolver.answer(host, "10.0.0.5");

		report(id, "crm-sync", StepOutcome.SUCCEEDED, UploadStatus.COMPLETED, "contact updated");

		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(TestNotifications.stepsNamed(upload(id), "callback")).isEqualTo(1));
		JsonNode callback = step(upload(id), "callback");
		assertThat(callback.path("outcome").asString()).isEqualTo("REJECTED");
		assertThat(callback.path("reason").asString()).contains("callback refused, not retried")
			.contains(host + " resolves to 10.0.0.5")
			.contains("private (RFC 1918)");
		// the outbox holds nothing more to send for it: it is not retried
		await().atMost(Duration.ofSeconds(10)).until(() -> unsentNotifications(id) == 0);
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
			.until(() -> TestNotifications.stepsNamed(upload(id), "callback") == 1);
	}

	/** Outbox entries about the upload not yet completed (waiting, or failed and to be retried). */
	private long unsentNotifications(UUID id) {
		return this.jdbc
			.sql("select count(*) from event_publication where serialized_event like :id and completion_date is null")
			.param("id", "%" + id + "%")
			.query(Long.class)
			.single();
	}

	private static JsonNode step(JsonNode upload, String name) {
		for (JsonNode step : upload.path("steps")) {
			if (step.path("step").asString().equals(name)) {
				return step;
			}
		}
		throw new AssertionError("No step " + name + " in " + upload);
	}

	private UUID anUpload(String kind, byte[] content, Map<String, String> fields) {
		return anUpload(IngestApi.WRITER_KEY, kind, content, fields);
	}

	private UUID anUpload(String apiKey, String kind, byte[] content, Map<String, String> fields) {
		IngestApi.Response accepted = this.api.upload(apiKey, kind, "file", content, fields);
		assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
		return UUID.fromString(accepted.body().path("id").asString());
	}

	private void report(UUID id, String service, StepOutcome outcome, UploadStatus status, String reason) {
		this.queues.send("esteira-status", JSON.writeValueAsString(new UploadStatusEvent(UUID.randomUUID(), id,
				service, service, outcome, status, reason, 1, Instant.now())));
	}

	private static List<TestNotifications.Published> awaitPublished(UUID id, int count) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> TestNotifications.published(id.toString()).size() >= count);
		return TestNotifications.published(id.toString());
	}

}
