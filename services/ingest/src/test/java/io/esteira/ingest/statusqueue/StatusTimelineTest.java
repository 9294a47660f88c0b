package io.esteira.ingest.statusqueue;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.awspring.cloud.sqs.operations.SqsTemplate;
import io.esteira.ingest.IngestApi;
import io.esteira.ingest.IngestIntegrationTest;
import io.esteira.ingest.TestFiles;
import io.esteira.ingest.TestNotifications;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IngestIntegrationTest
class StatusTimelineTest {

	private static final String STATUS_QUEUE = "esteira-status";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final EsteiraInfrastructure infra = EsteiraInfrastructure.shared();

	@LocalServerPort
	private int port;

	@Autowired
	private SqsTemplate sqsTemplate;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private MeterRegistry meters;

	private IngestApi api;

	@BeforeEach
	void cleanQueues() {
		this.infra.purgeQueues();
		this.api = new IngestApi(this.port);
	}

	@Test
	void statusEventsMoveTheUploadFromReceivedToProcessingToCompleted() {
		UUID id = anUpload();

		sendAsPlainJson(processing(id, Instant.now()));
		awaitStatus(id, "PROCESSING");

		// Services send through SqsTemplate (the outbox relay), which adds a type header: that must work too.
		this.sqsTemplate.send(STATUS_QUEUE, completed(id, Instant.now()));
		awaitStatus(id, "COMPLETED");

		List<JsonNode> steps = TestNotifications.pipelineSteps(upload(id));
		assertThat(steps).hasSize(3);
		assertThat(steps.get(1).path("service").asString()).isEqualTo("image-processing");
		assertThat(steps.get(1).path("outcome").asString()).isEqualTo("STARTED");
		assertThat(steps.get(2).path("service").asString()).isEqualTo("crm-sync");
		assertThat(steps.get(2).path("reason").asString()).isEqualTo("contact 5101 updated");
	}

	@Test
	void theSameEventDeliveredTwiceIsRecordedOnce() {
		UUID id = anUpload();
		UploadStatusEvent event = processing(id, Instant.now());

		sendAsPlainJson(event);
		sendAsPlainJson(event);
		awaitStatus(id, "PROCESSING");
		awaitQueueDrained(STATUS_QUEUE);

		assertThat(upload(id).path("steps").size()).isEqualTo(2);
	}

	@Test
	void lateProcessingAfterCompletedIsRecordedButKeepsCompleted() {
		UUID id = anUpload();
		Instant started = Instant.now();
		sendAsPlainJson(completed(id, started.plusSeconds(5)));
		awaitStatus(id, "COMPLETED");

		sendAsPlainJson(processing(id, started));
		await().atMost(Duration.ofSeconds(15))
			.until(() -> TestNotifications.pipelineSteps(upload(id)).size() == 3);

		JsonNode upload = upload(id);
		List<JsonNode> steps = TestNotifications.pipelineSteps(upload);
		assertThat(upload.path("status").asString()).isEqualTo("COMPLETED");
		// ordered by when the steps happened, not when they arrived
		assertThat(steps.get(1).path("status").asString()).isEqualTo("PROCESSING");
		assertThat(steps.get(2).path("status").asString()).isEqualTo("COMPLETED");
	}

	@Test
	void eachStepShowsTheTraceItWasRecordedIn() {
		UUID id = anUpload();
		String traceId = HexFormat.of().formatHex(UUID.randomUUID().toString().getBytes(), 0, 16);
		String traceparent = "00-" + traceId + "-" + traceId.substring(0, 16) + "-01";
		String body = JSON.writeValueAsString(processing(id, Instant.now()));

		// the reporting service's trace travels as a message attribute (SQS observation, W3C trace context)
		this.infra.sqsClient()
			.sendMessage((send) -> send.queueUrl(this.infra.queueUrl(STATUS_QUEUE))
				.messageBody(body)
				.messageAttributes(Map.of("traceparent",
						MessageAttributeValue.builder().dataType("String").stringValue(traceparent).build())));

		awaitStatus(id, "PROCESSING");
		List<JsonNode> steps = TestNotifications.pipelineSteps(upload(id));
		// ingest's own step is in the trace of the upload request
		assertThat(steps.get(0).path("step").asString()).isEqualTo("received");
		assertThat(steps.get(0).path("traceId").asString()).matches("[0-9a-f]{32}").isNotEqualTo(traceId);
		assertThat(steps.get(1).path("traceId").asString()).isEqualTo(traceId);
	}

	@Test
	void eventForAnUnknownUploadIsDroppedWithoutRetry() {
		sendAsPlainJson(processing(UUID.randomUUID(), Instant.now()));

		awaitQueueDrained(STATUS_QUEUE);
		assertThat(messagesIn(this.infra.deadLetterQueueUrl(STATUS_QUEUE))).isZero();
	}

	@Test
	void malformedMessagesEndInTheDeadLetterQueueAndTheListenerKeepsWorking() {
		String queue = this.infra.queueUrl(STATUS_QUEUE);
		String dlq = this.infra.deadLetterQueueUrl(STATUS_QUEUE);
		this.infra.sqsClient().sendMessage((send) -> send.queueUrl(queue).messageBody("this is not JSON"));
		this.infra.sqsClient()
			.sendMessage((send) -> send.queueUrl(queue)
				.messageBody("{\"service\":\"image-processing\",\"step\":\"thumbnail\",\"outcome\":\"STARTED\","
						+ "\"attempt\":1}"));

		await().atMost(Duration.ofSeconds(25)).until(() -> messagesIn(dlq) == 2);

		UUID id = anUpload();
		sendAsPlainJson(processing(id, Instant.now()));
		awaitStatus(id, "PROCESSING");
	}

	@Test
	void aReportThatFailsToRecordIsRetriedAfterThePolicysDelay() {
		UUID id = anUpload();
		double retriesBefore = count("esteira.status.retries");
		failRecordingStepsOf(id);
		Instant failedAt;
		try {
			sendAsPlainJson(processing(id, Instant.now()));
			await().atMost(Duration.ofSeconds(15)).until(() -> count("esteira.status.retries") > retriesBefore);
			failedAt = Instant.now();
		}
		finally {
			recordStepsAgain();
		}

		awaitStatus(id, "PROCESSING");
		// The policy's 4 s, not the queue's 3 s visibility: the listener changed the message's visibility.
		assertThat(Duration.between(failedAt, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(3500));
		assertThat(count("esteira.status.retries")).isEqualTo(retriesBefore + 1);
		assertThat(TestNotifications.pipelineSteps(upload(id))).hasSize(2);
		awaitQueueDrained(STATUS_QUEUE);
		assertThat(messagesIn(this.infra.deadLetterQueueUrl(STATUS_QUEUE))).isZero();
	}

	@Test
	void aReportThatFailsToRecordOnEveryAttemptEndsInTheDeadLetterQueue() {
		UUID id = anUpload();
		String dlq = this.infra.deadLetterQueueUrl(STATUS_QUEUE);
		double retriesBefore = count("esteira.status.retries");
		double failuresBefore = count("esteira.status.failures");
		failRecordingStepsOf(id);
		Instant sent = Instant.now();
		try {
			sendAsPlainJson(processing(id, sent));
			await().atMost(Duration.ofSeconds(45)).until(() -> count("esteira.status.failures") > failuresBefore);
			await().atMost(Duration.ofSeconds(15)).until(() -> messagesIn(dlq) == 1);
		}
		finally {
			recordStepsAgain();
		}

		// Three attempts, 4 s and 6 s apart; the last one made the message visible at once, on to the DLQ.
		assertThat(Duration.between(sent, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
		assertThat(count("esteira.status.retries")).isEqualTo(retriesBefore + 2);
		assertThat(count("esteira.status.failures")).isEqualTo(failuresBefore + 1);
		assertThat(upload(id).path("status").asString()).isEqualTo("RECEIVED");
	}

	/** The database refuses every step of {@code uploadId}: a real failure of the insert, as in an outage. */
	private void failRecordingStepsOf(UUID uploadId) {
		this.jdbc.sql("""
				CREATE OR REPLACE FUNCTION test_refuse_steps() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN
				  IF NEW.upload_id = '%s' THEN RAISE EXCEPTION 'database unavailable (test)'; END IF;
				  RETURN NEW;
				END $$""".formatted(uploadId)).update();
		this.jdbc.sql("""
				CREATE TRIGGER test_refuse_steps BEFORE INSERT ON upload_steps
				FOR EACH ROW EXECUTE FUNCTION test_refuse_steps()""").update();
	}

	private void recordStepsAgain() {
		this.jdbc.sql("DROP TRIGGER IF EXISTS test_refuse_steps ON upload_steps").update();
		this.jdbc.sql("DROP FUNCTION IF EXISTS test_refuse_steps()").update();
	}

	private double count(String name) {
		return this.meters.find(name).counters().stream().mapToDouble(Counter::count).sum();
	}

	private UUID anUpload() {
		IngestApi.Response accepted = this.api.upload(IngestApi.WRITER_KEY, "image", "photo.png", TestFiles.aPng(),
				Map.of("crmContactId", "5101"));
		assertThat(accepted.status()).isEqualTo(202);
		return UUID.fromString(accepted.body().path("id").asString());
	}

	private static UploadStatusEvent processing(UUID uploadId, Instant at) {
		return new UploadStatusEvent(UUID.randomUUID(), uploadId, "image-processing", "thumbnail",
				StepOutcome.STARTED, UploadStatus.PROCESSING, null, 1, at);
	}

	private static UploadStatusEvent completed(UUID uploadId, Instant at) {
		return new UploadStatusEvent(UUID.randomUUID(), uploadId, "crm-sync", "crm-sync", StepOutcome.SUCCEEDED,
				UploadStatus.COMPLETED, "contact 5101 updated", 1, at);
	}

	/** What any producer can send: the event as JSON, no message attributes. */
	private void sendAsPlainJson(UploadStatusEvent event) {
		String body = JSON.writeValueAsString(event);
		this.infra.sqsClient()
			.sendMessage((send) -> send.queueUrl(this.infra.queueUrl(STATUS_QUEUE)).messageBody(body));
	}

	private JsonNode upload(UUID id) {
		return this.api.get(IngestApi.READER_KEY, "/api/uploads/" + id).body();
	}

	private void awaitStatus(UUID id, String status) {
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(upload(id).path("status").asString()).isEqualTo(status));
	}

	private void awaitQueueDrained(String queueName) {
		String url = this.infra.queueUrl(queueName);
		await().atMost(Duration.ofSeconds(15)).until(() -> messagesIn(url) == 0 && messagesInFlight(url) == 0);
	}

	private int messagesIn(String queueUrl) {
		return attribute(queueUrl, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
	}

	private int messagesInFlight(String queueUrl) {
		return attribute(queueUrl, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE);
	}

	private int attribute(String queueUrl, QueueAttributeName name) {
		return Integer.parseInt(this.infra.sqsClient()
			.getQueueAttributes((request) -> request.queueUrl(queueUrl).attributeNames(name))
			.attributes()
			.get(name));
	}

}
