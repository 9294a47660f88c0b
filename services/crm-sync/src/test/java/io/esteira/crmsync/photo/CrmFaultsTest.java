package io.esteira.crmsync.photo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.awspring.cloud.sqs.listener.MessageListenerContainerRegistry;
import io.awspring.cloud.sqs.operations.SqsTemplate;
import io.esteira.crmsync.crm.CrmAvailability;
import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.esteira.crmsync.photo.HubSpotStubs.json;
import static io.esteira.crmsync.photo.ImageEvents.aContactId;
import static io.esteira.crmsync.photo.ImageEvents.anImageOfContact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** HubSpot misbehaving: rate limits, errors, resets, timeouts, a refused token, the daily quota. */
@CrmSyncTest
@ExtendWith(OutputCaptureExtension.class)
class CrmFaultsTest {

	private final EsteiraInfrastructure infrastructure = EsteiraInfrastructure.shared();

	private final WireMockServer hubSpot = this.infrastructure.hubSpot().server();

	@Autowired
	private SqsTemplate sqsTemplate;

	@Autowired
	private CrmAvailability availability;

	@Autowired
	private MessageListenerContainerRegistry containers;

	@Autowired
	private MeterRegistry meters;

	@LocalManagementPort
	private int managementPort;

	private PipelineQueues queues;

	@BeforeEach
	void cleanSlate() {
		this.queues = PipelineQueues.cleared(this.infrastructure);
	}

	@AfterEach
	void resumeConsumer() {
		// What a test left behind (failing stubs, events sent again to wait) must not pause the consumer again.
		this.infrastructure.hubSpot().reset();
		this.infrastructure.purgeQueues();
		this.availability.resume();
		await().atMost(Duration.ofSeconds(20)).until(this::consumerRunning);
	}

	@Test
	void rateLimitIsRetriedNoSoonerThanHubSpotsRetryAfter() {
		String contactId = aContactId();
		failThenSucceed(contactId, aResponse().withStatus(429)
			.withHeader("Content-Type", "application/json")
			.withHeader("Retry-After", "3")
			.withBody("{\"status\":\"error\",\"message\":\"You have reached your ten_secondly_rolling limit.\","
					+ "\"errorType\":\"RATE_LIMIT\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}"));
		ImageProcessedEvent event = anImageOfContact(contactId);

		send(event);

		UploadStatusEvent status = this.queues.awaitStatusEvent(event.uploadId());
		assertThat(status.status()).isEqualTo(UploadStatus.COMPLETED);
		assertThat(status.attempt()).isEqualTo(2);
		List<LoggedRequest> patches = patchesOf(contactId);
		assertThat(patches).hasSize(2);
		assertThat(Duration.between(patches.get(0).getLoggedDate().toInstant(),
				patches.get(1).getLoggedDate().toInstant()))
			.isGreaterThanOrEqualTo(Duration.ofSeconds(3));
		assertThat(this.meters.get("esteira.crm.rate.limited").tag("source", "crm").tag("tenant", "default").counter().count())
			.isGreaterThanOrEqualTo(1);
	}

	@Test
	void rateLimitWithoutRetryAfterWaitsAtLeastTheRateLimitPeriodNotJustThePolicysDelay() {
		String contactId = aContactId();
		failThenSucceed(contactId, json(429, "{\"status\":\"error\",\"message\":\"You have reached your "
				+ "ten_secondly_rolling limit.\",\"errorType\":\"RATE_LIMIT\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}"));
		ImageProcessedEvent event = anImageOfContact(contactId);

		send(event);

		assertThat(this.queues.awaitStatusEvent(event.uploadId()).status()).isEqualTo(UploadStatus.COMPLETED);
		List<LoggedRequest> patches = patchesOf(contactId);
		assertThat(patches).hasSize(2);
		// The policy alone would retry after 1 s; the floor is the rate-limit period (2 s in these tests).
		assertThat(Duration.between(patches.get(0).getLoggedDate().toInstant(),
				patches.get(1).getLoggedDate().toInstant()))
			.isGreaterThanOrEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void serviceUnavailableIsRetriedAfterThePolicysDelaysNotTheQueuesTimeout(CapturedOutput output) {
		String contactId = aContactId();
		failTwiceThenSucceed(contactId, aResponse().withStatus(503), aResponse().withStatus(503));
		ImageProcessedEvent event = anImageOfContact(contactId);

		send(event);

		assertThat(this.queues.awaitStatusEvent(event.uploadId()).attempt()).isEqualTo(3);
		List<LoggedRequest> patches = patchesOf(contactId);
		assertThat(patches).hasSize(3);
		Duration first = Duration.between(patches.get(0).getLoggedDate().toInstant(),
				patches.get(1).getLoggedDate().toInstant());
		Duration second = Duration.between(patches.get(1).getLoggedDate().toInstant(),
				patches.get(2).getLoggedDate().toInstant());
		// The policy here: 1 s, then 2 s (backoff rate 2, no jitter), set as the message's visibility; the queue's
		// own visibility timeout is 3 s. The delays chosen are what is asserted: how much later the machine gets to
		// the message again depends on its load, never sooner.
		assertThat(retryDelays(output, event)).containsExactly("1", "2");
		assertThat(first).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
		assertThat(second).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void serverErrorTwiceThenSuccessCompletesOnTheThirdAttempt(CapturedOutput output) {
		String contactId = aContactId();
		failTwiceThenSucceed(contactId, aResponse().withStatus(500), aResponse().withStatus(502));
		ImageProcessedEvent event = anImageOfContact(contactId);

		send(event);

		UploadStatusEvent status = this.queues.awaitStatusEvent(event.uploadId());
		assertThat(status.status()).isEqualTo(UploadStatus.COMPLETED);
		assertThat(status.attempt()).isEqualTo(3);
		this.queues.awaitImageEventsSettled();
		List<LoggedRequest> patches = patchesOf(contactId);
		assertThat(patches).hasSize(3);
		// Backoff between attempts (visibility changes of at least 1 s), not immediate redelivery...
		assertThat(Duration.between(patches.get(0).getLoggedDate().toInstant(),
				patches.get(2).getLoggedDate().toInstant()))
			.isGreaterThanOrEqualTo(Duration.ofSeconds(2));
		// ... set as the message's visibility (1 s, then 2 s), not left to the queue's own timeout (3 s).
		assertThat(retryDelays(output, event)).containsExactly("1", "2");
		assertThat(this.queues.deadLetterCount()).isZero();
	}

	@Test
	void connectionResetIsRetried() {
		String contactId = aContactId();
		failThenSucceed(contactId, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
		ImageProcessedEvent event = anImageOfContact(contactId);

		send(event);

		UploadStatusEvent status = this.queues.awaitStatusEvent(event.uploadId());
		assertThat(status.status()).isEqualTo(UploadStatus.COMPLETED);
		assertThat(status.attempt()).isEqualTo(2);
	}

	@Test
	void timeoutIsRetried() {
		String contactId = aContactId();
		// Read timeout is 1 s in these tests.
		failThenSucceed(contactId, HubSpotStubs.contacts(contactId, null).withFixedDelay(1_500));
		ImageProcessedEvent event = anImageOfContact(contactId);

		send(event);

		UploadStatusEvent status = this.queues.awaitStatusEvent(event.uploadId());
		assertThat(status.status()).isEqualTo(UploadStatus.COMPLETED);
		assertThat(status.attempt()).isEqualTo(2);
	}

	@Test
	void outageLongerThanTheAttemptsFailsTheStepWithTheLastErrorAndDeadLettersTheMessageAndARedriveSyncsIt() {
		String contactId = aContactId();
		this.hubSpot.stubFor(HubSpotStubs.updateOf(contactId).willReturn(aResponse().withStatus(503)));
		ImageProcessedEvent event = anImageOfContact(contactId);

		send(event);

		UploadStatusEvent status = this.queues.awaitStatusEvent(event.uploadId());
		assertThat(status.outcome()).isEqualTo(StepOutcome.FAILED);
		assertThat(status.status()).isEqualTo(UploadStatus.FAILED);
		assertThat(status.attempt()).isEqualTo(3);
		assertThat(status.reason())
			.isEqualTo("gave up after 3 attempts: HubSpot answered 503 to the update of 1 contact");
		await().atMost(Duration.ofSeconds(20)).until(this.queues::deadLetterCount, (count) -> count == 1);
		this.queues.awaitImageEventsSettled();
		assertThat(patchesOf(contactId)).hasSize(3);

		// HubSpot is back and the upload is retried (POST /api/uploads/{id}/retry: image-processing announces it
		// again for run 2): synced, once.
		this.infrastructure.hubSpot().reset();
		send(ImageEvents.inRun(event, 2));
		UploadStatusEvent redriven = await().atMost(Duration.ofSeconds(20))
			.until(() -> this.queues.statusEventsFor(event.uploadId()), (reports) -> reports.size() >= 2)
			.get(1);
		assertThat(redriven.status()).isEqualTo(UploadStatus.COMPLETED);
		assertThat(redriven.attempt()).isEqualTo(1);
		this.queues.awaitImageEventsSettled();
		assertThat(patchesOf(contactId)).hasSize(1);
	}

	@Test
	void refusedTokenStopsTheConsumerAndTakesHealthDown() throws Exception {
		this.hubSpot.stubFor(HubSpotStubs.readOf("401401")
			.willReturn(json(401, "{\"status\":\"error\",\"message\":\"Authentication credentials not found.\","
					+ "\"category\":\"INVALID_AUTHENTICATION\"}")));
		send(anImageOfContact("401401"));

		await().atMost(Duration.ofSeconds(20)).until(() -> !consumerRunning());
		assertThat(this.availability.health().getStatus()).isEqualTo(Status.DOWN);
		assertThat(actuatorHealth()).isEqualTo(503);
		// More messages wait in the queue (the first one sent again, to wait: not an attempt); HubSpot hears nothing
		// more.
		send(anImageOfContact(aContactId()));
		send(anImageOfContact(aContactId()));
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
			.until(() -> this.hubSpot.findAll(anyRequestedFor(anyUrl())).size() == 1);
		assertThat(this.queues.messageCountInImageEvents()).isEqualTo(3);
	}

	@Test
	void dailyLimitPausesTheConsumerUntilResetAndRaisesTheMetric() {
		double reachedBefore = this.meters.get("esteira.crm.daily.limit.reached").tag("tenant", "default")
			.counter()
			.count();
		String contactId = aContactId();
		this.hubSpot.stubFor(HubSpotStubs.updateOf(contactId)
			.willReturn(json(429, "{\"status\":\"error\",\"message\":\"You have reached your daily limit.\","
					+ "\"errorType\":\"RATE_LIMIT\",\"policyName\":\"DAILY\"}")));
		send(anImageOfContact(contactId));

		await().atMost(Duration.ofSeconds(20)).until(() -> !consumerRunning());
		assertThat(this.availability.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(this.availability.currentPause()).hasValueSatisfying(
				(pause) -> assertThat(pause.until()).isAfter(java.time.Instant.now()));
		assertThat(this.meters.get("esteira.crm.daily.limit.reached").tag("tenant", "default").counter().count())
			.isEqualTo(reachedBefore + 1);
		assertThat(this.meters.get("esteira.crm.paused").tag("tenant", "default").gauge().value()).isEqualTo(1);
		String nextContact = aContactId();
		ImageProcessedEvent next = anImageOfContact(nextContact);
		send(next);
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
			.until(() -> this.hubSpot.findAll(anyRequestedFor(anyUrl())).size() == 2);

		// The quota resets (HubSpot answers again; here an operator lifts the pause): the waiting messages go through.
		this.infrastructure.hubSpot().reset();
		this.availability.resume();

		// A message the stopping consumer had already received comes back after its visibility (10 s here), one sent
		// again to wait after the paused consumer's recheck (15 s).
		assertThat(await().atMost(Duration.ofSeconds(60))
			.until(() -> this.queues.statusEventsFor(next.uploadId()), (found) -> !found.isEmpty())
			.getFirst()
			.status()).isEqualTo(UploadStatus.COMPLETED);
		assertThat(patchesOf(nextContact)).hasSize(1);
	}

	private void failThenSucceed(String contactId, ResponseDefinitionBuilder failure) {
		this.hubSpot.stubFor(HubSpotStubs.updateOf(contactId).inScenario("once")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(failure)
			.willSetStateTo("recovered"));
		this.hubSpot.stubFor(HubSpotStubs.updateOf(contactId).inScenario("once")
			.whenScenarioStateIs("recovered")
			.willReturn(HubSpotStubs.contacts(contactId, null)));
	}

	private void failTwiceThenSucceed(String contactId, ResponseDefinitionBuilder first,
			ResponseDefinitionBuilder second) {
		this.hubSpot.stubFor(HubSpotStubs.updateOf(contactId).inScenario("twice")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(first)
			.willSetStateTo("failed once"));
		this.hubSpot.stubFor(HubSpotStubs.updateOf(contactId).inScenario("twice")
			.whenScenarioStateIs("failed once")
			.willReturn(second)
			.willSetStateTo("recovered"));
		this.hubSpot.stubFor(HubSpotStubs.updateOf(contactId).inScenario("twice")
			.whenScenarioStateIs("recovered")
			.willReturn(HubSpotStubs.contacts(contactId, null)));
	}

	private boolean consumerRunning() {
		return this.containers.getContainerById(ImageEventsListener.ID).isRunning();
	}

	private int actuatorHealth() throws Exception {
		try (HttpClient http = HttpClient.newHttpClient()) {
			return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort
					+ "/actuator/health")).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
		}
	}

	private void send(ImageProcessedEvent event) {
		this.sqsTemplate.send(PipelineQueues.IMAGE_EVENTS, event);
	}

	private List<LoggedRequest> patchesOf(String contactId) {
		return HubSpotStubs.updatesOf(this.hubSpot, contactId);
	}


	/** The delays (seconds) the retry policy chose for the upload's failed attempts, as crm-sync logged them. */
	private static List<String> retryDelays(CapturedOutput output, ImageProcessedEvent event) {
		Matcher retries = Pattern.compile("Upload " + event.uploadId() + ": attempt \\d+ of \\d+ failed .*; retrying in "
				+ "(\\d+) s").matcher(output.getOut());
		List<String> delays = new ArrayList<>();
		while (retries.find()) {
			delays.add(retries.group(1));
		}
		return delays;
	}

}
