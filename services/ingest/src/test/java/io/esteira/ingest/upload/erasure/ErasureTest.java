package io.esteira.ingest.upload.erasure;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.Thumbnails;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.ingest.IngestApi;
import io.esteira.ingest.IngestIntegrationTest;
import io.esteira.ingest.TestFiles;
import io.esteira.ingest.TestObjects;
import io.esteira.ingest.TestTokens;
import io.esteira.testkit.EsteiraInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.Message;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * LGPD erasure (issue 17): {@code DELETE /api/uploads/{id}} and {@code DELETE /api/customers}, against the test
 * kit's S3Proxy and ElasticMQ.
 */
@IngestIntegrationTest
class ErasureTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String UPLOADS = "esteira-uploads";

	private static final String OUTPUT = "esteira-output";

	private static final Map<String, String> CUSTOMER = Map.of("customerEmail", "ana.lgpd@example.com",
			"customerPhone", "+55 11 97777-6666", "crmContactId", "9901", "externalRef", "pedido-lgpd",
			"customerDocument", "111.444.777-35");

	private final EsteiraInfrastructure infra = EsteiraInfrastructure.shared();

	@LocalServerPort
	private int port;

	private IngestApi api;

	@BeforeEach
	void client() {
		this.api = new IngestApi(this.port);
	}

	@Test
	void erasingAnImageDeletesItsObjectsTellsCrmSyncAndLeavesATombstone() {
		UUID id = this.api.uploaded(IngestApi.ERASER_KEY, "image", TestFiles.aPng(), CUSTOMER);
		String originalKey = objectKeyOf(id);
		renditions(id, "64", "256");
		// what CRM sync reported about the contact is on the timeline
		report(new UploadStatusEvent(UUID.randomUUID(), id, "crm-sync", "crm-sync", StepOutcome.SUCCEEDED,
				UploadStatus.COMPLETED, "contact 9901 (ana.lgpd@example.com) updated", 1, Instant.now()));
		await().atMost(Duration.ofSeconds(20)).until(() -> stepsNamed(id, "crm-sync") == 1);

		assertThat(this.api.delete(IngestApi.WRITER_KEY, "/api/uploads/" + id).status())
			.as("uploads:delete is needed").isEqualTo(403);
		assertThat(this.api.delete(IngestApi.BETA_KEY, "/api/uploads/" + id).status())
			.as("another tenant's upload").isEqualTo(404);

		IngestApi.Response erased = this.api.delete(IngestApi.ERASER_KEY, "/api/uploads/" + id);

		assertThat(erased.status()).as(erased.text()).isEqualTo(200);
		assertThat(erased.body().path("uploadId").asString()).isEqualTo(id.toString());
		assertThat(erased.body().path("kind").asString()).isEqualTo("image");
		assertThat(strings(erased.body().path("erased"))).contains("original", "renditions", "customerEmail",
				"customerPhone", "crmContactId", "customerDocument");
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(TestObjects.exists(UPLOADS, originalKey)).as("original").isFalse();
			assertThat(TestObjects.exists(OUTPUT, Thumbnails.key(id, "64", "jpg"))).as("rendition 64").isFalse();
			assertThat(TestObjects.exists(OUTPUT, Thumbnails.key(id, "256", "jpg"))).as("rendition 256").isFalse();
		});
		IngestApi.Response permalink = this.api.get(null, Thumbnails.permalinkPath(id, "256"));
		assertThat(permalink.status()).isEqualTo(410);
		assertThat(permalink.body().path("type").asString()).endsWith("/upload-erased");

		IngestApi.Response tombstone = this.api.get(IngestApi.ERASER_KEY, "/api/uploads/" + id);
		assertThat(tombstone.status()).isEqualTo(200);
		assertThat(tombstone.body().path("erasedAt").isMissingNode()
				|| tombstone.body().path("erasedAt").isNull()).isFalse();
		assertThat(tombstone.text()).doesNotContain("ana.lgpd", "97777", "9901", "pedido-lgpd", "11144477735");
		List<String> steps = new ArrayList<>();
		tombstone.body().path("steps").forEach((step) -> steps.add(step.path("step").asString()));
		assertThat(steps).contains("received", "erased");

		JsonNode event = awaitErasureEvent(id);
		assertThat(event.path("type").asString()).isEqualTo("upload-erased");
		assertThat(event.path("tenant").asString()).isEqualTo("default");

		IngestApi.Response retry = this.api.post(IngestApi.ERASER_KEY, "/api/uploads/" + id + "/retry");
		assertThat(retry.status()).isEqualTo(409);
		assertThat(retry.body().path("type").asString()).endsWith("/upload-erased");

		IngestApi.Response again = this.api.delete(IngestApi.ERASER_KEY, "/api/uploads/" + id);
		assertThat(again.status()).isEqualTo(200);
		assertThat(again.body()).isEqualTo(erased.body());
		assertThat(stepsNamed(id, "erased")).as("erasing again changes nothing").isEqualTo(1);
	}

	@Test
	void aLateReportAboutAnErasedUploadDeletesItsRenditionsAgain() {
		UUID id = this.api.uploaded(IngestApi.ERASER_KEY, "image", TestFiles.aPng(), Map.of());
		assertThat(this.api.delete(IngestApi.ERASER_KEY, "/api/uploads/" + id).status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(20)).until(() -> !TestObjects.exists(UPLOADS, objectKeyOf(id)));

		// image-processing was still at work: it writes a rendition, then reports.
		renditions(id, "256");
		report(new UploadStatusEvent(UUID.randomUUID(), id, "image-processing", "thumbnail", StepOutcome.SUCCEEDED,
				UploadStatus.PROCESSING, null, 1, Instant.now()));

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(TestObjects.exists(OUTPUT, Thumbnails.key(id, "256", "jpg"))).isFalse());
	}

	@Test
	void erasingAnInvoiceKeepsTheFiscalRecordsAndSaysSo() {
		UUID id = this.api.uploaded(IngestApi.ERASER_KEY, "invoice", TestFiles.anInvoiceJson(), CUSTOMER);
		String key = objectKeyOf(id);

		IngestApi.Response erased = this.api.delete(IngestApi.ERASER_KEY, "/api/uploads/" + id);

		assertThat(erased.status()).as(erased.text()).isEqualTo(200);
		assertThat(erased.body().path("kind").asString()).isEqualTo("invoice");
		assertThat(strings(erased.body().path("kept"))).contains("original", "invoices");
		assertThat(strings(erased.body().path("erased"))).containsExactlyInAnyOrder("customerEmail",
				"customerPhone", "crmContactId");
		assertThat(erased.body().path("reason").asString()).contains("NF-e").contains("5 years");
		JsonNode upload = this.api.get(IngestApi.ERASER_KEY, "/api/uploads/" + id).body();
		assertThat(upload.path("customerEmail").isNull()).isTrue();
		assertThat(upload.path("customerPhone").isNull()).isTrue();
		assertThat(upload.path("customerDocument").asString()).isEqualTo("11144477735");
		assertThat(upload.path("erasedAt").isNull()).isTrue();
		assertThat(TestObjects.exists(UPLOADS, key)).as("the invoice's original is kept").isTrue();
		assertThat(this.api.get(null, Thumbnails.permalinkPath(id, "256")).status()).isNotEqualTo(410);
	}

	@Test
	void erasingACustomerErasesItsImagesInTheCallersTenantOnly() {
		UUID byEmail = this.api.uploaded(IngestApi.ERASER_KEY, "image", TestFiles.aPng(),
				Map.of("customerEmail", "Bia.Lgpd@Example.com"));
		UUID byEmailToo = this.api.uploaded(IngestApi.ERASER_KEY, "image", TestFiles.aJpeg(),
				Map.of("customerEmail", "bia.lgpd@example.com", "customerPhone", "+55 (21) 95555-4444"));
		UUID invoice = this.api.uploaded(IngestApi.ERASER_KEY, "invoice", TestFiles.anInvoiceJson(),
				Map.of("customerEmail", "bia.lgpd@example.com"));
		UUID otherTenant = this.api.uploaded(IngestApi.BETA_KEY, "image", TestFiles.aPng(),
				Map.of("customerEmail", "bia.lgpd@example.com"));
		UUID byPhone = this.api.uploaded(IngestApi.ERASER_KEY, "image", TestFiles.aPng(),
				Map.of("customerPhone", "+55 21 95555-4444"));

		IngestApi.Response erased = this.api.delete(IngestApi.ERASER_KEY, "/api/customers?email=BIA.LGPD@example.com");

		assertThat(erased.status()).as(erased.text()).isEqualTo(200);
		assertThat(strings(erased.body().path("erased"))).containsExactlyInAnyOrder(byEmail.toString(),
				byEmailToo.toString());
		assertThat(erased.body().path("erasedCount").asInt()).isEqualTo(2);
		assertThat(strings(erased.body().path("kept"))).containsExactly(invoice.toString());
		assertThat(erased.body().path("remaining").asBoolean()).isFalse();
		assertThat(this.api.get(IngestApi.BETA_KEY, "/api/uploads/" + otherTenant).body().path("customerEmail")
			.asString()).as("another tenant's upload of the same e-mail").isEqualTo("bia.lgpd@example.com");

		IngestApi.Response byDigits = this.api.delete(IngestApi.ERASER_KEY, "/api/customers?phone=5521955554444");
		assertThat(strings(byDigits.body().path("erased"))).containsExactly(byPhone.toString());

		assertThat(this.api.delete(IngestApi.ERASER_KEY, "/api/customers?email=a@b.c&phone=123").status())
			.isEqualTo(400);
		assertThat(this.api.delete(IngestApi.ERASER_KEY, "/api/customers").status()).isEqualTo(400);
		assertThat(this.api.delete(IngestApi.WRITER_KEY, "/api/customers?email=a@b.c").status()).isEqualTo(403);
	}

	@Test
	void anAdminErasesACustomerInTheTenantItNamesAndNoOneElseCan() {
		UUID theirs = this.api.uploaded(IngestApi.BETA_KEY, "image", TestFiles.aPng(),
				Map.of("customerEmail", "caio.lgpd@example.com"));
		UUID mine = this.api.uploaded(IngestApi.ERASER_KEY, "image", TestFiles.aPng(),
				Map.of("customerEmail", "caio.lgpd@example.com"));
		String operator = TestTokens.token("dpo", null, null, "admin", "uploads:delete", "uploads:read");

		IngestApi.Response notMine = this.api.delete(IngestApi.ERASER_KEY,
				"/api/customers?email=caio.lgpd@example.com&tenant=beta");
		assertThat(notMine.status()).isEqualTo(200);
		assertThat(notMine.body().path("erasedCount").asInt()).isZero();
		assertThat(this.api.get(IngestApi.BETA_KEY, "/api/uploads/" + theirs).body().path("erasedAt").isNull())
			.as("beta's upload, untouched by another tenant's key").isTrue();
		assertThat(this.api.delete(operator, "/api/customers?email=caio.lgpd@example.com&tenant=Not_A_Tenant")
			.status()).isEqualTo(400);

		IngestApi.Response erased = this.api.delete(operator, "/api/customers?email=caio.lgpd@example.com&tenant=beta");

		assertThat(erased.status()).as(erased.text()).isEqualTo(200);
		assertThat(strings(erased.body().path("erased"))).containsExactly(theirs.toString());
		assertThat(this.api.get(IngestApi.ERASER_KEY, "/api/uploads/" + mine).body().path("erasedAt").isNull())
			.as("the same e-mail in the default tenant stays").isTrue();
	}

	@Test
	void aCustomerWideErasureIsBoundedAndSaysWhenMoreRemain() {
		// esteira.ingest.erasure.max-per-request=3 in the test context
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			ids.add(this.api.uploaded(IngestApi.ERASER_KEY, "image", TestFiles.aPng(),
					Map.of("customerPhone", "+55 31 94444-0000")).toString());
		}

		IngestApi.Response first = this.api.delete(IngestApi.ERASER_KEY, "/api/customers?phone=55-31-94444-0000");
		IngestApi.Response second = this.api.delete(IngestApi.ERASER_KEY, "/api/customers?phone=5531944440000");

		assertThat(first.body().path("erasedCount").asInt()).as(first.text()).isEqualTo(3);
		assertThat(first.body().path("remaining").asBoolean()).isTrue();
		assertThat(second.body().path("erasedCount").asInt()).isEqualTo(1);
		assertThat(second.body().path("remaining").asBoolean()).isFalse();
		List<String> erased = new ArrayList<>(strings(first.body().path("erased")));
		erased.addAll(strings(second.body().path("erased")));
		assertThat(erased).containsExactlyInAnyOrderElementsOf(ids);
	}

	private void report(UploadStatusEvent event) {
		this.infra.sqsClient()
			.sendMessage((send) -> send.queueUrl(this.infra.queueUrl("esteira-status"))
				.messageBody(JSON.writeValueAsString(event)));
	}

	private String objectKeyOf(UUID id) {
		return this.api.get(IngestApi.ADMIN_KEY, "/api/uploads/" + id).body().path("objectKey").asString();
	}

	private int stepsNamed(UUID id, String name) {
		int count = 0;
		for (JsonNode step : this.api.get(IngestApi.ADMIN_KEY, "/api/uploads/" + id).body().path("steps")) {
			count += name.equals(step.path("step").asString()) ? 1 : 0;
		}
		return count;
	}

	private void renditions(UUID id, String... sizes) {
		for (String size : sizes) {
			this.infra.s3Client()
				.putObject((put) -> put.bucket(OUTPUT).key(Thumbnails.key(id, size, "jpg")),
						RequestBody.fromBytes(TestFiles.aJpeg()));
		}
	}

	/** Reads the image-events queue until the erasure of {@code id} is there (deleting what it reads). */
	private JsonNode awaitErasureEvent(UUID id) {
		String url = this.infra.queueUrl("esteira-image-events");
		List<JsonNode> seen = new ArrayList<>();
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			for (Message message : this.infra.sqsClient()
				.receiveMessage((receive) -> receive.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
				.messages()) {
				seen.add(JSON.readTree(message.body()));
				this.infra.sqsClient()
					.deleteMessage((delete) -> delete.queueUrl(url).receiptHandle(message.receiptHandle()));
			}
			return seen.stream().anyMatch((event) -> id.toString().equals(event.path("uploadId").asString()));
		});
		return seen.stream().filter((event) -> id.toString().equals(event.path("uploadId").asString())).findFirst()
			.orElseThrow();
	}

	private static List<String> strings(JsonNode array) {
		List<String> values = new ArrayList<>();
		array.forEach((value) -> values.add(value.asString()));
		return values;
	}

}
