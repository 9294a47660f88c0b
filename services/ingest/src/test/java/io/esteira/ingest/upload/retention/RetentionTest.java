package io.esteira.ingest.upload.retention;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import io.esteira.contracts.event.Thumbnails;
import io.esteira.ingest.IngestApi;
import io.esteira.ingest.IngestIntegrationTest;
import io.esteira.ingest.TestFiles;
import io.esteira.ingest.TestObjects;
import io.esteira.testkit.EsteiraInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retention of originals (issue 17): the job deletes originals older than their kind's period, clears the contact
 * data on the row, keeps renditions and permalinks, and a retry is refused.
 */
@IngestIntegrationTest
class RetentionTest {

	private final EsteiraInfrastructure infra = EsteiraInfrastructure.shared();

	@LocalServerPort
	private int port;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private OriginalRetention retention;

	private IngestApi api;

	@BeforeEach
	void client() {
		this.api = new IngestApi(this.port);
	}

	@Test
	void anOldImagesOriginalIsDeletedAndItsContactDataClearedWhileItsRenditionsStay() {
		UUID old = this.api.uploaded(IngestApi.WRITER_KEY, "image", TestFiles.aPng(),
				Map.of("customerEmail", "old@example.com", "customerPhone", "+55 11 90000-0000", "customerDocument",
						"111.444.777-35"));
		UUID recent = this.api.uploaded(IngestApi.WRITER_KEY, "image", TestFiles.aPng(),
				Map.of("customerEmail", "recent@example.com"));
		UUID oldInvoice = this.api.uploaded(IngestApi.WRITER_KEY, "invoice", TestFiles.anInvoiceJson(),
				Map.of("customerEmail", "old@example.com", "customerDocument", "111.444.777-35"));
		createdDaysAgo(old, 181);
		createdDaysAgo(oldInvoice, 181);
		this.infra.s3Client()
			.putObject((put) -> put.bucket("esteira-output").key(Thumbnails.key(old, "256", "jpg")),
					RequestBody.fromBytes(TestFiles.aJpeg()));
		String oldKey = upload(old).path("objectKey").asString();

		assertThat(this.retention.expireOriginals()).isGreaterThanOrEqualTo(1);

		JsonNode expired = upload(old);
		assertThat(expired.path("originalDeletedAt").isNull()).isFalse();
		assertThat(expired.path("customerEmail").isNull()).isTrue();
		assertThat(expired.path("customerPhone").isNull()).isTrue();
		assertThat(expired.path("customerDocument").isNull()).isTrue();
		assertThat(expired.path("steps").findValuesAsString("step")).contains("original-expired");
		await().atMost(Duration.ofSeconds(20)).until(() -> !TestObjects.exists("esteira-uploads", oldKey));
		assertThat(TestObjects.exists("esteira-output", Thumbnails.key(old, "256", "jpg"))).as("renditions stay")
			.isTrue();
		assertThat(this.api.get(null, Thumbnails.permalinkPath(old, "256")).status()).isEqualTo(302);
		IngestApi.Response retry = this.api.post(IngestApi.WRITER_KEY, "/api/uploads/" + old + "/retry");
		assertThat(retry.status()).isEqualTo(409);
		assertThat(retry.body().path("type").asString()).endsWith("/original-expired");

		assertThat(upload(recent).path("customerEmail").asString()).isEqualTo("recent@example.com");
		assertThat(upload(recent).path("originalDeletedAt").isNull()).isTrue();
		assertThat(upload(oldInvoice).path("customerEmail").asString()).as("invoices are kept for 1830 days")
			.isEqualTo("old@example.com");
		assertThat(upload(oldInvoice).path("customerDocument").asString()).as("kept with the fiscal records")
			.isEqualTo("11144477735");
		assertThat(TestObjects.exists("esteira-uploads", upload(oldInvoice).path("objectKey").asString())).isTrue();

		assertThat(this.retention.expireOriginals()).as("nothing left to expire").isZero();
	}

	private void createdDaysAgo(UUID id, int days) {
		this.jdbc.sql("update uploads set created_at = :at where id = :id")
			.param("at", Instant.now().minus(Duration.ofDays(days)).atOffset(ZoneOffset.UTC))
			.param("id", id)
			.update();
	}

	private JsonNode upload(UUID id) {
		return this.api.get(IngestApi.ADMIN_KEY, "/api/uploads/" + id).body();
	}

}
