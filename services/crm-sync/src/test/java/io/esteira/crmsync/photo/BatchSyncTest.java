package io.esteira.crmsync.photo;

import java.time.Instant;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.esteira.crmsync.photo.HubSpotStubs.NOTES;
import static io.esteira.crmsync.photo.HubSpotStubs.READ;
import static io.esteira.crmsync.photo.HubSpotStubs.TASKS;
import static io.esteira.crmsync.photo.HubSpotStubs.UPDATE;
import static io.esteira.crmsync.photo.HubSpotStubs.json;
import static io.esteira.crmsync.photo.ImageEvents.aContactId;
import static io.esteira.crmsync.photo.ImageEvents.anImageOfContact;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several image events in one batch: one HubSpot request per kind of call, and each upload's outcome decided on its
 * own when HubSpot answers per item ({@code 207 Multi-Status}).
 */
@CrmSyncTest
class BatchSyncTest {

	private final EsteiraInfrastructure infrastructure = EsteiraInfrastructure.shared();

	private final WireMockServer hubSpot = this.infrastructure.hubSpot().server();

	@Autowired
	private JdbcClient jdbc;

	private PipelineQueues queues;

	private SyncRows rows;

	@BeforeEach
	void cleanSlate() {
		this.queues = PipelineQueues.cleared(this.infrastructure);
		this.rows = new SyncRows(this.jdbc);
	}

	@Test
	void duplicateEventInsideOneBatchIsSyncedOnceAndBothMessagesAreDeleted() {
		ImageProcessedEvent event = anImageOfContact(aContactId());
		ImageProcessedEvent other = anImageOfContact(aContactId());

		sendTogether(event, event, other);

		this.queues.awaitStatusEvent(event.uploadId());
		this.queues.awaitStatusEvent(other.uploadId());
		this.queues.awaitImageEventsSettled();
		assertThat(this.queues.statusEventsFor(event.uploadId())).singleElement()
			.extracting(UploadStatusEvent::status)
			.isEqualTo(UploadStatus.COMPLETED);
		assertThat(HubSpotStubs.updatesOf(this.hubSpot, event.crmContactId())).singleElement()
			.satisfies((update) -> assertThat(update.getBodyAsString().split(event.crmContactId(), -1)).hasSize(2));
		assertThat(HubSpotStubs.requests(this.hubSpot, TASKS, OwnerNotifications.marker(event.uploadId())))
			.hasSize(1);
		assertThat(HubSpotStubs.requests(this.hubSpot, NOTES, OwnerNotifications.marker(event.uploadId())))
			.hasSize(1);
		assertThat(this.queues.deadLetterCount()).isZero();
	}

	@Test
	void oneItemRefusedByAValidationRuleNeedsReviewWithHubSpotsMessageAndTheOthersComplete() {
		String refused = aContactId();
		String accepted = aContactId();
		this.hubSpot.stubFor(HubSpotStubs.updateOf(refused).willReturn(json(207, """
				{"status":"COMPLETE","results":[{"id":"%s","properties":{}}],"numErrors":1,
				 "errors":[{"status":"error","category":"VALIDATION_ERROR",
				   "message":"Property values were not valid: esteira_photo_url must be an https link to our CDN",
				   "context":{"ids":["%s"]}}]}""".formatted(accepted, refused))));
		ImageProcessedEvent refusedEvent = anImageOfContact(refused);
		ImageProcessedEvent acceptedEvent = anImageOfContact(accepted);

		sendTogether(refusedEvent, acceptedEvent);

		UploadStatusEvent review = this.queues.awaitStatusEvent(refusedEvent.uploadId());
		assertThat(review.outcome()).isEqualTo(StepOutcome.NEEDS_REVIEW);
		assertThat(review.reason()).contains("VALIDATION_ERROR")
			.contains("esteira_photo_url must be an https link to our CDN");
		assertThat(this.queues.awaitStatusEvent(acceptedEvent.uploadId()).status()).isEqualTo(UploadStatus.COMPLETED);
		this.queues.awaitImageEventsSettled();
		// Never retried: one update request in all, and no task or note for the refused upload.
		assertThat(this.hubSpot.findAll(postRequestedFor(urlPathEqualTo(UPDATE)))).hasSize(1);
		assertThat(HubSpotStubs.requests(this.hubSpot, TASKS, OwnerNotifications.marker(refusedEvent.uploadId())))
			.isEmpty();
		assertThat(this.rows.of(refusedEvent.uploadId())).map(SyncRows.Row::status).contains("NEEDS_REVIEW");
		assertThat(this.queues.deadLetterCount()).isZero();
	}

	@Test
	void contactNotFoundInsideABatchNeedsReviewAndTheOthersComplete() {
		String missing = aContactId();
		String present = aContactId();
		this.hubSpot.stubFor(HubSpotStubs.readOf(missing).willReturn(json(207, """
				{"status":"COMPLETE","results":[{"id":"%s","properties":{"hubspot_owner_id":"77"}}],"numErrors":1,
				 "errors":[{"status":"error","category":"OBJECT_NOT_FOUND",
				   "message":"Could not get some CONTACT objects, they may be deleted or not exist.",
				   "context":{"ids":["%s"]}}]}""".formatted(present, missing))));
		ImageProcessedEvent missingEvent = anImageOfContact(missing);
		ImageProcessedEvent presentEvent = anImageOfContact(present);

		sendTogether(missingEvent, presentEvent);

		assertThat(this.queues.awaitStatusEvent(missingEvent.uploadId()).reason())
			.isEqualTo("the upload's CRM contact was not found in the CRM")
			.doesNotContain(missing);
		assertThat(this.queues.awaitStatusEvent(presentEvent.uploadId()).status()).isEqualTo(UploadStatus.COMPLETED);
		this.queues.awaitImageEventsSettled();
		assertThat(this.hubSpot.findAll(postRequestedFor(urlPathEqualTo(READ)))).hasSize(1);
		assertThat(HubSpotStubs.updatesOf(this.hubSpot, missing)).isEmpty();
	}

	@Test
	void rateLimitOnAWholeBatchRetriesEveryUploadOfItAsOneMoreAttempt() {
		String first = aContactId();
		String second = aContactId();
		this.hubSpot.stubFor(post(urlPathEqualTo(UPDATE)).atPriority(5).inScenario("429")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(json(429, "{\"status\":\"error\",\"message\":\"You have reached your ten_secondly_rolling "
					+ "limit.\",\"errorType\":\"RATE_LIMIT\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}")
				.withHeader("Retry-After", "1"))
			.willSetStateTo("calm"));
		ImageProcessedEvent one = anImageOfContact(first);
		ImageProcessedEvent two = anImageOfContact(second);

		sendTogether(one, two);

		UploadStatusEvent oneStatus = this.queues.awaitStatusEvent(one.uploadId());
		UploadStatusEvent twoStatus = this.queues.awaitStatusEvent(two.uploadId());
		assertThat(List.of(oneStatus, twoStatus)).allSatisfy((status) -> {
			assertThat(status.status()).isEqualTo(UploadStatus.COMPLETED);
			assertThat(status.attempt()).isEqualTo(2);
		});
		this.queues.awaitImageEventsSettled();
		assertThat(HubSpotStubs.updatesOf(this.hubSpot, first)).hasSizeBetween(2, 3);
		assertThat(this.queues.deadLetterCount()).isZero();
	}

	@Test
	void oneTaskRefusedInsideTheTaskBatchIsKeptAsTheUploadsErrorAndTheOtherTaskIsCreated() {
		ImageProcessedEvent refused = anImageOfContact(aContactId());
		ImageProcessedEvent created = anImageOfContact(aContactId());
		String refusedMarker = OwnerNotifications.marker(refused.uploadId());
		String createdMarker = OwnerNotifications.marker(created.uploadId());
		this.hubSpot.stubFor(post(urlPathEqualTo(TASKS)).atPriority(5).withRequestBody(containing(refusedMarker))
			.willReturn(json(207, """
					{"status":"COMPLETE","results":[{"id":"90001","objectWriteTraceId":"%s"}],"numErrors":1,
					 "errors":[{"status":"error","category":"VALIDATION_ERROR",
					   "message":"hubspot_owner_id 77 is not an active user","context":{"objectWriteTraceId":["%s"]}}]}"""
				.formatted(createdMarker, refusedMarker))));

		sendTogether(refused, created);

		assertThat(this.queues.awaitStatusEvent(refused.uploadId()).status()).isEqualTo(UploadStatus.COMPLETED);
		assertThat(this.queues.awaitStatusEvent(created.uploadId()).status()).isEqualTo(UploadStatus.COMPLETED);
		this.queues.awaitImageEventsSettled();
		assertThat(this.hubSpot.findAll(postRequestedFor(urlPathEqualTo(TASKS)))).hasSize(1);
		assertThat(this.rows.of(created.uploadId())).map(SyncRows.Row::taskId).contains("90001");
		assertThat(this.rows.of(refused.uploadId())).hasValueSatisfying((row) -> {
			assertThat(row.taskId()).isNull();
			assertThat(row.taskClaimedAt()).isNull();
			assertThat(row.noteId()).isNotNull();
		});
		assertThat(this.jdbc.sql("select last_error from crm_sync.crm_syncs where upload_id = ?")
			.param(refused.uploadId())
			.query(String.class)
			.single()).startsWith("Task not created: ").contains("is not an active user");
	}

	@Test
	void latePhotosArrivingApartAreGatheredIntoOneBatch() throws InterruptedException {
		// Uploaded 6 s ago (the pipeline is behind, as in a burst): their batch gathers for 3 s, half that lateness.
		Instant uploaded = Instant.now().minusSeconds(6);
		List<ImageProcessedEvent> late = List.of(uploadedAt(anImageOfContact(aContactId()), uploaded),
				uploadedAt(anImageOfContact(aContactId()), uploaded), uploadedAt(anImageOfContact(aContactId()), uploaded));

		for (ImageProcessedEvent event : late) {
			this.queues.sendRawImageEvent(this.queues.toJson(event));
			Thread.sleep(400);
		}

		late.forEach((event) -> assertThat(this.queues.awaitStatusEvent(event.uploadId()).status())
			.isEqualTo(UploadStatus.COMPLETED));
		assertThat(HubSpotStubs.requests(this.hubSpot, READ, "\"" + late.getFirst().crmContactId() + "\""))
			.singleElement()
			.satisfies((read) -> assertThat(read.getBodyAsString()).contains("\"" + late.get(1).crmContactId() + "\"",
					"\"" + late.get(2).crmContactId() + "\""));
		assertThat(HubSpotStubs.requests(this.hubSpot, TASKS, OwnerNotifications.marker(late.getFirst().uploadId())))
			.singleElement()
			.satisfies((tasks) -> assertThat(tasks.getBodyAsString())
				.contains(OwnerNotifications.marker(late.get(2).uploadId())));
	}

	@Test
	void freshPhotosArrivingApartAreNotHeldBack() throws InterruptedException {
		ImageProcessedEvent first = anImageOfContact(aContactId());
		ImageProcessedEvent second = anImageOfContact(aContactId());

		this.queues.sendRawImageEvent(this.queues.toJson(first));
		Thread.sleep(1500);
		this.queues.sendRawImageEvent(this.queues.toJson(second));

		this.queues.awaitStatusEvent(first.uploadId());
		this.queues.awaitStatusEvent(second.uploadId());
		// Just uploaded: each is handled as soon as its poll comes back, in a batch of its own.
		assertThat(HubSpotStubs.requests(this.hubSpot, READ, "\"" + first.crmContactId() + "\"")).singleElement()
			.satisfies((read) -> assertThat(read.getBodyAsString()).doesNotContain(second.crmContactId()));
		assertThat(HubSpotStubs.requests(this.hubSpot, READ, "\"" + second.crmContactId() + "\"")).hasSize(1);
	}

	private static ImageProcessedEvent uploadedAt(ImageProcessedEvent event, Instant uploadedAt) {
		return new ImageProcessedEvent(event.eventId(), event.uploadId(), event.sourceBucket(), event.sourceKey(),
				event.crmContactId(), event.customerEmail(), event.customerPhone(), event.renditions(),
				event.occurredAt(), uploadedAt, event.run());
	}

	private void sendTogether(ImageProcessedEvent... events) {
		this.queues.sendRawImageEvents(List.of(events).stream().map(this.queues::toJson).toList());
	}

}
