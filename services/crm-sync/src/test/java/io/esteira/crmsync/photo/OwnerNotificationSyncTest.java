package io.esteira.crmsync.photo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.awspring.cloud.sqs.operations.SqsTemplate;
import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.testkit.EsteiraInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.esteira.crmsync.photo.HubSpotStubs.NOTES;
import static io.esteira.crmsync.photo.HubSpotStubs.OWNER;
import static io.esteira.crmsync.photo.HubSpotStubs.TASKS;
import static io.esteira.crmsync.photo.HubSpotStubs.TASK_SEARCH;
import static io.esteira.crmsync.photo.HubSpotStubs.json;
import static io.esteira.crmsync.photo.ImageEvents.aContactId;
import static io.esteira.crmsync.photo.ImageEvents.anImageOfContact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@CrmSyncTest
class OwnerNotificationSyncTest {

	private final EsteiraInfrastructure infrastructure = EsteiraInfrastructure.shared();

	private final WireMockServer hubSpot = this.infrastructure.hubSpot().server();

	@Autowired
	private SqsTemplate sqsTemplate;

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
	void ownerGetsATaskDueNowAndTheContactANoteWithTheLink() {
		String contactId = aContactId();
		ImageProcessedEvent event = anImageOfContact(contactId);
		String link = "https://esteira.example/files/" + event.uploadId() + "/256";

		send(event);

		this.queues.awaitStatusEvent(event.uploadId());
		this.queues.awaitImageEventsSettled();
		this.hubSpot.verify(1, postRequestedFor(urlPathEqualTo(TASKS)).withRequestBody(equalToJson("""
				{"inputs":[{"properties":{"hs_task_subject":"New customer photo","hs_task_status":"NOT_STARTED",
				  "hubspot_owner_id":"%s"},
				 "associations":[{"to":{"id":"%s"},
				   "types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":204}]}],
				 "objectWriteTraceId":"%s"}]}"""
			.formatted(OWNER, contactId, marker(event.uploadId())), true, true))
			.withRequestBody(matchingJsonPath("$.inputs[0].properties.hs_task_body", containing(link)))
			.withRequestBody(
					matchingJsonPath("$.inputs[0].properties.hs_task_body", containing(marker(event.uploadId()))))
			.withRequestBody(matchingJsonPath("$.inputs[0].properties.hs_timestamp")));
		this.hubSpot.verify(1, postRequestedFor(urlPathEqualTo(NOTES)).withRequestBody(equalToJson("""
				{"inputs":[{"associations":[{"to":{"id":"%s"},
				   "types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":202}]}]}]}"""
			.formatted(contactId), true, true))
			.withRequestBody(
					matchingJsonPath("$.inputs[0].properties.hs_note_body", containing("Customer photo: " + link))));
		assertThat(this.rows.of(event.uploadId())).hasValueSatisfying((row) -> {
			assertThat(row.ownerId()).isEqualTo(OWNER);
			assertThat(row.taskId()).matches("[0-9]{11}");
			assertThat(row.noteId()).matches("[0-9]{11}");
		});
	}

	@Test
	void duplicatedEventUpdatesOnceAndCreatesOneTaskAndOneNote() {
		String contactId = aContactId();
		ImageProcessedEvent event = anImageOfContact(contactId);

		// Two messages with the same event, consumed in parallel.
		CompletableFuture.allOf(CompletableFuture.runAsync(() -> send(event)),
				CompletableFuture.runAsync(() -> send(event)))
			.join();

		this.queues.awaitStatusEvent(event.uploadId());
		this.queues.awaitImageEventsSettled();
		assertThat(HubSpotStubs.updatesOf(this.hubSpot, contactId)).hasSize(1);
		this.hubSpot.verify(exactly(1), postRequestedFor(urlPathEqualTo(TASKS)));
		this.hubSpot.verify(exactly(1), postRequestedFor(urlPathEqualTo(NOTES)));
		assertThat(this.queues.statusEventsFor(event.uploadId())).singleElement()
			.satisfies((status) -> assertThat(status.status()).isEqualTo(UploadStatus.COMPLETED));
		assertThat(this.queues.deadLetterCount()).isZero();
	}

	@Test
	void taskCreatedButItsAnswerLostIsFoundByItsMarkerNotCreatedTwice() {
		String contactId = aContactId();
		ImageProcessedEvent event = anImageOfContact(contactId);
		String marker = marker(event.uploadId());
		// HubSpot creates the task but answers after our read timeout (1 s): as if we crashed before storing its id.
		this.hubSpot.stubFor(post(urlPathEqualTo(TASKS)).willReturn(json(201, "{\"status\":\"COMPLETE\","
				+ "\"results\":[{\"id\":\"4242\",\"objectWriteTraceId\":\"" + marker + "\"}]}").withFixedDelay(1_500)));
		this.hubSpot.stubFor(post(urlPathEqualTo(TASK_SEARCH)).withRequestBody(containing(marker))
			.willReturn(json(200, "{\"total\":1,\"results\":[{\"id\":\"4242\",\"properties\":{\"hs_task_body\":"
					+ "\"A new photo (Esteira ref " + marker + ")\"}}]}")));

		send(event);

		this.queues.awaitStatusEvent(event.uploadId());
		this.queues.awaitImageEventsSettled();
		this.hubSpot.verify(exactly(1), postRequestedFor(urlPathEqualTo(TASKS)));
		this.hubSpot.verify(exactly(1), postRequestedFor(urlPathEqualTo(TASK_SEARCH)).withRequestBody(
				equalToJson("{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"hs_task_body\","
						+ "\"operator\":\"CONTAINS_TOKEN\",\"value\":\"" + marker + "\"}]}]}", true, true)));
		this.hubSpot.verify(exactly(1), postRequestedFor(urlPathEqualTo(NOTES)));
		assertThat(HubSpotStubs.updatesOf(this.hubSpot, contactId)).hasSize(1);
		assertThat(this.rows.of(event.uploadId())).hasValueSatisfying((row) -> {
			assertThat(row.taskId()).isEqualTo("4242");
			assertThat(row.noteId()).isNotNull();
		});
	}

	@Test
	void contactWithoutOwnerGetsOnlyTheNote() {
		String contactId = aContactId();
		this.hubSpot.stubFor(HubSpotStubs.readOf(contactId).willReturn(HubSpotStubs.contacts(contactId, null)));
		ImageProcessedEvent event = anImageOfContact(contactId);

		send(event);

		this.queues.awaitStatusEvent(event.uploadId());
		this.queues.awaitImageEventsSettled();
		this.hubSpot.verify(exactly(0), postRequestedFor(urlPathEqualTo(TASKS)));
		this.hubSpot.verify(exactly(1), postRequestedFor(urlPathEqualTo(NOTES)));
	}

	@Test
	void crashBetweenTheTaskBatchAndTheNoteBatchCreatesOnlyTheNoteOnRedelivery() {
		String contactId = aContactId();
		ImageProcessedEvent event = anImageOfContact(contactId);
		// The note batch dies with the connection on the first try, as if the process were killed right after the
		// task batch: the message is not deleted, and comes back.
		this.hubSpot.stubFor(post(urlPathEqualTo(NOTES)).atPriority(5).inScenario("crash")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
			.willSetStateTo("restarted"));

		send(event);

		await().atMost(Duration.ofSeconds(30)).until(() -> this.rows.of(event.uploadId())
			.map((row) -> row.noteId() != null)
			.orElse(false));
		this.queues.awaitImageEventsSettled();
		this.hubSpot.verify(exactly(1), postRequestedFor(urlPathEqualTo(TASKS)));
		// The reset note batch may have been created: its marker was looked for before creating it again.
		this.hubSpot.verify(exactly(2), postRequestedFor(urlPathEqualTo(NOTES)));
		assertThat(this.hubSpot.findAll(postRequestedFor(urlPathEqualTo(NOTE_SEARCH))
			.withRequestBody(containing(marker(event.uploadId()))))).isNotEmpty();
		assertThat(HubSpotStubs.updatesOf(this.hubSpot, contactId)).hasSize(1);
		assertThat(this.queues.statusEventsFor(event.uploadId())).singleElement()
			.satisfies((status) -> assertThat(status.status()).isEqualTo(UploadStatus.COMPLETED));
		assertThat(this.queues.deadLetterCount()).isZero();
	}

	@Test
	void aBatchOfUploadsCreatesAllTasksInOneRequestAndAllNotesInAnother() {
		List<ImageProcessedEvent> events = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			events.add(anImageOfContact(aContactId()));
		}

		this.queues.sendRawImageEvents(events.stream().map(this.queues::toJson).toList());

		events.forEach((event) -> this.queues.awaitStatusEvent(event.uploadId()));
		this.queues.awaitImageEventsSettled();
		// The container receives with several polls at once; those that come back together make one batch.
		assertThat(this.hubSpot.findAll(postRequestedFor(urlPathEqualTo(TASKS)))).hasSizeBetween(1, 2);
		assertThat(this.hubSpot.findAll(postRequestedFor(urlPathEqualTo(NOTES)))).hasSizeBetween(1, 2);
		assertThat(this.hubSpot.findAll(postRequestedFor(urlPathEqualTo(HubSpotStubs.UPDATE)))).hasSizeBetween(1, 2);
		assertThat(this.hubSpot.findAll(postRequestedFor(urlPathEqualTo(HubSpotStubs.READ)))).hasSizeBetween(1, 2);
		events.forEach((event) -> assertThat(this.rows.of(event.uploadId())).hasValueSatisfying((row) -> {
			assertThat(row.taskId()).matches("[0-9]{11}");
			assertThat(row.noteId()).matches("[0-9]{11}");
		}));
		// Each upload got its own task and note: every id differs.
		assertThat(events.stream().map((event) -> this.rows.of(event.uploadId()).orElseThrow().taskId()).distinct())
			.hasSize(events.size());
	}

	private void send(ImageProcessedEvent event) {
		this.sqsTemplate.send(PipelineQueues.IMAGE_EVENTS, event);
	}

	private static final String NOTE_SEARCH = HubSpotStubs.NOTES.replace("batch/create", "search");

	private static String marker(UUID uploadId) {
		return OwnerNotifications.marker(uploadId);
	}

}
