package io.esteira.crmsync.photo;


import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.awspring.cloud.sqs.operations.SqsTemplate;
import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.esteira.crmsync.photo.HubSpotStubs.CONTACT_SEARCH;
import static io.esteira.crmsync.photo.HubSpotStubs.READ;
import static io.esteira.crmsync.photo.HubSpotStubs.contactWithEmail;
import static io.esteira.crmsync.photo.HubSpotStubs.contactsFound;
import static io.esteira.crmsync.photo.ImageEvents.aContactId;
import static io.esteira.crmsync.photo.ImageEvents.anEmail;
import static io.esteira.crmsync.photo.ImageEvents.anImageOfCustomer;
import static org.assertj.core.api.Assertions.assertThat;

@CrmSyncTest
class ContactResolutionSyncTest {

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
	void uploadWithOnlyAnEmailIsSyncedToTheContactWithExactlyThatEmail() {
		String email = anEmail();
		String contactId = aContactId();
		this.hubSpot.stubFor(post(urlPathEqualTo(READ)).atPriority(5).withRequestBody(containing(email))
			.willReturn(contactWithEmail(contactId, "88", email)));
		ImageProcessedEvent event = anImageOfCustomer(email, null);

		send(event);

		UploadStatusEvent status = this.queues.awaitStatusEvent(event.uploadId());
		assertThat(status.outcome()).isEqualTo(StepOutcome.SUCCEEDED);
		assertThat(status.reason()).isEqualTo("photo link set on the contact (found by email)");
		this.queues.awaitImageEventsSettled();
		// One batch read by the unique email property, no search.
		this.hubSpot.verify(1, postRequestedFor(urlPathEqualTo(READ)).withRequestBody(equalToJson(
				"{\"idProperty\":\"email\",\"inputs\":[{\"id\":\"" + email + "\"}]}", true, true)));
		assertThat(this.hubSpot.findAll(postRequestedFor(urlPathEqualTo(CONTACT_SEARCH)))).isEmpty();
		assertThat(HubSpotStubs.updatesOf(this.hubSpot, contactId)).hasSize(1);
		this.hubSpot.verify(1, postRequestedFor(urlPathEqualTo(HubSpotStubs.TASKS))
			.withRequestBody(matchingJsonPath("$.inputs[0].properties.hubspot_owner_id", containing("88")))
			.withRequestBody(matchingJsonPath("$.inputs[0].associations[0].to.id", containing(contactId))));
		assertThat(this.rows.of(event.uploadId())).hasValueSatisfying((row) -> {
			assertThat(row.contactId()).isEqualTo(contactId);
			assertThat(row.resolvedBy()).isEqualTo("email");
			assertThat(row.ownerId()).isEqualTo("88");
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "(11) 98765-4321", "+55 11 98765 4321", "011 8765-4321", "0 15 11 98765-4321" })
	void uploadWithOnlyAPhoneFindsTheContactHoweverTheNumberIsWritten(String phone) {
		String contactId = aContactId();
		this.hubSpot.stubFor(post(urlPathEqualTo(CONTACT_SEARCH))
			.withRequestBody(containing("\"+5511987654321\""))
			.withRequestBody(containing("hs_searchable_calculated_mobile_number"))
			.willReturn(contactsFound(contactId, "88", "+5511987654321")));
		ImageProcessedEvent event = anImageOfCustomer(null, phone);

		send(event);

		assertThat(this.queues.awaitStatusEvent(event.uploadId()).reason()).endsWith("(found by phone)");
		this.queues.awaitImageEventsSettled();
		assertThat(HubSpotStubs.updatesOf(this.hubSpot, contactId)).hasSize(1);
		assertThat(this.rows.of(event.uploadId())).hasValueSatisfying((row) -> {
			assertThat(row.contactId()).isEqualTo(contactId);
			assertThat(row.resolvedBy()).isEqualTo("phone");
		});
	}

	@Test
	void severalPhonesOfOneBatchAreLookedUpInOneSearchAndMatchedBackPerNumber() {
		String first = aContactId();
		String second = aContactId();
		this.hubSpot.stubFor(post(urlPathEqualTo(CONTACT_SEARCH)).atPriority(5)
			.withRequestBody(containing("+5511987654321"))
			.withRequestBody(containing("+5521998765432"))
			.willReturn(contactsFound(first, "88", "+5511987654321", second, "89", "+5521998765432")));
		ImageProcessedEvent one = anImageOfCustomer(null, "(11) 98765-4321");
		ImageProcessedEvent other = anImageOfCustomer(null, "(21) 99876-5432");

		this.queues.sendRawImageEvents(List.of(this.queues.toJson(one), this.queues.toJson(other)));

		assertThat(this.queues.awaitStatusEvent(one.uploadId()).reason())
			.isEqualTo("photo link set on the contact (found by phone)");
		assertThat(this.queues.awaitStatusEvent(other.uploadId()).reason())
			.isEqualTo("photo link set on the contact (found by phone)");
		this.queues.awaitImageEventsSettled();
		assertThat(this.hubSpot.findAll(postRequestedFor(urlPathEqualTo(CONTACT_SEARCH)))).hasSize(1);
		assertThat(this.hubSpot.findAll(postRequestedFor(urlPathEqualTo(HubSpotStubs.UPDATE)))).singleElement()
			.satisfies((update) -> assertThat(update.getBodyAsString()).contains(first, second));
	}

	@Test
	void noContactWithTheEmailOrThePhoneNeedsReviewAndUpdatesNothing() {
		ImageProcessedEvent event = anImageOfCustomer(anEmail(), "(21) 99876-5432");

		send(event);

		UploadStatusEvent status = this.queues.awaitStatusEvent(event.uploadId());
		assertThat(status.outcome()).isEqualTo(StepOutcome.NEEDS_REVIEW);
		assertThat(status.status()).isEqualTo(UploadStatus.NEEDS_REVIEW);
		assertThat(status.reason()).isEqualTo("no CRM contact matches the upload's email or phone");
		this.queues.awaitImageEventsSettled();
		assertThat(this.hubSpot.findAll(postRequestedFor(urlPathEqualTo(READ)))).hasSize(1);
		assertThat(this.hubSpot.findAll(postRequestedFor(urlPathEqualTo(CONTACT_SEARCH)))).hasSize(1);
		assertThat(this.hubSpot.findAll(postRequestedFor(urlPathEqualTo(HubSpotStubs.UPDATE)))).isEmpty();
		assertThat(this.hubSpot.findAll(postRequestedFor(urlPathEqualTo(HubSpotStubs.TASKS)))).isEmpty();
	}

	@Test
	void severalContactsWithThePhoneNeedReviewWithTheCandidatesAndNoGuess() {
		this.hubSpot.stubFor(post(urlPathEqualTo(CONTACT_SEARCH)).withRequestBody(containing("+5511987654321"))
			.willReturn(contactsFound("701", "88", "+5511987654321", "702", "88", "+5511987654321", "703", "90",
					"+5511987654321")));
		ImageProcessedEvent event = anImageOfCustomer(null, "11 98765-4321");

		send(event);

		assertThat(this.queues.awaitStatusEvent(event.uploadId()).reason())
			.isEqualTo("3 CRM contacts match the upload's phone");
		this.queues.awaitImageEventsSettled();
		assertThat(this.rows.of(event.uploadId())).hasValueSatisfying((row) -> {
			assertThat(row.status()).isEqualTo("NEEDS_REVIEW");
			assertThat(row.candidates()).isEqualTo("701,702,703");
			assertThat(row.contactId()).isNull();
		});
		assertThat(this.hubSpot.findAll(postRequestedFor(urlPathEqualTo(HubSpotStubs.UPDATE)))).isEmpty();
	}

	@Test
	void lookupHubSpotRefusesNeedsReviewInsteadOfRetryingForever() {
		String email = anEmail();
		this.hubSpot.stubFor(post(urlPathEqualTo(READ)).atPriority(5).withRequestBody(containing(email))
			.willReturn(HubSpotStubs.json(400, "{\"status\":\"error\",\"message\":\"There was a problem with the "
					+ "request.\",\"category\":\"VALIDATION_ERROR\"}")));
		ImageProcessedEvent event = anImageOfCustomer(email, null);

		send(event);

		UploadStatusEvent status = this.queues.awaitStatusEvent(event.uploadId());
		assertThat(status.outcome()).isEqualTo(StepOutcome.NEEDS_REVIEW);
		assertThat(status.reason()).startsWith("HubSpot rejected the read of contacts by email (400)");
		this.queues.awaitImageEventsSettled();
		assertThat(this.queues.deadLetterCount()).isZero();
	}

	private void send(ImageProcessedEvent event) {
		this.sqsTemplate.send(PipelineQueues.IMAGE_EVENTS, event);
	}

}
