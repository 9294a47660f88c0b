package io.esteira.imageprocessing.image;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.contracts.event.UploadMetadata;
import io.esteira.contracts.s3.S3Events;
import io.esteira.contracts.s3.S3ObjectEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.EsteiraTest;
import io.esteira.testkit.TestQueues;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.esteira.imageprocessing.ImageFixtures.aJpeg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbox when SQS refuses a send: this context reaches ElasticMQ through a WireMock proxy, which answers every
 * {@code SendMessage} with a 500 while the test says so. The image is processed and its "image processed" event is
 * left failed in the outbox; once SQS takes sends again, the event goes out by itself, without a restart, once. The
 * context is closed after the test (its SQS endpoint is this test's proxy, which lives as long as the JVM).
 */
@EsteiraTest(properties = { "esteira.aws.queues.images=" + OutboxResubmissionTest.QUEUE,
		"esteira.outbox.check-interval=500ms", "esteira.retry.steps.outbox.initial-interval=1s",
		"esteira.retry.steps.outbox.jitter=NONE", "spring.datasource.hikari.connection-timeout=5000" })
@DirtiesContext
class OutboxResubmissionTest {

	static final String QUEUE = "esteira-images-outbox";

	private static final EsteiraInfrastructure infra = EsteiraInfrastructure.shared();

	private static final WireMockServer sqsProxy = startProxy();

	private final S3Client s3 = infra.s3Client();

	private final SqsClient sqs = infra.sqsClient();

	private final TestQueues queues = new TestQueues(infra);

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private MeterRegistry meters;

	@DynamicPropertySource
	static void sqsThroughTheProxy(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.aws.sqs.endpoint", sqsProxy::baseUrl);
	}

	@Test
	void anEventSqsRefusedGoesOutOnceSqsTakesSendsAgainWithoutARestart() throws Exception {
		StubMapping refuseSends = sqsProxy.stubFor(any(anyUrl()).atPriority(1)
			.withHeader("X-Amz-Target", containing("SendMessage"))
			.willReturn(aResponse().withStatus(500)
				.withHeader("Content-Type", "application/x-amz-json-1.0")
				.withBody("{\"__type\":\"com.amazonaws.sqs#InternalError\",\"message\":\"refused by the test\"}")));
		UUID uploadId = UUID.randomUUID();
		upload(uploadId, "images/2026/" + uploadId + "/photo.jpg");

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(failedPublications()).as("failed outbox publications").isPositive());
		assertThat(this.jdbc.queryForObject("select status from images where upload_id = ?", String.class, uploadId))
			.isEqualTo("PROCESSED");
		assertThat(this.meters.get("esteira.outbox.incomplete").gauge().value()).isPositive();
		assertThat(this.meters.get("esteira.outbox.oldest.age").gauge().value()).isPositive();

		sqsProxy.removeStub(refuseSends);

		ImageProcessedEvent processed = await().atMost(Duration.ofSeconds(30))
			.until(() -> this.queues.imageEvents(uploadId), (events) -> !events.isEmpty())
			.getFirst();
		assertThat(processed.uploadId()).isEqualTo(uploadId);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(incompletePublications()).as("incomplete outbox publications").isZero());
		assertThat(this.queues.imageEvents(uploadId)).as("sent once").hasSize(1);
		assertThat(this.meters.get("esteira.outbox.incomplete").gauge().value()).isZero();
	}

	private int failedPublications() {
		return this.jdbc.queryForObject("select count(*) from event_publication where status = 'FAILED'",
				Integer.class);
	}

	private int incompletePublications() {
		return this.jdbc.queryForObject("select count(*) from event_publication where completion_date is null",
				Integer.class);
	}

	private void upload(UUID uploadId, String key) throws Exception {
		byte[] jpeg = aJpeg(400, 300);
		String eTag = this.s3
			.putObject((request) -> request.bucket(EsteiraInfrastructure.NAMES.uploadsBucket())
				.key(key)
				.metadata(Map.of(UploadMetadata.UPLOAD_ID, uploadId.toString())), RequestBody.fromBytes(jpeg))
			.eTag()
			.replace("\"", "");
		String body = S3Events.encode(new S3ObjectEvent("ObjectCreated:Put", Instant.now(),
				EsteiraInfrastructure.NAMES.uploadsBucket(), key, jpeg.length, eTag, null, "01"), "us-east-1");
		String url = this.sqs.getQueueUrl((request) -> request.queueName(QUEUE)).queueUrl();
		this.sqs.sendMessage((request) -> request.queueUrl(url).messageBody(body));
	}

	private static WireMockServer startProxy() {
		WireMockServer proxy = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
		proxy.start();
		proxy.stubFor(any(anyUrl()).atPriority(10)
			.willReturn(aResponse().proxiedFrom(infra.sqsEndpoint().toString())));
		return proxy;
	}

}
