package io.esteira.crmsync.photo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.EsteiraTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.esteira.crmsync.photo.ImageEvents.aContactId;
import static io.esteira.crmsync.photo.ImageEvents.anImageOfContact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * More image events than the rate limit lets through at once: waiting for tokens is back-pressure, never a failed
 * attempt — no upload ends {@code FAILED}, nothing reaches the dead-letter queue, and HubSpot never sees more than
 * the limit in any window. A limit of 4 requests per second (burst 1), batches of at most 3 events and a 200 ms
 * longest wait make the limiter refuse often (events are sent again for later), with the retry policy's three
 * attempts. Its own queue, so that no other test context consumes these events.
 */
@EsteiraTest(properties = { "esteira.crm.hubspot.token=" + CrmSyncTest.TOKEN,
		"esteira.crm.public-base-url=https://esteira.example/", "esteira.crm.rate-limit.key=back-pressure-test",
		"esteira.crm.rate-limit.requests=4", "esteira.crm.rate-limit.burst=1", "esteira.crm.rate-limit.period=1s",
		"esteira.crm.rate-limit.margin=200ms", "esteira.crm.rate-limit.max-wait=200ms",
		"esteira.crm.batch.max-events=3", "esteira.crm.batch.message-visibility-seconds=10",
		"esteira.crm.create-property=false", "esteira.retry.steps.crm-sync.max-attempts=3",
		"esteira.retry.steps.crm-sync.initial-interval=1s", "esteira.retry.steps.crm-sync.jitter=NONE" })
class RateLimitBackPressureTest {

	static final String QUEUE = "esteira-image-events-back-pressure";

	private static final int EVENTS = 24;

	private static final int LIMIT = 4;

	private final EsteiraInfrastructure infrastructure = EsteiraInfrastructure.shared();

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private MeterRegistry meters;

	@DynamicPropertySource
	static void ownQueue(DynamicPropertyRegistry registry) {
		SqsClient sqs = EsteiraInfrastructure.shared().sqsClient();
		String dlq = sqs.createQueue((request) -> request.queueName(QUEUE + "-dlq")).queueUrl();
		String dlqArn = sqs.getQueueAttributes((request) -> request.queueUrl(dlq)
			.attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
		sqs.createQueue((request) -> request.queueName(QUEUE).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT,
				"3", QueueAttributeName.REDRIVE_POLICY,
				"{\"maxReceiveCount\":\"3\",\"deadLetterTargetArn\":\"" + dlqArn + "\"}")));
		registry.add("esteira.aws.queues.image-events", () -> QUEUE);
	}

	@Test
	void moreEventsThanTheLimitAllowsAllCompleteWithoutFailureOrDeadLetter() {
		this.infrastructure.hubSpot().reset();
		PipelineQueues queues = new PipelineQueues(this.infrastructure);
		SqsClient sqs = this.infrastructure.sqsClient();
		String url = sqs.getQueueUrl((request) -> request.queueName(QUEUE)).queueUrl();
		List<ImageProcessedEvent> events = new ArrayList<>();
		for (int i = 0; i < EVENTS; i++) {
			ImageProcessedEvent event = anImageOfContact(aContactId());
			events.add(event);
			sqs.sendMessage((request) -> request.queueUrl(url).messageBody(queues.toJson(event)));
		}
		Instant started = Instant.now();

		List<UploadStatusEvent> statuses = events.stream()
			.map((event) -> await().atMost(Duration.ofSeconds(90))
				.until(() -> queues.statusEventsFor(event.uploadId()), (found) -> !found.isEmpty())
				.getFirst())
			.toList();

		assertThat(statuses).allSatisfy((status) -> assertThat(status.status()).isEqualTo(UploadStatus.COMPLETED));
		assertThat(this.jdbc.sql("select count(*) from crm_sync.crm_syncs where status = 'FAILED' and upload_id in "
				+ "(select unnest(cast(? as uuid[])))")
			.param(events.stream().map((event) -> event.uploadId().toString()).toArray(String[]::new))
			.query(Long.class)
			.single()).isZero();
		String dlq = sqs.getQueueUrl((request) -> request.queueName(QUEUE + "-dlq")).queueUrl();
		assertThat(sqs.getQueueAttributes((request) -> request.queueUrl(dlq)
			.attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
			.attributes()
			.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).isEqualTo("0");
		// The limiter did refuse (events sent again to wait), and HubSpot never saw more than the limit per second.
		assertThat(this.meters.get("esteira.crm.deferred").counter().count()).isPositive();
		List<Instant> calls = this.infrastructure.hubSpot().server().getAllServeEvents().stream()
			.map(ServeEvent::getRequest)
			.map((request) -> request.getLoggedDate().toInstant())
			.filter((at) -> !at.isBefore(started))
			.sorted()
			.toList();
		assertThat(calls).hasSizeGreaterThanOrEqualTo(4 * EVENTS / 3);
		assertThat(busiestWindow(calls, Duration.ofSeconds(1))).isLessThanOrEqualTo(LIMIT);
	}

	private static int busiestWindow(List<Instant> sorted, Duration window) {
		int most = 0;
		int start = 0;
		for (int end = 0; end < sorted.size(); end++) {
			while (!sorted.get(start).plus(window).isAfter(sorted.get(end))) {
				start++;
			}
			most = Math.max(most, end - start + 1);
		}
		return most;
	}

}
