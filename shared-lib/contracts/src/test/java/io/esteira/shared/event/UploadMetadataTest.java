package io.esteira.shared.event;

import java.nio.charset.StandardCharsets;
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

}
