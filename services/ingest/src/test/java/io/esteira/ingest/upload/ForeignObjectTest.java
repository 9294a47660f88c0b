package io.esteira.ingest.upload;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.esteira.ingest.IngestApi;
import io.esteira.ingest.IngestIntegrationTest;
import io.esteira.ingest.TestFiles;
import io.esteira.shared.event.StepOutcome;
import io.esteira.shared.event.UploadStatus;
import io.esteira.shared.event.UploadStatusEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.TestQueues;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IngestIntegrationTest
class ForeignObjectTest {

	private final EsteiraInfrastructure infra = EsteiraInfrastructure.shared();

	@LocalServerPort
	private int port;

	private IngestApi api;

	@BeforeEach
	void client() {
		this.api = new IngestApi(this.port);
	}

	@Test
	void nightlyExportDroppedInTheBucketIsRegisteredUnderTheServicesNameBasedId() {
		String key = "invoices/erp-export/" + UUID.randomUUID() + ".json";
		this.infra.s3Client()
			.putObject((put) -> put.bucket(EsteiraInfrastructure.NAMES.uploadsBucket())
				.key(key)
				.contentType("application/json"), RequestBody.fromBytes(TestFiles.anInvoiceJson()));
		UUID expected = UUID.nameUUIDFromBytes(
				(EsteiraInfrastructure.NAMES.uploadsBucket() + "/" + key).getBytes(StandardCharsets.UTF_8));

		IngestApi.Response first = this.api.postJson(IngestApi.ADMIN_KEY, "/api/admin/objects", Map.of("key", key));
		IngestApi.Response again = this.api.postJson(IngestApi.ADMIN_KEY, "/api/admin/objects", Map.of("key", key));

		assertThat(first.status()).as(first.text()).isEqualTo(201);
		assertThat(first.body().path("id").asString()).isEqualTo(expected.toString());
		assertThat(again.status()).isEqualTo(200);
		assertThat(again.body().path("created").asBoolean()).isFalse();
		JsonNode upload = this.api.get(IngestApi.READER_KEY, "/api/uploads/" + expected).body();
		assertThat(upload.path("kind").asString()).isEqualTo("invoice");
		assertThat(upload.path("sizeBytes").asLong()).isEqualTo(TestFiles.anInvoiceJson().length);
		assertThat(upload.path("steps").get(0).path("step").asString()).isEqualTo("registered");

		// what the invoice service reports about it now lands on the timeline
		new TestQueues(this.infra).send("esteira-status",
				JsonMapper.builder().build().writeValueAsString(new UploadStatusEvent(UUID.randomUUID(), expected,
						"invoice", "invoice-import", StepOutcome.SUCCEEDED, UploadStatus.COMPLETED, "1 invoice", 1,
						Instant.now())));
		await().untilAsserted(() -> assertThat(this.api.get(IngestApi.READER_KEY, "/api/uploads/" + expected)
			.body()
			.path("status")
			.asString()).isEqualTo("COMPLETED"));
	}

	@Test
	void anUploadMadeThroughIngestIsAlreadyKnown() {
		IngestApi.Response accepted = this.api.upload(IngestApi.WRITER_KEY, "image", "p.png", TestFiles.aPng(),
				Map.of());
		String id = accepted.body().path("id").asString();
		String key = this.api.get(IngestApi.READER_KEY, "/api/uploads/" + id).body().path("objectKey").asString();

		IngestApi.Response registered = this.api.postJson(IngestApi.ADMIN_KEY, "/api/admin/objects",
				Map.of("key", key));

		assertThat(registered.status()).isEqualTo(200);
		assertThat(registered.body().path("id").asString()).isEqualTo(id);
	}

	@Test
	void missingObjectsAndOtherPrefixesAreInvalid() {
		assertThat(this.api.postJson(IngestApi.ADMIN_KEY, "/api/admin/objects",
				Map.of("key", "invoices/" + UUID.randomUUID() + ".json")).status()).isEqualTo(400);
		assertThat(this.api.postJson(IngestApi.ADMIN_KEY, "/api/admin/objects", Map.of("key", "elsewhere/x.json"))
			.status()).isEqualTo(400);
		assertThat(this.api.postJson(IngestApi.WRITER_KEY, "/api/admin/objects", Map.of("key", "images/x.png"))
			.status()).isEqualTo(403);
	}

}
