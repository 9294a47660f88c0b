package io.esteira.crmsync.photo;

import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadErasedEvent;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.esteira.crmsync.photo.HubSpotStubs.NOTES;
import static io.esteira.crmsync.photo.HubSpotStubs.READ;
import static io.esteira.crmsync.photo.HubSpotStubs.UPDATE;
import static io.esteira.crmsync.photo.HubSpotStubs.json;
import static io.esteira.crmsync.photo.ImageEvents.aContactId;
import static io.esteira.crmsync.photo.ImageEvents.anImageOfContact;
import static io.esteira.crmsync.photo.ImageEvents.erasureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * LGPD erasure ({@link UploadErasedEvent} on the image-events queue): the photo property cleared on the contact when
 * it still shows the erased upload's photo, a note there, nothing of the customer kept, once; and a later image event
 * of the upload does nothing.
 */
@CrmSyncTest
class PhotoErasureTest {

	private static final String NOTE = "Photo removed at the customer's request (LGPD).";

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
	void erasureClearsThePhotoOnTheContactAndNotesItOnceEvenWhenRedelivered() {
		ImageProcessedEvent event = synced(anImageOfContact(aContactId()));
		showsOnTheContact(event, link(event));
		UploadErasedEvent erasure = erasureOf(event);

		send(erasure);

		UploadStatusEvent status = awaitErasureReport(event);
		assertThat(status.outcome()).isEqualTo(StepOutcome.SUCCEEDED);
		assertThat(status.status()).isNull();
		assertThat(status.reason()).isEqualTo("photo removed from the CRM contact");
		this.queues.awaitImageEventsSettled();
		assertThat(clearingsOf(event)).hasSize(1);
		assertThat(HubSpotStubs.requests(this.hubSpot, NOTES, "esteiraerased")).singleElement()
			.satisfies((note) -> assertThat(note.getBodyAsString()).contains(NOTE)
				.contains("\"id\":\"" + event.crmContactId() + "\"")
				.doesNotContain("ana@example.com", "+5511999990000"));
		assertThat(this.rows.of(event.uploadId())).hasValueSatisfying((row) -> {
			assertThat(row.status()).isEqualTo("ERASED");
			assertThat(row.reason()).isEqualTo("erased at the customer's request (LGPD)");
			assertThat(row.candidates()).isNull();
			assertThat(row.ownerId()).isNull();
		});
		int requests = this.hubSpot.findAll(anyRequestedFor(anyUrl())).size();

		send(erasure);
		this.queues.awaitImageEventsSettled();

		assertThat(this.hubSpot.findAll(anyRequestedFor(anyUrl()))).hasSize(requests);
		assertThat(this.queues.deadLetterCount()).isZero();
	}

	@Test
	void aNewerPhotoOnTheContactIsNotCleared() {
		ImageProcessedEvent event = synced(anImageOfContact(aContactId()));
		showsOnTheContact(event, "https://esteira.example/files/" + java.util.UUID.randomUUID() + "/256");

		send(erasureOf(event));

		UploadStatusEvent status = awaitErasureReport(event);
		assertThat(status.outcome()).isEqualTo(StepOutcome.SKIPPED);
		this.queues.awaitImageEventsSettled();
		assertThat(clearingsOf(event)).isEmpty();
		assertThat(this.rows.of(event.uploadId())).map(SyncRows.Row::status).contains("ERASED");
	}

	@Test
	void anImageEventAfterTheErasureOfItsUploadMakesNoCall() {
		ImageProcessedEvent event = anImageOfContact(aContactId());

		send(erasureOf(event));
		assertThat(awaitErasureReport(event).reason()).isEqualTo("nothing of the upload was on the CRM");
		this.queues.awaitImageEventsSettled();
		this.queues.sendRawImageEvent(this.queues.toJson(event));
		this.queues.awaitImageEventsSettled();

		assertThat(this.hubSpot.findAll(anyRequestedFor(anyUrl()))).isEmpty();
		assertThat(this.queues.statusEventsFor(event.uploadId())).hasSize(1);
		assertThat(this.rows.of(event.uploadId())).map(SyncRows.Row::status).contains("ERASED");
	}

	private ImageProcessedEvent synced(ImageProcessedEvent event) {
		this.queues.sendRawImageEvent(this.queues.toJson(event));
		assertThat(this.queues.awaitStatusEvent(event.uploadId()).status()).isEqualTo(UploadStatus.COMPLETED);
		this.queues.awaitImageEventsSettled();
		this.queues.allStatusEventsFor(event.uploadId());
		return event;
	}

	/** HubSpot's read of the contact's photo property answers {@code link}. */
	private void showsOnTheContact(ImageProcessedEvent event, String link) {
		this.hubSpot.stubFor(post(urlPathEqualTo(READ)).atPriority(4)
			.withRequestBody(containing("\"" + event.crmContactId() + "\""))
			.withRequestBody(containing("esteira_photo_url"))
			.willReturn(json(200, "{\"status\":\"COMPLETE\",\"results\":[{\"id\":\"" + event.crmContactId()
					+ "\",\"properties\":{\"esteira_photo_url\":\"" + link + "\"}}]}")));
	}

	/** Batch updates that set the contact's photo property to nothing. */
	private List<LoggedRequest> clearingsOf(ImageProcessedEvent event) {
		return this.hubSpot.findAll(postRequestedFor(urlPathEqualTo(UPDATE))
			.withRequestBody(containing("\"" + event.crmContactId() + "\""))
			.withRequestBody(containing("\"esteira_photo_url\":\"\"")));
	}

	private static String link(ImageProcessedEvent event) {
		return "https://esteira.example/files/" + event.uploadId() + "/256";
	}

	private void send(UploadErasedEvent erasure) {
		this.queues.sendRawImageEvent(this.queues.toJson(erasure));
	}

	/** The erasure's report: the first step event of the upload after those of its sync. */
	private UploadStatusEvent awaitErasureReport(ImageProcessedEvent event) {
		return await().until(() -> this.queues.statusEventsFor(event.uploadId()).stream()
			.filter((status) -> status.status() == null)
			.toList(), (reports) -> !reports.isEmpty()).getFirst();
	}

}
