package io.esteira.crmsync.photo;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.awspring.cloud.sqs.listener.MessageListenerContainerRegistry;
import io.awspring.cloud.sqs.operations.SqsTemplate;
import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.crmsync.crm.CrmAvailability;
import io.esteira.crmsync.crm.CrmUnavailableException;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.EsteiraTest;
import io.esteira.testkit.TestHubSpot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.esteira.crmsync.photo.ImageEvents.aContactId;
import static io.esteira.crmsync.photo.ImageEvents.anImageOfContact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HubSpot down for longer than an upload's attempts would last: calls pause after two failures in a row, the
 * consumer stops and starts again by itself when each pause ends, and the uploads complete once HubSpot is back,
 * without having spent their attempts on the outage. Its own context: the outage settings differ from
 * {@link CrmSyncTest}'s (which has none, as its tests count attempts).
 */
@EsteiraTest(properties = { "esteira.crm.hubspot.token=" + CrmSyncTest.TOKEN,
		"esteira.crm.public-base-url=https://esteira.example/", "esteira.crm.hubspot.read-timeout=1s",
		"esteira.retry.steps.crm-sync.max-attempts=3", "esteira.retry.steps.crm-sync.initial-interval=1s",
		"esteira.retry.steps.crm-sync.max-delay=2s", "esteira.retry.steps.crm-sync.jitter=NONE",
		"esteira.crm.rate-limit.period=2s", "esteira.crm.retry.sync-lease=3s", "esteira.crm.retry.claim-timeout=2s",
		"esteira.crm.batch.message-visibility-seconds=10", "esteira.crm.rate-limit.key=crm-outage-tests",
		"esteira.crm.rate-limit.max-wait=500ms", "esteira.crm.retry.outage-after=2",
		"esteira.crm.retry.outage-pause=2s", "esteira.crm.retry.outage-max-pause=4s" })
class CrmOutageTest {

	private final EsteiraInfrastructure infrastructure = EsteiraInfrastructure.shared();

	private final WireMockServer hubSpot = this.infrastructure.hubSpot().server();

	@Autowired
	private SqsTemplate sqsTemplate;

	@Autowired
	private CrmAvailability availability;

	@Autowired
	private MessageListenerContainerRegistry containers;

	private PipelineQueues queues;

	@BeforeEach
	void cleanSlate() {
		this.queues = PipelineQueues.cleared(this.infrastructure);
	}

	@AfterEach
	void leaveNothingPaused() {
		this.infrastructure.hubSpot().reset();
		this.availability.resume();
	}

	@Test
	void anOutageLongerThanTheAttemptsPausesTheConsumerWhichResumesByItselfAndEveryUploadCompletes() {
		// Every CRM object endpoint answers 503 (a partial outage, where some requests are served, is no outage).
		StubMapping down = this.hubSpot.stubFor(any(urlPathMatching(TestHubSpot.OBJECTS + ".*")).atPriority(1)
			.willReturn(aResponse().withStatus(503).withBody("upstream unavailable")));
		List<ImageProcessedEvent> events = List.of(anImageOfContact(aContactId()), anImageOfContact(aContactId()),
				anImageOfContact(aContactId()));
		events.forEach((event) -> this.sqsTemplate.send(PipelineQueues.IMAGE_EVENTS, event));

		// Two failed requests in a row: an outage. Calls pause and the consumer stops.
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.availability.currentPause()
				.filter((pause) -> pause.reason() == CrmUnavailableException.Reason.OUTAGE)
				.isPresent() && !consumerRunning());
		// HubSpot stays down for longer than three attempts with their backoff (1 s, 2 s) would last; the pauses
		// (2 s, then 4 s) end by themselves, and each probe fails.
		await().pollDelay(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(9)).until(() -> true);
		assertThat(this.queues.statusEventsFor(events.getFirst().uploadId())).isEmpty();
		this.hubSpot.removeStub(down);

		for (ImageProcessedEvent event : events) {
			UploadStatusEvent status = await().atMost(Duration.ofSeconds(30))
				.until(() -> this.queues.statusEventsFor(event.uploadId()), (reports) -> !reports.isEmpty())
				.getFirst();
			assertThat(status.status()).as("upload %s", event.uploadId()).isEqualTo(UploadStatus.COMPLETED);
			// The outage cost at most the one attempt before calls paused.
			assertThat(status.attempt()).isLessThanOrEqualTo(2);
		}
		// Nobody resumed the consumer: it runs again since HubSpot answered.
		assertThat(consumerRunning()).isTrue();
		assertThat(this.availability.currentPause()).isEmpty();
		assertThat(this.queues.deadLetterCount()).isZero();
	}

	private boolean consumerRunning() {
		return this.containers.getContainerById(ImageEventsListener.ID).isRunning();
	}

}
