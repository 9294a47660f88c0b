package io.esteira.ingest.deadletter;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.esteira.ingest.IngestApi;
import io.esteira.ingest.IngestIntegrationTest;
import io.esteira.ingest.TestClock;
import io.esteira.ingest.TestFiles;
import io.esteira.ingest.TestNotifications;
import io.esteira.ingest.config.IngestProperties;
import io.esteira.ingest.config.IngestProperties.DeadLetters.MoveMethod;
import io.esteira.platform.aws.EsteiraAwsProperties;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.contracts.s3.S3Events;
import io.esteira.contracts.s3.S3ObjectEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.TestQueues;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SqsException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IngestIntegrationTest
class RedriveTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final EsteiraInfrastructure infra = EsteiraInfrastructure.shared();

	private final TestQueues queues = new TestQueues(this.infra);

	@LocalServerPort
	private int port;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private SqsAsyncClient sqs;

	@Autowired
	private EsteiraAwsProperties aws;

	@Autowired
	private IngestProperties properties;

	@Autowired
	private TestClock clock;

	@Autowired
	private DeadLetterSteps deadLetterSteps;

	private IngestApi api;

	/** The redrive run each announced message carried (in {@link #awaitS3Events}); {@code null} for none. */
	private final List<String> announcedRuns = new ArrayList<>();

	@BeforeEach
	void setUp() {
		this.infra.purgeQueues();
		this.api = new IngestApi(this.port);
	}

	@Test
	void failedImageRedrivenAfterTheFixEndsCompletedWithBothRunsOnTheTimeline() {
		UUID id = anUpload("image", TestFiles.aPng());
		report(id, "crm-sync", StepOutcome.FAILED, UploadStatus.FAILED, "HubSpot unavailable, retries exhausted");
		awaitStatus(id, "FAILED");

		IngestApi.Response retry = this.api.post(IngestApi.WRITER_KEY, "/api/uploads/" + id + "/retry");

		assertThat(retry.status()).as(retry.text()).isEqualTo(202);
		assertThat(retry.body().path("status").asString()).isEqualTo("PROCESSING");
		assertThat(retry.body().path("run").asInt()).isEqualTo(2);
		assertThat(retry.body().path("started").asBoolean()).isTrue();
		S3ObjectEvent announced = awaitS3Events("esteira-images", 1).getFirst();
		JsonNode upload = upload(id);
		assertThat(announced.key()).isEqualTo(upload.path("objectKey").asString());
		assertThat(announced.bucket()).isEqualTo(EsteiraInfrastructure.NAMES.uploadsBucket());
		assertThat(announced.size()).isEqualTo(TestFiles.aPng().length);
		assertThat(announced.isObjectCreated()).isTrue();
		// The run rides along, so that a stage already done reports again and hands on instead of ignoring it.
		assertThat(this.announcedRuns).containsExactly("2");

		// the CRM is back: the second run succeeds
		report(id, "crm-sync", StepOutcome.SUCCEEDED, UploadStatus.COMPLETED, "contact updated");
		awaitStatus(id, "COMPLETED");

		List<String> steps = new ArrayList<>();
		TestNotifications.pipelineSteps(upload(id))
			.forEach((step) -> steps.add(step.path("step").asString() + ":" + step.path("outcome").asString() + ":"
					+ step.path("attempt").asInt()));
		assertThat(steps).containsExactly("received:SUCCEEDED:1", "crm-sync:FAILED:1", "redrive:STARTED:2",
				"crm-sync:SUCCEEDED:1");
	}

	@Test
	void aLateReportFromTheFailedRunDoesNotEndTheRedrive() {
		UUID id = anUpload("image", TestFiles.aPng());
		Instant failedAt = Instant.now();
		report(id, "crm-sync", StepOutcome.FAILED, UploadStatus.FAILED, "HubSpot unavailable", failedAt);
		awaitStatus(id, "FAILED");
		assertThat(this.api.post(IngestApi.WRITER_KEY, "/api/uploads/" + id + "/retry").status()).isEqualTo(202);

		// the first run's image-processing also failed, but its report only arrives now
		report(id, "image-processing", StepOutcome.FAILED, UploadStatus.FAILED, "slow report",
				failedAt.minusSeconds(1));
		await().until(() -> TestNotifications.pipelineSteps(upload(id)).size() == 4);

		assertThat(upload(id).path("status").asString()).isEqualTo("PROCESSING");
		report(id, "crm-sync", StepOutcome.SUCCEEDED, UploadStatus.COMPLETED, "contact updated", Instant.now());
		awaitStatus(id, "COMPLETED");
	}

	@Test
	void retryingTwiceSendsTheObjectOnce() {
		UUID id = anUpload("invoice", TestFiles.anInvoiceJson());
		report(id, "invoice", StepOutcome.NEEDS_REVIEW, UploadStatus.NEEDS_REVIEW, "unknown CNPJ");
		awaitStatus(id, "NEEDS_REVIEW");

		IngestApi.Response first = this.api.post(IngestApi.WRITER_KEY, "/api/uploads/" + id + "/retry");
		IngestApi.Response second = this.api.post(IngestApi.WRITER_KEY, "/api/uploads/" + id + "/retry");

		assertThat(first.body().path("started").asBoolean()).isTrue();
		assertThat(second.status()).isEqualTo(202);
		assertThat(second.body().path("started").asBoolean()).isFalse();
		assertThat(awaitS3Events("esteira-invoices", 1)).hasSize(1);
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
			.until(() -> this.queues.messageCount("esteira-invoices") == 0);
		long redriveSteps = 0;
		for (JsonNode step : upload(id).path("steps")) {
			redriveSteps += step.path("step").asString().equals("redrive") ? 1 : 0;
		}
		assertThat(redriveSteps).isEqualTo(1);
	}

	@Test
	void aThirtyDayOldFailedUploadCanStillBeRedriven() {
		UUID id = anUpload("image", TestFiles.aJpeg());
		report(id, "image-processing", StepOutcome.FAILED, UploadStatus.FAILED, "retries exhausted");
		awaitStatus(id, "FAILED");
		// 30 days later: past Step Functions' 14-day redrive window and SQS's longest DLQ retention
		this.clock.advance(Duration.ofDays(30));
		try {
			IngestApi.Response retry = this.api.post(IngestApi.WRITER_KEY, "/api/uploads/" + id + "/retry");

			assertThat(retry.status()).as(retry.text()).isEqualTo(202);
			assertThat(retry.body().path("run").asInt()).isEqualTo(2);
			assertThat(awaitS3Events("esteira-images", 1)).hasSize(1);
			report(id, "crm-sync", StepOutcome.SUCCEEDED, UploadStatus.COMPLETED, "contact updated",
					this.clock.instant());
			awaitStatus(id, "COMPLETED");
			JsonNode upload = upload(id);
			Instant created = Instant.parse(upload.path("createdAt").asString());
			JsonNode redrive = null;
			for (JsonNode step : upload.path("steps")) {
				redrive = step.path("step").asString().equals("redrive") ? step : redrive;
			}
			assertThat(redrive).isNotNull();
			assertThat(Duration.between(created, Instant.parse(redrive.path("occurredAt").asString())))
				.isGreaterThanOrEqualTo(Duration.ofDays(30));
		}
		finally {
			this.clock.reset();
		}
	}

	@Test
	void aStuckUploadCanBeRetried() {
		UUID id = anUpload("invoice", TestFiles.anInvoiceJson());
		this.jdbc.sql("update uploads set stuck_since = now() where id = :id").param("id", id).update();

		IngestApi.Response retry = this.api.post(IngestApi.WRITER_KEY, "/api/uploads/" + id + "/retry");

		assertThat(retry.status()).as(retry.text()).isEqualTo(202);
		assertThat(awaitS3Events("esteira-invoices", 1)).hasSize(1);
		JsonNode upload = upload(id);
		assertThat(upload.path("status").asString()).isEqualTo("PROCESSING");
		assertThat(upload.path("stuckSince").isNull()).isTrue();
	}

	@Test
	void onlyFailedReviewOrStuckUploadsCanBeRetried() {
		UUID id = anUpload("image", TestFiles.aPng());

		IngestApi.Response response = this.api.post(IngestApi.WRITER_KEY, "/api/uploads/" + id + "/retry");

		assertThat(response.status()).isEqualTo(409);
		assertThat(response.body().path("type").asString()).isEqualTo("https://esteira.io/problems/not-retryable");
		assertThat(this.api.post(IngestApi.WRITER_KEY, "/api/uploads/" + UUID.randomUUID() + "/retry").status())
			.isEqualTo(404);
		assertThat(this.api.post(IngestApi.READER_KEY, "/api/uploads/" + id + "/retry").status()).isEqualTo(403);
	}

	@Test
	void deadLettersAreListedAndMovedBackToTheirQueue() {
		UUID id = anUpload("image", TestFiles.aPng());
		String lost = JSON.writeValueAsString(new UploadStatusEvent(UUID.randomUUID(), id, "image-processing",
				"thumbnail", StepOutcome.STARTED, UploadStatus.PROCESSING, null, 1, Instant.now()));
		this.infra.sqsClient()
			.sendMessage((send) -> send.queueUrl(this.infra.deadLetterQueueUrl("esteira-status")).messageBody(lost));

		IngestApi.Response listed = this.api.get(IngestApi.ADMIN_KEY, "/api/admin/dead-letter-queues");

		assertThat(listed.status()).as(listed.text()).isEqualTo(200);
		JsonNode status = null;
		for (JsonNode queue : listed.body()) {
			if (queue.path("queue").asString().equals("esteira-status")) {
				status = queue;
			}
		}
		assertThat(status).isNotNull();
		assertThat(status.path("deadLetterQueue").asString()).isEqualTo("esteira-status-dlq");
		assertThat(status.path("messages").asLong()).isEqualTo(1);
		assertThat(status.path("sample").get(0).path("body").asString()).isEqualTo(lost);

		IngestApi.Response moved = this.api.post(IngestApi.ADMIN_KEY,
				"/api/admin/dead-letter-queues/esteira-status/redrive");

		// ElasticMQ has SQS message move tasks, so the move is one, like on AWS
		assertThat(moved.status()).as(moved.text()).isEqualTo(200);
		assertThat(moved.body().path("method").asString()).isEqualTo("move-task");
		assertThat(moved.body().path("started").asBoolean()).isTrue();
		awaitStatus(id, "PROCESSING");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.queues.deadLetterCount("esteira-status")).isZero());
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			JsonNode progress = this.api
				.get(IngestApi.ADMIN_KEY, "/api/admin/dead-letter-queues/esteira-status/redrive")
				.body();
			assertThat(progress.path("supported").asBoolean()).isTrue();
			assertThat(progress.path("tasks").get(0).path("status").asString()).isEqualTo("COMPLETED");
			assertThat(progress.path("tasks").get(0).path("moved").asLong()).isEqualTo(1);
		});
		// moving again finds nothing to move
		IngestApi.Response again = this.api.post(IngestApi.ADMIN_KEY,
				"/api/admin/dead-letter-queues/esteira-status/redrive");
		assertThat(again.status()).as(again.text()).isEqualTo(200);
		assertThat(again.body().path("moved").asInt()).isZero();
		// The move is on the upload's timeline, once, though the task did not show its messages.
		assertThat(this.api.get(IngestApi.READER_KEY, "/api/uploads/" + id).body().path("steps"))
			.filteredOn((step) -> DeadLetterSteps.STEP.equals(step.path("step").asString()))
			.singleElement()
			.satisfies((step) -> assertThat(step.path("reason").asString())
				.isEqualTo("moved from esteira-status-dlq back to esteira-status"));
	}

	@Test
	void whereMoveTasksAreMissingDeadLettersAreReceivedAndResent() {
		UUID id = anUpload("invoice", TestFiles.anInvoiceJson());
		String lost = JSON.writeValueAsString(new UploadStatusEvent(UUID.randomUUID(), id, "invoice",
				"invoice-import", StepOutcome.STARTED, UploadStatus.PROCESSING, null, 1, Instant.now()));
		this.infra.sqsClient()
			.sendMessage((send) -> send.queueUrl(this.infra.deadLetterQueueUrl("esteira-status")).messageBody(lost));
		DeadLetterQueues resending = new DeadLetterQueues(this.sqs, this.aws, JSON, withMove(MoveMethod.RESEND),
				this.deadLetterSteps);

		DeadLetterQueues.Moved moved = resending.moveBack("esteira-status");

		assertThat(moved.method()).isEqualTo("resend");
		assertThat(moved.moved()).isEqualTo(1);
		assertThat(moved.task()).isNull();
		assertThat(resending.moveTasks("esteira-status").supported()).isFalse();
		awaitStatus(id, "PROCESSING");
		assertThat(this.queues.deadLetterCount("esteira-status")).isZero();
		assertThat(resending.moveBack("esteira-status").moved()).isZero();
		// The move is on the upload's timeline, once.
		assertThat(this.api.get(IngestApi.READER_KEY, "/api/uploads/" + id).body().path("steps"))
			.filteredOn((step) -> DeadLetterSteps.STEP.equals(step.path("step").asString()))
			.singleElement()
			.satisfies((step) -> {
				assertThat(step.path("service").asString()).isEqualTo("ingest");
				assertThat(step.path("reason").asString()).isEqualTo("moved from esteira-status-dlq back to esteira-status");
			});
	}

	@Test
	void anEndpointThatDoesNotKnowMoveTasksIsToldApartFromOtherErrors() {
		assertThat(DeadLetterQueues.isUnsupported(sqsError(400, "UnknownOperationException"))).isTrue();
		assertThat(DeadLetterQueues.isUnsupported(sqsError(400, "InvalidAction"))).isTrue();
		assertThat(DeadLetterQueues.isUnsupported(sqsError(400, "AWS.SimpleQueueService.UnsupportedOperation")))
			.isTrue();
		assertThat(DeadLetterQueues.isUnsupported(sqsError(501, "NotImplemented"))).isTrue();
		assertThat(DeadLetterQueues.isUnsupported(sqsError(403, "AccessDenied"))).isFalse();
		assertThat(DeadLetterQueues.isUnsupported(sqsError(400, "InvalidParameterValue"))).isFalse();
	}

	private static SqsException sqsError(int status, String code) {
		return (SqsException) SqsException.builder()
			.statusCode(status)
			.awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build())
			.build();
	}

	private IngestProperties withMove(MoveMethod move) {
		IngestProperties p = this.properties;
		return new IngestProperties(p.maxSize(), p.allowedTypes(), p.serverSideEncryption(),
				p.permalinkExpiry(), p.publicS3Endpoint(), p.presign(), p.listing(), p.notifications(), p.stuck(),
				new IngestProperties.DeadLetters(move), p.queueMetrics(), p.foreignObjects(), p.retention(),
				p.erasure());
	}

	@Test
	void adminEndpointsNeedTheAdminScopeAndKnownQueues() {
		assertThat(this.api.get(IngestApi.WRITER_KEY, "/api/admin/dead-letter-queues").status()).isEqualTo(403);
		assertThat(this.api.get(null, "/api/admin/dead-letter-queues").status()).isEqualTo(401);
		assertThat(this.api.post(IngestApi.ADMIN_KEY, "/api/admin/dead-letter-queues/not-a-queue/redrive").status())
			.isEqualTo(404);
	}

	private UUID anUpload(String kind, byte[] content) {
		IngestApi.Response accepted = this.api.upload(IngestApi.WRITER_KEY, kind, "f", content, Map.of());
		assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
		return UUID.fromString(accepted.body().path("id").asString());
	}

	private void report(UUID id, String service, StepOutcome outcome, UploadStatus status, String reason) {
		report(id, service, outcome, status, reason, Instant.now());
	}

	private void report(UUID id, String service, StepOutcome outcome, UploadStatus status, String reason,
			Instant at) {
		this.queues.send("esteira-status", JSON.writeValueAsString(
				new UploadStatusEvent(UUID.randomUUID(), id, service, service, outcome, status, reason, 1, at)));
	}

	private JsonNode upload(UUID id) {
		return this.api.get(IngestApi.READER_KEY, "/api/uploads/" + id).body();
	}

	private void awaitStatus(UUID id, String status) {
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(upload(id).path("status").asString()).isEqualTo(status));
	}

	/** Reads (and deletes) S3 events from a queue nobody consumes in this test. */
	private List<S3ObjectEvent> awaitS3Events(String queue, int count) {
		List<S3ObjectEvent> events = new ArrayList<>();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			List<Message> messages = this.infra.sqsClient()
				.receiveMessage((receive) -> receive.queueUrl(this.infra.queueUrl(queue))
					.maxNumberOfMessages(10)
					.messageAttributeNames(S3Events.REDRIVE_RUN_ATTRIBUTE))
				.messages();
			for (Message message : messages) {
				events.addAll(S3Events.decode(message.body()));
				MessageAttributeValue run = message.messageAttributes().get(S3Events.REDRIVE_RUN_ATTRIBUTE);
				this.announcedRuns.add((run != null) ? run.stringValue() : null);
				this.infra.sqsClient()
					.deleteMessage((delete) -> delete.queueUrl(this.infra.queueUrl(queue))
						.receiptHandle(message.receiptHandle()));
			}
			return events.size() >= count;
		});
		return events;
	}

}
