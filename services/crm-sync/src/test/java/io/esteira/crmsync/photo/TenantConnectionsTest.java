package io.esteira.crmsync.photo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.esteira.crmsync.photo.HubSpotStubs.NOTES;
import static io.esteira.crmsync.photo.HubSpotStubs.READ;
import static io.esteira.crmsync.photo.HubSpotStubs.TASKS;
import static io.esteira.crmsync.photo.HubSpotStubs.UPDATE;
import static io.esteira.crmsync.photo.HubSpotStubs.contacts;
import static io.esteira.crmsync.photo.HubSpotStubs.json;
import static io.esteira.crmsync.photo.ImageEvents.aContactId;
import static io.esteira.crmsync.photo.ImageEvents.anImageOfContact;
import static io.esteira.crmsync.photo.ImageEvents.ofTenant;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * CRM connections per tenant ({@code esteira.crm.tenants.*}, set in {@link CrmSyncTest}): each tenant's uploads reach
 * its own HubSpot account with its own key, batches never mix tenants, and a tenant without a connection needs
 * review without any call.
 */
@CrmSyncTest
@ExtendWith(OutputCaptureExtension.class)
class TenantConnectionsTest {

	private static final String ACME_TOKEN = "pat-na1-acme-test-token";

	private final EsteiraInfrastructure infrastructure = EsteiraInfrastructure.shared();

	private final WireMockServer hubSpot = this.infrastructure.hubSpot().server();

	@Autowired
	private JdbcClient jdbc;

	private PipelineQueues queues;

	@BeforeAll
	static void mountAcmesKey() throws IOException {
		Path file = Path.of(CrmSyncTest.ACME_TOKEN_FILE.replace("${java.io.tmpdir}",
				System.getProperty("java.io.tmpdir")));
		Files.createDirectories(file.getParent());
		Files.writeString(file, ACME_TOKEN + "\n");
	}

	@BeforeEach
	void cleanSlate() {
		this.queues = PipelineQueues.cleared(this.infrastructure);
		stubGlobex();
	}

	@Test
	void eachTenantsUploadReachesItsOwnAccountWithItsOwnKeyAndBatchesNeverMixTenants() {
		ImageProcessedEvent ours = anImageOfContact(aContactId());
		ImageProcessedEvent acme = ofTenant(anImageOfContact(aContactId()), "acme");
		ImageProcessedEvent globex = ofTenant(anImageOfContact(aContactId()), "globex");

		this.queues.sendRawImageEvents(List.of(this.queues.toJson(ours), this.queues.toJson(acme),
				this.queues.toJson(globex)));

		for (ImageProcessedEvent event : List.of(ours, acme, globex)) {
			assertThat(this.queues.awaitStatusEvent(event.uploadId()).status()).isEqualTo(UploadStatus.COMPLETED);
		}
		this.queues.awaitImageEventsSettled();
		assertOnlyItsOwn(ours, "", CrmSyncTest.TOKEN, acme, globex);
		assertOnlyItsOwn(acme, "", ACME_TOKEN, ours, globex);
		assertOnlyItsOwn(globex, CrmSyncTest.GLOBEX_PATH, CrmSyncTest.GLOBEX_TOKEN, ours, acme);
		assertThat(this.jdbc.sql("select tenant from crm_sync.crm_syncs where upload_id = ?")
			.param(acme.uploadId())
			.query(String.class)
			.single()).isEqualTo("acme");
	}

	@Test
	void aContactWithoutOwnerGetsItsTaskForTheTenantsDefaultOwner() {
		String contactId = aContactId();
		this.hubSpot.stubFor(HubSpotStubs.readOf(contactId).willReturn(contacts(contactId, null)));
		ImageProcessedEvent acme = ofTenant(anImageOfContact(contactId), "acme");

		this.queues.sendRawImageEvent(this.queues.toJson(acme));

		assertThat(this.queues.awaitStatusEvent(acme.uploadId()).status()).isEqualTo(UploadStatus.COMPLETED);
		this.queues.awaitImageEventsSettled();
		assertThat(HubSpotStubs.requests(this.hubSpot, TASKS, OwnerNotifications.marker(acme.uploadId())))
			.singleElement()
			.satisfies((task) -> assertThat(task.getBodyAsString())
				.contains("\"hubspot_owner_id\":\"" + CrmSyncTest.ACME_DEFAULT_OWNER + "\""));
	}

	@Test
	void uploadOfATenantWithoutConnectionNeedsReviewWithoutAnyCall() {
		ImageProcessedEvent initech = ofTenant(anImageOfContact(aContactId()), "initech");

		this.queues.sendRawImageEvent(this.queues.toJson(initech));

		UploadStatusEvent status = this.queues.awaitStatusEvent(initech.uploadId());
		assertThat(status.outcome()).isEqualTo(StepOutcome.NEEDS_REVIEW);
		assertThat(status.reason()).isEqualTo("no CRM connection for tenant initech");
		this.queues.awaitImageEventsSettled();
		assertThat(this.hubSpot.findAll(anyRequestedFor(anyUrl()))).isEmpty();
		assertThat(this.queues.deadLetterCount()).isZero();
	}

	@Test
	void aKeyThatCannotBeReadIsRetriedAsAFailedAttemptAndNeverSentWithout(CapturedOutput output) {
		ImageProcessedEvent hooli = ofTenant(anImageOfContact(aContactId()), "hooli");

		this.queues.sendRawImageEvent(this.queues.toJson(hooli));

		UploadStatusEvent status = this.queues.awaitStatusEvent(hooli.uploadId());
		assertThat(status.outcome()).isEqualTo(StepOutcome.FAILED);
		assertThat(status.attempt()).isEqualTo(3);
		assertThat(status.reason()).contains("the secret of esteira.crm.tenants.hooli.token could not be read: file ")
			.contains("no-such-key cannot be read");
		assertThat(this.hubSpot.findAll(anyRequestedFor(anyUrl()))).isEmpty();
		assertThat(output.getOut()).contains("the secret of esteira.crm.tenants.hooli.token could not be read");
	}

	/** Every request naming the upload's contact went to its tenant's account with its key, and named no other's. */
	private void assertOnlyItsOwn(ImageProcessedEvent event, String prefix, String token,
			ImageProcessedEvent... others) {
		String contact = "\"" + event.crmContactId() + "\"";
		List<LoggedRequest> requests = this.hubSpot.findAll(postRequestedFor(anyUrl())
			.withRequestBody(containing(contact)));
		assertThat(requests).extracting(LoggedRequest::getUrl)
			.contains(prefix + READ, prefix + UPDATE, prefix + TASKS, prefix + NOTES)
			.allSatisfy((url) -> assertThat(url).startsWith(prefix + "/crm/"));
		assertThat(requests).allSatisfy((request) -> {
			assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + token);
			for (ImageProcessedEvent other : others) {
				assertThat(request.getBodyAsString()).doesNotContain(other.crmContactId());
			}
		});
	}

	/** Globex's account answers under another base URL: every contact exists, writes succeed. */
	private void stubGlobex() {
		String objects = CrmSyncTest.GLOBEX_PATH + "/crm/objects/[0-9]{4}-[0-9]{2}/";
		String inputs = "{{#each (jsonPath request.body '$.inputs') as |input|}}";
		String next = "{{#unless @last}},{{/unless}}{{/each}}";
		this.hubSpot.stubFor(post(urlPathMatching(objects + "contacts/batch/(read|update)")).atPriority(5)
			.willReturn(json(200, "{\"status\":\"COMPLETE\",\"results\":[" + inputs + "{\"id\":\"{{input.id}}\","
					+ "\"properties\":{\"hubspot_owner_id\":\"55\"}}" + next + "]}")));
		this.hubSpot.stubFor(post(urlPathMatching(objects + "(tasks|notes)/batch/create")).atPriority(5)
			.willReturn(json(201, "{\"status\":\"COMPLETE\",\"results\":[" + inputs
					+ "{\"id\":\"{{randomValue length=9 type='NUMERIC'}}\","
					+ "\"objectWriteTraceId\":\"{{input.objectWriteTraceId}}\"}" + next + "]}")));
	}

}
