package io.esteira.ingest.upload.registration;

import java.util.Map;
import java.util.UUID;

import io.esteira.contracts.event.UploadMetadata;
import io.esteira.ingest.upload.Customer;
import io.esteira.ingest.upload.Upload;
import io.esteira.ingest.upload.UploadKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ObjectMetadataTest {

	@Test
	void printableAsciiIsKeptAsIs() {
		assertThat(ObjectMetadata.asciiSafe("ana+1@example.com #7 (x)")).isEqualTo("ana+1@example.com #7 (x)");
	}

	@Test
	void nonAsciiPercentAndControlCharactersArePercentEncoded() {
		assertThat(ObjectMetadata.asciiSafe("açaí")).isEqualTo("a%C3%A7a%C3%AD");
		assertThat(ObjectMetadata.asciiSafe("100%")).isEqualTo("100%25");
		assertThat(ObjectMetadata.asciiSafe("a\r\nX-Evil: 1")).isEqualTo("a%0D%0AX-Evil: 1");
	}

	@Test
	void absentValuesAreLeftOutAndIdKindAndTenantAreAlwaysThere() {
		UUID id = UUID.randomUUID();

		Map<String, String> metadata = ObjectMetadata.of(id, UploadKind.INVOICE, new Customer(null, null, "77", null),
				null, null);

		assertThat(metadata).containsOnly(Map.entry(UploadMetadata.UPLOAD_ID, id.toString()),
				Map.entry(UploadMetadata.KIND, "invoice"), Map.entry(UploadMetadata.TENANT, "default"),
				Map.entry(UploadMetadata.CRM_CONTACT_ID, "77"));
	}

	@Test
	void theTenantAndTheCustomerDocumentAreCarried() {
		Map<String, String> metadata = ObjectMetadata.of(UUID.randomUUID(), UploadKind.INVOICE,
				new Customer(null, null, null, null), "acme", "12345678000195");

		assertThat(metadata).containsEntry(UploadMetadata.TENANT, "acme")
			.containsEntry(UploadMetadata.CUSTOMER_DOCUMENT, "12345678000195");
	}

	@Test
	void valueTooLongOnceEncodedIsLeftOut() {
		String longRef = "ç".repeat(100);

		Map<String, String> metadata = ObjectMetadata.of(UUID.randomUUID(), UploadKind.IMAGE,
				new Customer("ana@example.com", null, null, longRef), "default", null);

		assertThat(metadata).containsKey(UploadMetadata.CUSTOMER_EMAIL).doesNotContainKey(UploadMetadata.EXTERNAL_REF);
	}

	@Test
	void displayNameDropsClientPathsAndControlCharacters() {
		assertThat(Upload.displayName("../../etc/passwd")).isEqualTo("passwd");
		assertThat(Upload.displayName("C:\\fotos\\eu.jpg")).isEqualTo("eu.jpg");
		assertThat(Upload.displayName("a\u0000b.png")).isEqualTo("ab.png");
		assertThat(Upload.displayName("dir/")).isNull();
	}

}
