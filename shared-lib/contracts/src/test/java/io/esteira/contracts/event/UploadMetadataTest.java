package io.esteira.contracts.event;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UploadMetadataTest {

	@Test
	void anObjectWithoutAnUploadIdGetsOneFromWhereItIs() {
		UUID id = UploadMetadata.nameBasedUploadId("esteira-uploads", "invoices/nightly/2026-11-22.csv");
		assertThat(id).isEqualTo(UUID.nameUUIDFromBytes(
				"esteira-uploads/invoices/nightly/2026-11-22.csv".getBytes(StandardCharsets.UTF_8)));
		assertThat(UploadMetadata.nameBasedUploadId("esteira-uploads", "invoices/nightly/2026-11-23.csv"))
			.isNotEqualTo(id);
	}

	@Test
	void ingestsKeysNameTheirUpload() {
		UUID id = UUID.randomUUID();
		assertThat(UploadMetadata.uploadIdInKey("images/2026/11/22/" + id + ".jpg")).contains(id);
		assertThat(UploadMetadata.uploadIdInKey("invoices/2026/11/22/" + id)).contains(id);
		assertThat(UploadMetadata.uploadIdInKey("invoices/nightly/2026-11-22.csv")).isEmpty();
		// UUID.fromString accepts short groups; only the canonical form is an upload id.
		assertThat(UploadMetadata.uploadIdInKey("images/1-2-3-4-5.jpg")).isEmpty();
	}

	@Test
	void theMetadataIdWinsWhateverTheCaseOfItsKey() {
		UUID id = UUID.randomUUID();
		String key = "images/2026/12/04/" + UUID.randomUUID() + ".jpg";

		assertThat(UploadMetadata.uploadId("esteira-uploads", key, Map.of("esteira-upload-id", id.toString())))
			.isEqualTo(id);
		assertThat(UploadMetadata.uploadId("esteira-uploads", key, Map.of("Esteira-Upload-Id", " " + id + " ")))
			.isEqualTo(id);
	}

	@Test
	void withoutUsableMetadataTheIdInIngestsKeyIsTheUpload() {
		UUID id = UUID.randomUUID();
		String key = "images/2026/12/04/" + id + ".jpg";

		assertThat(UploadMetadata.uploadId("esteira-uploads", key, Map.of())).isEqualTo(id);
		assertThat(UploadMetadata.uploadId("esteira-uploads", key, Map.of("esteira-upload-id", "not-a-uuid")))
			.isEqualTo(id);
		assertThat(UploadMetadata.uploadId("esteira-uploads", key, Map.of("esteira-upload-id", "1-2-3-4-5")))
			.isEqualTo(id);
	}

	@Test
	void aForeignObjectGetsItsNameBasedIdInEveryService() {
		String key = "images/from-the-erp/photo 1.jpg";

		assertThat(UploadMetadata.uploadId("esteira-uploads", key, Map.of()))
			.isEqualTo(UploadMetadata.nameBasedUploadId("esteira-uploads", key))
			.isEqualTo(UUID.nameUUIDFromBytes("esteira-uploads/images/from-the-erp/photo 1.jpg"
				.getBytes(StandardCharsets.UTF_8)));
		assertThat(UploadMetadata.uploadId("esteira-uploads", key, Map.of("other", "x")))
			.isEqualTo(UploadMetadata.nameBasedUploadId("esteira-uploads", key));
		// A foreign file named by a UUID is still foreign: only ingest's own layout names an upload.
		String uuidNamed = "invoices/erp-export/" + UUID.randomUUID() + ".json";
		assertThat(UploadMetadata.uploadId("esteira-uploads", uuidNamed, Map.of()))
			.isEqualTo(UploadMetadata.nameBasedUploadId("esteira-uploads", uuidNamed));
	}

	@Test
	void anObjectsTenantIsItsMetadataElseTheDefault() {
		assertThat(UploadMetadata.tenant(Map.of("Esteira-Tenant", " acme "))).isEqualTo("acme");
		assertThat(UploadMetadata.tenant(Map.of())).isEqualTo(Tenants.DEFAULT);
		assertThat(UploadMetadata.tenant(Map.of(UploadMetadata.TENANT, "Acme Corp"))).isEqualTo(Tenants.DEFAULT);
		assertThat(UploadMetadata.tenant(Map.of(UploadMetadata.TENANT, "a".repeat(64)))).isEqualTo(Tenants.DEFAULT);
	}

	@Test
	void tenantIdsAreShortLowerCaseNames() {
		assertThat(Tenants.isValid("acme-2")).isTrue();
		assertThat(Tenants.isValid("-acme")).isFalse();
		assertThat(Tenants.isValid("ACME")).isFalse();
		assertThat(Tenants.isValid(null)).isFalse();
		assertThat(Tenants.orDefault(" ")).isEqualTo(Tenants.DEFAULT);
		assertThat(Tenants.orDefault("acme")).isEqualTo("acme");
	}

}
