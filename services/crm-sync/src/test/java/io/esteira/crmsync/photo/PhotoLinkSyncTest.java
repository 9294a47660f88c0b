package io.esteira.crmsync.photo;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.awspring.cloud.sqs.operations.SqsTemplate;
import io.micrometer.core.instrument.MeterRegistry;
import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.esteira.crmsync.photo.ImageEvents.aContactId;
import static io.esteira.crmsync.photo.ImageEvents.anImageOfContact;
import static io.esteira.crmsync.photo.ImageEvents.anImageOfContactAt;
import static io.esteira.crmsync.photo.ImageEvents.anImageWithoutContact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@CrmSyncTest
@ExtendWith(OutputCaptureExtension.class)
class PhotoLinkSyncTest {

	static final String TOKEN = CrmSyncTest.TOKEN;

	private final EsteiraInfrastructure infrastructure = EsteiraInfrastructure.shared();

	private final WireMockServer hubSpot = this.infrastructure.hubSpot().server();

	@Autowired
	private SqsTemplate sqsTemplate;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private MeterRegistry meters;

	private PipelineQueues queues;

	@BeforeEach
	void cleanSlate() {
		this.queues = PipelineQueues.cleared(this.infrastructure);
	}

	@Test
	void noTransactionOrLockIsHeldWhileHubSpotAnswers() {
		String contactId = aContactId();
		aSlowUpdateOf(contactId);
		ImageProcessedEvent event = anImageOfContact(contactId);

		send(event);

		// The contact is claimed just before the update: from then on HubSpot takes 900 ms to answer.
		awaitClaim(PhotoLinkService.contactClaim("default", contactId));
		assertThat(this.jdbc.sql("select count(*) from pg_locks where locktype = 'advisory'").query(Long.class).single())
			.isZero();
		assertThat(this.jdbc.sql("select count(*) from pg_stat_activity where datname = current_database()"
				+ " and state like 'idle in transaction%'").query(Long.class).single())
			.isZero();
		assertThat(this.queues.awaitStatusEvent(event.uploadId()).status()).isEqualTo(UploadStatus.COMPLETED);
		assertThat(claimed("upload:" + event.uploadId())).as("claims given back").isFalse();
	}

	@Test
	void secondDeliveryWhileTheFirstIsAtHubSpotUpdatesNothingAndSendsNoSecondStatus() {
		String contactId = aContactId();
		aSlowUpdateOf(contactId);
		ImageProcessedEvent event = anImageOfContact(contactId);

		send(event);
		awaitClaim("upload:" + event.uploadId());
		send(event);

		this.queues.awaitStatusEvent(event.uploadId());
		this.queues.awaitImageEventsSettled();
		assertThat(updatesOf(contactId)).hasSize(1);
		assertThat(this.queues.statusEventsFor(event.uploadId())).singleElement()
			.satisfies((status) -> assertThat(status.status()).isEqualTo(UploadStatus.COMPLETED));
		assertThat(this.queues.deadLetterCount()).isZero();
	}

	@Test
	void imageOfAContactPutsThePermalinkOnTheContactAndCompletesTheUpload() {
		String contactId = aContactId();
		ImageProcessedEvent event = anImageOfContact(contactId);

		send(event);

		UploadStatusEvent status = this.queues.awaitStatusEvent(event.uploadId());
		assertThat(status.service()).isEqualTo("crm-sync");
		assertThat(status.step()).isEqualTo("crm-sync");
		assertThat(status.outcome()).isEqualTo(StepOutcome.SUCCEEDED);
		assertThat(status.status()).isEqualTo(UploadStatus.COMPLETED);
		// Its start came with it, so that ingest can time the step.
		assertThat(this.queues.allStatusEventsFor(event.uploadId()))
			.filteredOn((report) -> report.outcome() == StepOutcome.STARTED)
			.singleElement()
			.satisfies((started) -> {
				assertThat(started.step()).isEqualTo("crm-sync");
				assertThat(started.status()).isNull();
				assertThat(started.occurredAt()).isBeforeOrEqualTo(status.occurredAt());
			});
		this.queues.awaitImageEventsSettled();
		this.hubSpot.verify(1, postRequestedFor(urlPathEqualTo(HubSpotStubs.UPDATE))
			.withHeader("Authorization", equalTo("Bearer " + TOKEN))
			.withHeader("Content-Type", WireMock.containing("application/json"))
			.withRequestBody(equalToJson("{\"inputs\":[{\"id\":\"" + contactId + "\",\"properties\":"
					+ "{\"esteira_photo_url\":\"https://esteira.example/files/" + event.uploadId() + "/256\"}}]}")));
		assertThat(this.hubSpot.findAll(postRequestedFor(urlPathEqualTo(HubSpotStubs.UPDATE)))).hasSize(1);
		SyncRow row = row(event.uploadId()).orElseThrow();
		assertThat(row.status()).isEqualTo("SYNCED");
		assertThat(row.contactId()).isEqualTo(contactId);
		assertThat(row.link()).isEqualTo("https://esteira.example/files/" + event.uploadId() + "/256");
		assertThat(row.attempts()).isEqualTo(1);
		assertThat(row.syncedAt()).isNotNull();
		assertThat(this.meters.find("http.client.requests")
			.tag("uri", HubSpotStubs.UPDATE)
			.tag("status", "200")
			.timer()).isNotNull();
	}

	@Test
	void sameEventDeliveredTwicePatchesOnceAndReportsOnce() {
		String contactId = aContactId();
		ImageProcessedEvent event = anImageOfContact(contactId);

		send(event);
		send(event);

		this.queues.awaitStatusEvent(event.uploadId());
		this.queues.awaitImageEventsSettled();
		assertThat(patchesOf(contactId)).hasSize(1);
		assertThat(this.queues.statusEventsFor(event.uploadId())).singleElement()
			.extracting(UploadStatusEvent::status)
			.isEqualTo(UploadStatus.COMPLETED);
	}

	@Test
	void eventSentAsPlainJsonWithoutTypeHeaderIsProcessed() {
		String contactId = aContactId();
		ImageProcessedEvent event = anImageOfContact(contactId);

		this.queues.sendRawImageEvent(this.queues.toJson(event));

		assertThat(this.queues.awaitStatusEvent(event.uploadId()).status()).isEqualTo(UploadStatus.COMPLETED);
		this.queues.awaitImageEventsSettled();
		assertThat(patchesOf(contactId)).hasSize(1);
	}

	@Test
	void imageWithoutContactNeedsReviewAndCallsNoCrm() {
		ImageProcessedEvent event = anImageWithoutContact();

		send(event);

		UploadStatusEvent status = this.queues.awaitStatusEvent(event.uploadId());
		assertThat(status.outcome()).isEqualTo(StepOutcome.NEEDS_REVIEW);
		assertThat(status.status()).isEqualTo(UploadStatus.NEEDS_REVIEW);
		assertThat(status.reason()).isEqualTo("no CRM contact on the upload");
		this.queues.awaitImageEventsSettled();
		assertThat(this.hubSpot.getAllServeEvents()).isEmpty();
		assertThat(row(event.uploadId())).map(SyncRow::status).contains("NEEDS_REVIEW");
	}

	@Test
	void hubSpotOutageIsRetriedUntilTheContactIsUpdated() {
		String contactId = aContactId();
		this.hubSpot.stubFor(HubSpotStubs.updateOf(contactId).inScenario("outage")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(503).withBody("upstream unavailable"))
			.willSetStateTo("recovered"));
		this.hubSpot.stubFor(HubSpotStubs.updateOf(contactId).inScenario("outage")
			.whenScenarioStateIs("recovered")
			.willReturn(HubSpotStubs.contacts(contactId, null)));
		ImageProcessedEvent event = anImageOfContact(contactId);

		send(event);

		UploadStatusEvent status = this.queues.awaitStatusEvent(event.uploadId());
		assertThat(status.status()).isEqualTo(UploadStatus.COMPLETED);
		assertThat(status.attempt()).isEqualTo(2);
		this.queues.awaitImageEventsSettled();
		assertThat(patchesOf(contactId)).hasSize(2);
		assertThat(this.queues.deadLetterCount()).isZero();
		assertThat(this.queues.statusEventsFor(event.uploadId())).hasSize(1);
		assertThat(row(event.uploadId())).hasValueSatisfying((row) -> {
			assertThat(row.status()).isEqualTo("SYNCED");
			assertThat(row.attempts()).isEqualTo(2);
		});
	}

	@Test
	void contactUnknownToHubSpotNeedsReviewAndIsNotRetried() {
		String contactId = aContactId();
		this.hubSpot.stubFor(HubSpotStubs.readOf(contactId).willReturn(HubSpotStubs.failedItems("OBJECT_NOT_FOUND",
				"Could not get some CONTACT objects, they may be deleted or not exist.", contactId)));
		ImageProcessedEvent event = anImageOfContact(contactId);

		send(event);

		UploadStatusEvent status = this.queues.awaitStatusEvent(event.uploadId());
		assertThat(status.outcome()).isEqualTo(StepOutcome.NEEDS_REVIEW);
		assertThat(status.status()).isEqualTo(UploadStatus.NEEDS_REVIEW);
		assertThat(status.reason()).isEqualTo("the upload's CRM contact was not found in the CRM");
		this.queues.awaitImageEventsSettled();
		assertThat(patchesOf(contactId)).isEmpty();
		assertThat(this.queues.deadLetterCount()).isZero();
		assertThat(row(event.uploadId())).hasValueSatisfying((row) -> {
			assertThat(row.status()).isEqualTo("NEEDS_REVIEW");
			assertThat(row.reason()).isEqualTo("the upload's CRM contact was not found in the CRM");
		});
	}

	@Test
	void redriveOfAnUploadThatNeededReviewSyncsItOnceTheContactIsThere() {
		String contactId = aContactId();
		this.hubSpot.stubFor(HubSpotStubs.readOf(contactId).willReturn(HubSpotStubs.failedItems("OBJECT_NOT_FOUND",
				"Could not get some CONTACT objects, they may be deleted or not exist.", contactId)));
		ImageProcessedEvent event = anImageOfContact(contactId);
		send(event);
		assertThat(this.queues.awaitStatusEvent(event.uploadId()).status()).isEqualTo(UploadStatus.NEEDS_REVIEW);
		this.queues.awaitImageEventsSettled();
		// Someone created the contact in HubSpot and pressed retry: image-processing announces the image again.
		this.infrastructure.hubSpot().reset();
		ImageProcessedEvent redriven = ImageEvents.inRun(event, 2);

		send(redriven);
		send(redriven);

		List<UploadStatusEvent> ends = await().atMost(Duration.ofSeconds(30))
			.until(() -> this.queues.statusEventsFor(event.uploadId()), (reports) -> reports.size() >= 2);
		assertThat(ends).extracting(UploadStatusEvent::status)
			.containsExactly(UploadStatus.NEEDS_REVIEW, UploadStatus.COMPLETED);
		this.queues.awaitImageEventsSettled();
		assertThat(this.queues.statusEventsFor(event.uploadId())).hasSize(2);
		assertThat(patchesOf(contactId)).hasSize(1);
		assertThat(row(event.uploadId())).map(SyncRow::status).contains("SYNCED");
		// The first run's event, delivered late, is the old run's: nothing more.
		send(event);
		this.queues.awaitImageEventsSettled();
		assertThat(this.queues.statusEventsFor(event.uploadId())).hasSize(2);
		assertThat(patchesOf(contactId)).hasSize(1);
	}

	@Test
	void redriveOfASyncedUploadReportsItAgainWithoutTouchingTheContact() {
		String contactId = aContactId();
		ImageProcessedEvent event = anImageOfContact(contactId);
		send(event);
		assertThat(this.queues.awaitStatusEvent(event.uploadId()).status()).isEqualTo(UploadStatus.COMPLETED);
		this.queues.awaitImageEventsSettled();

		// The upload was redriven (its report was lost on the way, say): run 2 ends too, with no second update.
		send(ImageEvents.inRun(event, 2));

		List<UploadStatusEvent> ends = await().atMost(Duration.ofSeconds(30))
			.until(() -> this.queues.statusEventsFor(event.uploadId()), (reports) -> reports.size() >= 2);
		assertThat(ends.get(1).outcome()).isEqualTo(StepOutcome.SUCCEEDED);
		assertThat(ends.get(1).status()).isEqualTo(UploadStatus.COMPLETED);
		assertThat(ends.get(1).reason()).isEqualTo("run 2: photo link already on the contact");
		this.queues.awaitImageEventsSettled();
		assertThat(patchesOf(contactId)).hasSize(1);
		assertThat(this.queues.allStatusEventsFor(event.uploadId()))
			.filteredOn((report) -> report.outcome() == StepOutcome.STARTED)
			.hasSize(2);
	}

	@Test
	void olderImageArrivingLateDoesNotReplaceTheNewerPhoto() {
		String contactId = aContactId();
		Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
		ImageProcessedEvent newer = anImageOfContactAt(contactId, now);
		ImageProcessedEvent older = anImageOfContactAt(contactId, now.minus(Duration.ofHours(1)));

		send(newer);
		this.queues.awaitStatusEvent(newer.uploadId());
		send(older);

		UploadStatusEvent status = this.queues.awaitStatusEvent(older.uploadId());
		assertThat(status.outcome()).isEqualTo(StepOutcome.SKIPPED);
		assertThat(status.status()).isEqualTo(UploadStatus.COMPLETED);
		// Neither the other upload nor the contact is named: the reason goes to this upload's timeline.
		assertThat(status.reason()).isEqualTo("the contact already shows a newer image");
		this.queues.awaitImageEventsSettled();
		assertThat(patchesOf(contactId)).singleElement()
			.satisfies((request) -> assertThat(request.getBodyAsString()).contains(newer.uploadId().toString()));
		assertThat(row(older.uploadId())).map(SyncRow::status).contains("SUPERSEDED");
	}

	@Test
	void newerImageReplacesTheOlderPhoto() {
		String contactId = aContactId();
		Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
		ImageProcessedEvent older = anImageOfContactAt(contactId, now.minus(Duration.ofHours(1)));
		ImageProcessedEvent newer = anImageOfContactAt(contactId, now);

		send(older);
		this.queues.awaitStatusEvent(older.uploadId());
		send(newer);

		assertThat(this.queues.awaitStatusEvent(newer.uploadId()).outcome()).isEqualTo(StepOutcome.SUCCEEDED);
		this.queues.awaitImageEventsSettled();
		assertThat(patchesOf(contactId)).extracting(LoggedRequest::getBodyAsString)
			.satisfiesExactly((first) -> assertThat(first).contains(older.uploadId().toString()),
					(second) -> assertThat(second).contains(newer.uploadId().toString()));
	}

	@Test
	void unconvertibleMessagesEndInTheDeadLetterQueueAndTheListenerKeepsWorking() {
		String notJson = "this is not an event {";
		String wrongTypes = "{\"uploadId\":\"not-a-uuid\",\"occurredAt\":\"yesterday\"}";
		String noUpload = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"crmContactId\":\"" + aContactId() + "\"}";
		this.queues.sendRawImageEvent(notJson);
		this.queues.sendRawImageEvent(wrongTypes);
		this.queues.sendRawImageEvent(noUpload);

		await().atMost(Duration.ofSeconds(40)).until(this.queues::deadLetterCount, (count) -> count == 3);
		assertThat(this.queues.deadLetterBodies()).containsExactlyInAnyOrder(notJson, wrongTypes, noUpload);
		assertThat(this.hubSpot.getAllServeEvents()).isEmpty();

		String contactId = aContactId();
		ImageProcessedEvent event = anImageOfContact(contactId);
		send(event);
		assertThat(this.queues.awaitStatusEvent(event.uploadId()).status()).isEqualTo(UploadStatus.COMPLETED);
		this.queues.awaitImageEventsSettled();
	}

	@Test
	void tokenNeverAppearsInTheLogsOfAFailingCall(CapturedOutput output) {
		String contactId = aContactId();
		// A hostile or buggy server echoing the credentials back in its error body and headers.
		this.hubSpot.stubFor(HubSpotStubs.updateOf(contactId).willReturn(aResponse().withStatus(503)
			.withHeader("Content-Type", "application/json")
			.withHeader("X-Echo", "{{request.headers.Authorization}}")
			.withBody("{\"message\":\"cannot serve {{request.headers.Authorization}}\"}")));
		ImageProcessedEvent event = anImageOfContact(contactId);

		send(event);

		await().atMost(Duration.ofSeconds(30)).until(() -> row(event.uploadId()).isPresent());
		assertThat(patchesOf(contactId)).hasSize(3)
			.allSatisfy((request) -> assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN));
		assertThat(output.getAll()).contains("HubSpot answered 503 to the update of 1 contact")
			.doesNotContain(TOKEN);
		assertThat(row(event.uploadId())).hasValueSatisfying((row) -> {
			assertThat(row.status()).isEqualTo("FAILED");
			assertThat(row.reason()).contains("HubSpot answered 503").doesNotContain(TOKEN);
		});
		assertThat(this.queues.awaitStatusEvent(event.uploadId()).reason()).doesNotContain(TOKEN);
	}

	private void send(ImageProcessedEvent event) {
		this.sqsTemplate.send(PipelineQueues.IMAGE_EVENTS, event);
	}

	private List<LoggedRequest> patchesOf(String contactId) {
		return updatesOf(contactId);
	}

	private List<LoggedRequest> updatesOf(String contactId) {
		return HubSpotStubs.updatesOf(this.hubSpot, contactId);
	}

	private Optional<SyncRow> row(UUID uploadId) {
		return this.jdbc
			.sql("select status, contact_id, link, reason, attempts, synced_at from crm_sync.crm_syncs where upload_id = ?")
			.param(uploadId)
			.query(SyncRow.class)
			.optional();
	}

	record SyncRow(String status, String contactId, String link, String reason, int attempts, Instant syncedAt) {
	}

	private void aSlowUpdateOf(String contactId) {
		this.hubSpot.stubFor(HubSpotStubs.updateOf(contactId)
			.willReturn(HubSpotStubs.contacts(contactId, null).withFixedDelay(900)));
	}

	private void awaitClaim(String key) {
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> claimed(key));
	}

	private boolean claimed(String key) {
		return this.jdbc.sql("select count(*) from crm_sync_claims where claim_key = ?").param(key)
			.query(Long.class).single() > 0;
	}

}
