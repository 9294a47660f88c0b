package io.esteira.invoice.imports;

import java.time.Instant;
import java.util.UUID;

import io.esteira.invoice.InvoiceServiceTest;
import io.esteira.invoice.TestApi;
import io.esteira.invoice.TestApiKeys;
import io.esteira.invoice.TestPipeline;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An import that failed while S3 could not even say whose object it was ({@link ImportOwner#UNKNOWN}): it belongs to
 * no tenant (only an admin sees it) until an import of the object reads its owner; an import whose owner was known
 * keeps it.
 */
@InvoiceServiceTest
class UnknownOwnerImportTest {

	private static final String KEY = "invoices/2026/03/file.json";

	private final InvoiceImportRepository imports;

	private final JdbcClient jdbc;

	private final TestApi api;

	UnknownOwnerImportTest(InvoiceImportRepository imports, JdbcClient jdbc, @LocalServerPort int port) {
		this.imports = imports;
		this.jdbc = jdbc;
		this.api = new TestApi(port);
	}

	@BeforeEach
	void cleanSlate() {
		this.jdbc.sql("TRUNCATE invoices, invoice_imports").update();
	}

	@Test
	void aFailureWithoutItsOwnerIsAnAdminsUntilTheObjectIsReadAgain() {
		UUID uploadId = UUID.randomUUID();

		assertThat(this.imports.fail(uploadId, ImportOwner.UNKNOWN, TestPipeline.UPLOADS_BUCKET, KEY, "e1",
				"S3 unavailable", Instant.now())).isTrue();

		assertThat(tenantOf(uploadId)).isEqualTo(ImportOwner.UNKNOWN_TENANT);
		for (String key : new String[] { TestApiKeys.READER, TestApiKeys.TENANT_A_READER, TestApiKeys.TENANT_B_READER,
				TestApiKeys.CUSTOMER_READER }) {
			assertThat(this.api.get("/api/imports/" + uploadId, key).status()).as(key).isEqualTo(404);
		}
		assertThat(this.api.get("/api/imports/" + uploadId, TestApiKeys.ADMIN).status()).isEqualTo(200);

		// A redrive reads the object: its tenant is recorded, and that tenant sees the import.
		assertThat(this.imports.claim(uploadId, new ImportOwner(TestApiKeys.TENANT_A, null),
				TestPipeline.UPLOADS_BUCKET, KEY, "e1", 2, Instant.now())).isTrue();
		assertThat(tenantOf(uploadId)).isEqualTo(TestApiKeys.TENANT_A);
		assertThat(this.api.get("/api/imports/" + uploadId, TestApiKeys.TENANT_A_READER).status()).isEqualTo(200);
		assertThat(this.api.get("/api/imports/" + uploadId, TestApiKeys.TENANT_B_READER).status()).isEqualTo(404);
	}

	@Test
	void aFailureWithoutItsOwnerKeepsTheOwnerAlreadyRecorded() {
		UUID uploadId = UUID.randomUUID();
		// The first run failed after reading the object (its owner known); the redrive's run fails without S3.
		assertThat(this.imports.fail(uploadId, new ImportOwner(TestApiKeys.TENANT_B, "52998224725"),
				TestPipeline.UPLOADS_BUCKET, KEY, "e1", "too many rejected rows", Instant.now())).isTrue();

		assertThat(this.imports.fail(uploadId, ImportOwner.UNKNOWN, TestPipeline.UPLOADS_BUCKET, KEY, "e1",
				"S3 unavailable", Instant.now())).isTrue();

		assertThat(tenantOf(uploadId)).isEqualTo(TestApiKeys.TENANT_B);
		assertThat(this.jdbc.sql("SELECT customer_document FROM invoice_imports WHERE upload_id = ?")
			.param(uploadId)
			.query(String.class)
			.single()).isEqualTo("52998224725");
		assertThat(this.api.get("/api/imports/" + uploadId, TestApiKeys.TENANT_B_READER).body().get("status")
			.asString()).isEqualTo("FAILED");
		assertThat(this.api.get("/api/imports/" + uploadId, TestApiKeys.TENANT_A_READER).status()).isEqualTo(404);
	}

	private String tenantOf(UUID uploadId) {
		return this.jdbc.sql("SELECT tenant FROM invoice_imports WHERE upload_id = ?")
			.param(uploadId)
			.query(String.class)
			.single();
	}

}
