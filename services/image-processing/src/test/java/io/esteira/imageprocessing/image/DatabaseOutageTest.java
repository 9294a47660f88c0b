package io.esteira.imageprocessing.image;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.contracts.event.UploadMetadata;
import io.esteira.contracts.s3.S3Events;
import io.esteira.contracts.s3.S3ObjectEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.EsteiraTest;
import io.esteira.testkit.TcpProxy;
import io.esteira.testkit.TestQueues;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.esteira.imageprocessing.ImageFixtures.aJpeg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * image-processing while its database is away: this context reaches PostgreSQL through a {@link TcpProxy}, cut for
 * 4 s (connections reset, new ones refused) as an event arrives. The step is retried through the message's
 * visibility (1 s, 2 s, 4 s, 8 s here), counted as {@code database_unavailable}, and the image is processed once the
 * database is back: one row, one "image processed" event. The context is closed after the test (its database is this
 * test's proxy).
 */
@EsteiraTest(properties = { "esteira.aws.queues.images=" + DatabaseOutageTest.QUEUE,
		"esteira.retry.steps.thumbnail.max-attempts=5", "esteira.retry.steps.thumbnail.initial-interval=1s",
		"esteira.retry.steps.thumbnail.backoff-rate=2", "esteira.retry.steps.thumbnail.jitter=NONE",
		"spring.datasource.hikari.connection-timeout=2000" })
@DirtiesContext
class DatabaseOutageTest {

	static final String QUEUE = "esteira-images-database-outage";

	private static final EsteiraInfrastructure infra = EsteiraInfrastructure.shared();

	private static final TcpProxy database = TcpProxy.toDatabase(infra.database().jdbcUrl());

	private final TestQueues queues = new TestQueues(infra);

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private MeterRegistry meters;

	@DynamicPropertySource
	static void databaseThroughTheProxy(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> database.jdbcUrl(infra.database().jdbcUrl()));
	}

	@AfterAll
	static void closeProxy() {
		database.close();
	}

	@Test
	void anEventArrivingWhileTheDatabaseIsAwayIsProcessedOnceItIsBack() throws Exception {
		UUID uploadId = UUID.randomUUID();
		database.cut();
		try {
			send(uploadId, "images/2026/" + uploadId + "/photo.jpg");
			await().atMost(Duration.ofSeconds(20))
				.until(() -> this.meters.find("esteira.images.retries").tag("reason", "database_unavailable")
					.counter() != null);
		}
		finally {
			Thread.sleep(2000);
			database.restore();
		}

		ImageProcessedEvent processed = await().atMost(Duration.ofSeconds(40))
			.until(() -> this.queues.imageEvents(uploadId), (events) -> !events.isEmpty())
			.getFirst();
		assertThat(processed.renditions()).isNotEmpty();
		assertThat(this.jdbc.queryForObject("select status from images where upload_id = ?", String.class, uploadId))
			.isEqualTo("PROCESSED");
		await().atMost(Duration.ofSeconds(10)).until(() -> inQueue() == 0);
		assertThat(this.queues.imageEvents(uploadId)).as("announced once").hasSize(1);
	}

	/** Messages in this test's queue: visible, in flight or delayed. */
	private static int inQueue() {
		String url = infra.sqsClient().getQueueUrl((request) -> request.queueName(QUEUE)).queueUrl();
		return infra.sqsClient()
			.getQueueAttributes((request) -> request.queueUrl(url).attributeNames(QueueAttributeName.ALL))
			.attributes()
			.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().toString().startsWith("ApproximateNumberOfMessages"))
			.mapToInt((entry) -> Integer.parseInt(entry.getValue()))
			.sum();
	}

	private void send(UUID uploadId, String key) {
		byte[] jpeg = aJpeg(400, 300);
		String eTag = infra.s3Client()
			.putObject((request) -> request.bucket(EsteiraInfrastructure.NAMES.uploadsBucket())
				.key(key)
				.metadata(Map.of(UploadMetadata.UPLOAD_ID, uploadId.toString())), RequestBody.fromBytes(jpeg))
			.eTag()
			.replace("\"", "");
		String body = S3Events.encode(new S3ObjectEvent("ObjectCreated:Put", Instant.now(),
				EsteiraInfrastructure.NAMES.uploadsBucket(), key, jpeg.length, eTag, null, "01"), "us-east-1");
		String url = infra.sqsClient().getQueueUrl((request) -> request.queueName(QUEUE)).queueUrl();
		infra.sqsClient().sendMessage((request) -> request.queueUrl(url).messageBody(body));
	}

}
