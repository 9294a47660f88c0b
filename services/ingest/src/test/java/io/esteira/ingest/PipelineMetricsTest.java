package io.esteira.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.esteira.ingest.upload.timeline.UploadTimeline;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.TestQueues;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The pipeline metrics as Prometheus scrapes them from the management port. */
@IngestIntegrationTest
class PipelineMetricsTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final EsteiraInfrastructure infra = EsteiraInfrastructure.shared();

	private final TestQueues queues = new TestQueues(this.infra);

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@Autowired
	private UploadTimeline timeline;

	@Autowired
	private PlatformTransactionManager transactionManager;

	private IngestApi api;

	private IngestApi management;

	@BeforeEach
	void setUp() {
		this.infra.purgeQueues();
		this.api = new IngestApi(this.port);
		this.management = new IngestApi(this.managementPort);
	}

	@Test
	void uploadsAreCountedByKindAndStatusOnceCommitted() {
		double receivedBefore = sample("esteira_uploads_total", Map.of("kind", "invoice", "status", "RECEIVED"));
		double rejectedBefore = sample("esteira_uploads_total", Map.of("kind", "invoice", "status", "REJECTED"));
		double failedBefore = sample("esteira_uploads_total", Map.of("kind", "invoice", "status", "FAILED"));
		UUID id = anUpload("invoice", TestFiles.anInvoiceJson());

		// a terminal status that rolls back is not counted
		new TransactionTemplate(this.transactionManager).executeWithoutResult((transaction) -> {
			this.timeline.record(UploadStatusEvent.of(id, "invoice", "invoice-import", StepOutcome.FAILED,
					UploadStatus.FAILED, "rolled back", Instant.now()));
			transaction.setRollbackOnly();
		});
		report(UploadStatusEvent.of(id, "invoice", "invoice-import", StepOutcome.REJECTED, UploadStatus.REJECTED,
				"not an invoice", Instant.now()));

		await().untilAsserted(() -> assertThat(
				sample("esteira_uploads_total", Map.of("kind", "invoice", "status", "REJECTED")) - rejectedBefore)
			.isEqualTo(1));
		assertThat(sample("esteira_uploads_total", Map.of("kind", "invoice", "status", "RECEIVED")) - receivedBefore)
			.isEqualTo(1);
		assertThat(sample("esteira_uploads_total", Map.of("kind", "invoice", "status", "FAILED")))
			.isEqualTo(failedBefore);
		// every kind and status is there from the start, so rates work before the first occurrence
		assertThat(find("esteira_uploads_total", Map.of("kind", "image", "status", "COMPLETED_WITH_ERRORS")))
			.isPresent();
	}

	@Test
	void eachStepWithAStartAndAnEndIsTimedInAHistogram() {
		String step = "thumbnail-" + UUID.randomUUID().toString().substring(0, 8);
		Map<String, String> tags = Map.of("service", "image-processing", "step", step, "outcome", "SUCCEEDED");
		UUID id = anUpload("image", TestFiles.aPng());
		UUID late = anUpload("image", TestFiles.aPng());
		Instant start = Instant.now();
		UploadStatusEvent started = new UploadStatusEvent(UUID.randomUUID(), id, "image-processing", step,
				StepOutcome.STARTED, UploadStatus.PROCESSING, null, 1, start);
		UploadStatusEvent ended = new UploadStatusEvent(UUID.randomUUID(), id, "image-processing", step,
				StepOutcome.SUCCEEDED, null, "256 px", 1, start.plusMillis(1500));

		report(started);
		awaitStatus(id, "PROCESSING");
		report(ended);
		report(ended);
		// the end arriving before its start is timed when the start arrives
		report(new UploadStatusEvent(UUID.randomUUID(), late, "image-processing", step, StepOutcome.SUCCEEDED, null,
				"256 px", 1, start.plusMillis(3000)));
		await().atMost(Duration.ofSeconds(15)).until(() -> this.queues.isSettled("esteira-status"));
		report(new UploadStatusEvent(UUID.randomUUID(), late, "image-processing", step, StepOutcome.STARTED,
				UploadStatus.PROCESSING, null, 1, start));
		// a step reported only once it ended has no start: not timed
		report(new UploadStatusEvent(UUID.randomUUID(), id, "image-processing", step + "-once", StepOutcome.SUCCEEDED,
				null, null, 1, start));

		await().untilAsserted(() -> assertThat(sample("esteira_step_duration_seconds_count", tags)).isEqualTo(2));
		await().atMost(Duration.ofSeconds(15)).until(() -> this.queues.isSettled("esteira-status"));
		assertThat(sample("esteira_step_duration_seconds_count", tags)).isEqualTo(2);
		assertThat(sample("esteira_step_duration_seconds_sum", tags)).isEqualTo(4.5);
		assertThat(sample("esteira_step_duration_seconds_bucket", with(tags, "le", "1.0"))).isZero();
		assertThat(sample("esteira_step_duration_seconds_bucket", with(tags, "le", "2.505397588"))).isEqualTo(1);
		assertThat(sample("esteira_step_duration_seconds_bucket", with(tags, "le", "+Inf"))).isEqualTo(2);
		assertThat(scrape()).doesNotContain("step=\"" + step + "-once\"");
	}

	@Test
	void queueDepthsAreScrapedFromTheCacheForEveryQueueAndItsDeadLetterQueue() {
		String dlq = this.infra.deadLetterQueueUrl("esteira-images");
		for (int i = 0; i < 3; i++) {
			this.infra.sqsClient().sendMessage((send) -> send.queueUrl(dlq).messageBody("lost"));
		}
		this.infra.sqsClient()
			.receiveMessage((receive) -> receive.queueUrl(dlq).maxNumberOfMessages(1).visibilityTimeout(60));

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(sample("esteira_queue_messages", Map.of("queue", "esteira-images-dlq", "state", "visible")))
				.isEqualTo(2);
			assertThat(sample("esteira_queue_messages", Map.of("queue", "esteira-images-dlq", "state", "in_flight")))
				.isEqualTo(1);
		});
		for (String queue : new String[] { "esteira-images", "esteira-invoices", "esteira-image-events",
				"esteira-status", "esteira-status-dlq", "esteira-invoices-dlq", "esteira-image-events-dlq" }) {
			for (String state : new String[] { "visible", "in_flight" }) {
				assertThat(find("esteira_queue_messages", Map.of("queue", queue, "state", state)))
					.as(queue + " " + state)
					.isPresent();
			}
		}
	}

	private String scrape() {
		IngestApi.Response response = this.management.get(null, "/actuator/prometheus");
		assertThat(response.status()).isEqualTo(200);
		return response.text();
	}

	/** The value of the sample with these labels (and any others, such as {@code application}); 0 if none. */
	private double sample(String name, Map<String, String> labels) {
		return find(name, labels).orElse(0.0);
	}

	private Optional<Double> find(String name, Map<String, String> labels) {
		Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
		Matcher matcher = line.matcher(scrape());
		while (matcher.find()) {
			Map<String, String> found = new HashMap<>();
			Matcher label = Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(matcher.group(1));
			while (label.find()) {
				found.put(label.group(1), label.group(2));
			}
			if (found.entrySet().containsAll(labels.entrySet())) {
				return Optional.of(Double.parseDouble(matcher.group(2)));
			}
		}
		return Optional.empty();
	}

	private static Map<String, String> with(Map<String, String> labels, String name, String value) {
		Map<String, String> all = new HashMap<>(labels);
		all.put(name, value);
		return all;
	}

	private UUID anUpload(String kind, byte[] content) {
		IngestApi.Response accepted = this.api.upload(IngestApi.WRITER_KEY, kind, "f", content, Map.of());
		assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
		return UUID.fromString(accepted.body().path("id").asString());
	}

	private void report(UploadStatusEvent event) {
		this.queues.send("esteira-status", JSON.writeValueAsString(event));
	}

	private void awaitStatus(UUID id, String status) {
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(this.api.get(IngestApi.READER_KEY, "/api/uploads/" + id)
				.body()
				.path("status")
				.asString()).isEqualTo(status));
	}

}
