package io.esteira.ingest.upload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.esteira.contracts.event.Thumbnails;
import io.esteira.contracts.event.UploadMetadata;
import io.esteira.ingest.IngestApi;
import io.esteira.ingest.IngestIntegrationTest;
import io.esteira.ingest.TestFiles;
import io.esteira.ingest.TestTokens;
import io.esteira.testkit.EsteiraInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tenants (issue 17): another tenant's upload is answered exactly like a missing one, to API keys and bearer tokens
 * alike, on every read, list, retry and permalink; an admin sees every tenant; a customer-scoped caller sees its
 * customer's uploads only and cannot upload; CRM fields need {@code crm:write}.
 */
@IngestIntegrationTest
class TenantIsolationTest {

	private static final String OTHER_DOCUMENT = "987.654.321-00";

	private final EsteiraInfrastructure infra = EsteiraInfrastructure.shared();

	@LocalServerPort
	private int port;

	private IngestApi api;

	/** Tenant default's bearer token, like {@link IngestApi#WRITER_KEY}. */
	private String defaultToken;

	@BeforeEach
	void client() {
		this.api = new IngestApi(this.port);
		this.defaultToken = TestTokens.token("default-client", null, null, "uploads:read", "uploads:write");
	}

	@Test
	void anotherTenantsUploadIsAnsweredLikeAMissingOneToKeysAndTokens() {
		UUID mine = this.api.uploaded(IngestApi.WRITER_KEY, "image", TestFiles.aPng(), Map.of());
		UUID theirs = this.api.uploaded(IngestApi.BETA_KEY, "image", TestFiles.aPng(),
				Map.of("customerEmail", "bia@example.com"));
		UUID missing = UUID.randomUUID();

		for (String caller : List.of(IngestApi.WRITER_KEY, this.defaultToken)) {
			IngestApi.Response other = this.api.get(caller, "/api/uploads/" + theirs);
			IngestApi.Response none = this.api.get(caller, "/api/uploads/" + missing);
			assertThat(other.status()).isEqualTo(404);
			assertSameProblem(other, theirs, none, missing);
			assertThat(other.text()).doesNotContain("bia@example.com");
			assertThat(this.api.get(caller, "/api/uploads/" + mine).status()).isEqualTo(200);

			IngestApi.Response retryOther = this.api.post(caller, "/api/uploads/" + theirs + "/retry");
			IngestApi.Response retryNone = this.api.post(caller, "/api/uploads/" + missing + "/retry");
			assertThat(retryOther.status()).isEqualTo(404);
			assertSameProblem(retryOther, theirs, retryNone, missing);

			List<String> listed = listedIds(caller, "/api/uploads?limit=100");
			assertThat(listed).contains(mine.toString()).doesNotContain(theirs.toString());
			assertThat(listedTenants(caller, "/api/uploads?limit=100")).containsOnly("default");
		}
		// Its own tenant sees it: the 404 above came from the tenant, not from the upload.
		IngestApi.Response own = this.api.get(IngestApi.BETA_KEY, "/api/uploads/" + theirs);
		assertThat(own.status()).isEqualTo(200);
		assertThat(own.body().path("tenant").asString()).isEqualTo("beta");
		assertThat(this.api.post(IngestApi.BETA_KEY, "/api/uploads/" + theirs + "/retry").status()).isEqualTo(409);
		assertThat(listedIds(IngestApi.BETA_KEY, "/api/uploads?limit=100")).contains(theirs.toString())
			.doesNotContain(mine.toString());
	}

	@Test
	void anAdminSeesEveryTenantAndMayFilterByOne() {
		UUID mine = this.api.uploaded(IngestApi.WRITER_KEY, "image", TestFiles.aPng(), Map.of());
		UUID theirs = this.api.uploaded(IngestApi.BETA_KEY, "image", TestFiles.aPng(), Map.of());
		String adminToken = TestTokens.token("operator", "another", null, "admin", "uploads:read");

		for (String admin : List.of(IngestApi.ADMIN_KEY, adminToken)) {
			assertThat(this.api.get(admin, "/api/uploads/" + theirs).status()).isEqualTo(200);
			assertThat(listedIds(admin, "/api/uploads?limit=100")).contains(mine.toString(), theirs.toString());
			assertThat(listedIds(admin, "/api/uploads?limit=100&tenant=beta")).contains(theirs.toString())
				.doesNotContain(mine.toString());
		}
	}

	@Test
	void theUploadsObjectCarriesItsTenantAndCustomerDocument() {
		UUID id = this.api.uploaded(IngestApi.BETA_KEY, "invoice", TestFiles.anInvoiceJson(),
				Map.of("customerDocument", IngestApi.BETA_CUSTOMER_DOCUMENT));
		JsonNode upload = this.api.get(IngestApi.BETA_KEY, "/api/uploads/" + id).body();
		assertThat(upload.path("customerDocument").asString()).isEqualTo("12345678000195");

		Map<String, String> metadata = this.infra.s3Client()
			.headObject((head) -> head.bucket("esteira-uploads").key(upload.path("objectKey").asString()))
			.metadata();
		assertThat(metadata).containsEntry(UploadMetadata.TENANT, "beta")
			.containsEntry(UploadMetadata.CUSTOMER_DOCUMENT, "12345678000195");
	}

	@Test
	void aPresignedUploadSignsItsTenant() {
		IngestApi.Response presigned = this.api.postJson(IngestApi.BETA_KEY, "/api/uploads/presign",
				Map.of("kind", "image", "contentType", "image/png", "sizeBytes", 100));
		assertThat(presigned.status()).as(presigned.text()).isEqualTo(201);
		assertThat(presigned.body().path("headers").path("x-amz-meta-esteira-tenant").asString()).isEqualTo("beta");
		assertThat(presigned.body().path("uploadUrl").asString()).contains("x-amz-meta-esteira-tenant")
			.as("the tenant is among the signed headers");
	}

	@Test
	void aPermalinkWithAnotherTenantsCredentialsIsNotFound() {
		UUID theirs = this.api.uploaded(IngestApi.BETA_KEY, "image", TestFiles.aPng(), Map.of());
		this.infra.s3Client()
			.putObject((put) -> put.bucket("esteira-output").key(Thumbnails.key(theirs, "256", "jpg")),
					RequestBody.fromBytes(TestFiles.aJpeg()));
		String path = Thumbnails.permalinkPath(theirs, "256");

		assertThat(this.api.get(null, path).status()).as("anonymous: a capability URL").isEqualTo(302);
		assertThat(this.api.get(IngestApi.BETA_KEY, path).status()).isEqualTo(302);
		assertThat(this.api.get(IngestApi.ADMIN_KEY, path).status()).isEqualTo(302);
		IngestApi.Response withKey = this.api.get(IngestApi.WRITER_KEY, path);
		IngestApi.Response withToken = this.api.get(this.defaultToken, path);
		assertThat(withKey.status()).isEqualTo(404);
		assertThat(withToken.status()).isEqualTo(404);
		assertThat(withKey.body().path("type").asString())
			.isEqualTo(this.api.get(null, Thumbnails.permalinkPath(UUID.randomUUID(), "256")).body().path("type").asString());
	}

	@Test
	void aCustomerScopedCallerCannotUploadAndSeesOnlyItsCustomersUploads() {
		UUID ofTheCustomer = this.api.uploaded(IngestApi.BETA_KEY, "invoice", TestFiles.anInvoiceJson(),
				Map.of("customerDocument", "12345678000195"));
		UUID ofAnother = this.api.uploaded(IngestApi.BETA_KEY, "invoice", TestFiles.anInvoiceJson(),
				Map.of("customerDocument", OTHER_DOCUMENT));
		UUID ofNobody = this.api.uploaded(IngestApi.BETA_KEY, "image", TestFiles.aPng(), Map.of());
		String customerToken = TestTokens.token("portal-user", "beta", IngestApi.BETA_CUSTOMER_DOCUMENT,
				"uploads:read", "uploads:write");

		for (String customer : List.of(IngestApi.BETA_CUSTOMER_KEY, customerToken)) {
			IngestApi.Response upload = this.api.upload(customer, "invoice", "nf.json", TestFiles.anInvoiceJson(),
					Map.of("customerDocument", "12345678000195"));
			assertThat(upload.status()).isEqualTo(403);
			assertThat(upload.body().path("type").asString()).endsWith("/customer-scoped");
			IngestApi.Response presign = this.api.postJson(customer, "/api/uploads/presign",
					Map.of("kind", "invoice", "contentType", "application/json", "sizeBytes", 10));
			assertThat(presign.status()).isEqualTo(403);
			assertThat(presign.body().path("type").asString()).endsWith("/customer-scoped");

			assertThat(listedIds(customer, "/api/uploads?limit=100")).contains(ofTheCustomer.toString())
				.doesNotContain(ofAnother.toString(), ofNobody.toString());
			assertThat(this.api.get(customer, "/api/uploads/" + ofTheCustomer).status()).isEqualTo(200);
			assertThat(this.api.get(customer, "/api/uploads/" + ofAnother).status()).isEqualTo(404);
			assertThat(this.api.get(customer, "/api/uploads/" + ofNobody).status()).isEqualTo(404);
		}
		assertThat(listedIds(IngestApi.BETA_KEY, "/api/uploads?limit=100&customer=12.345.678/0001-95"))
			.as("the listing's customer filter matches the document too").contains(ofTheCustomer.toString())
			.doesNotContain(ofAnother.toString(), ofNobody.toString());
		IngestApi.Response me = this.api.get(IngestApi.BETA_CUSTOMER_KEY, "/api/me");
		assertThat(me.body().path("tenant").asString()).isEqualTo("beta");
		assertThat(me.body().path("customerScoped").asBoolean()).isTrue();
		assertThat(me.text()).doesNotContain("12345678000195");
	}

	@Test
	void aCustomerDocumentMustBeACpfOrACnpj() {
		for (String bad : List.of("123", "ABCDEFGHIJKLMN", "1".repeat(40))) {
			IngestApi.Response rejected = this.api.upload(IngestApi.BETA_KEY, "invoice", "nf.json",
					TestFiles.anInvoiceJson(), Map.of("customerDocument", bad));
			assertThat(rejected.status()).as(bad).isEqualTo(400);
		}
	}

	@Test
	void crmFieldsOnAnImageNeedCrmWrite() {
		for (Map<String, String> fields : List.of(Map.of("customerEmail", "ana@example.com"),
				Map.of("customerPhone", "+55 11 91234-5678"), Map.of("crmContactId", "5101"))) {
			IngestApi.Response refused = this.api.upload(IngestApi.NO_CRM_KEY, "image", "a.png", TestFiles.aPng(),
					fields);
			assertThat(refused.status()).as(fields.toString()).isEqualTo(403);
			assertThat(refused.body().path("type").asString()).endsWith("/crm-write-required");
		}
		IngestApi.Response presign = this.api.postJson(IngestApi.NO_CRM_KEY, "/api/uploads/presign",
				Map.of("kind", "image", "contentType", "image/png", "sizeBytes", 100, "crmContactId", "5101"));
		assertThat(presign.status()).isEqualTo(403);
		assertThat(presign.body().path("type").asString()).endsWith("/crm-write-required");

		assertThat(this.api.upload(IngestApi.NO_CRM_KEY, "image", "a.png", TestFiles.aPng(), Map.of()).status())
			.isEqualTo(202);
		assertThat(this.api.upload(IngestApi.NO_CRM_KEY, "invoice", "nf.json", TestFiles.anInvoiceJson(),
				Map.of("customerEmail", "ana@example.com")).status()).as("an invoice writes no CRM contact")
			.isEqualTo(202);
		assertThat(this.api.upload(IngestApi.WRITER_KEY, "image", "a.png", TestFiles.aPng(),
				Map.of("crmContactId", "5101")).status()).isEqualTo(202);
	}

	@Test
	void aTenantKeyCannotRedriveDeadLetters() {
		IngestApi.Response refused = this.api.post(IngestApi.BETA_KEY,
				"/api/admin/dead-letter-queues/esteira-status/redrive");
		assertThat(refused.status()).isEqualTo(403);
		assertThat(this.api.get(this.defaultToken, "/api/admin/dead-letter-queues").status()).isEqualTo(403);
	}

	@Test
	void meNamesTheCallersTenant() {
		IngestApi.Response key = this.api.get(IngestApi.BETA_KEY, "/api/me");
		assertThat(key.status()).isEqualTo(200);
		assertThat(key.body().path("name").asString()).isEqualTo("beta");
		assertThat(key.body().path("tenant").asString()).isEqualTo("beta");
		assertThat(key.body().path("customerScoped").asBoolean()).isFalse();
		IngestApi.Response token = this.api.get(this.defaultToken, "/api/me");
		assertThat(token.body().path("tenant").asString()).isEqualTo("default");
		assertThat(this.api.get(null, "/api/me").status()).isEqualTo(401);
	}

	/** The same problem, but for the id each names. */
	private static void assertSameProblem(IngestApi.Response other, UUID otherId, IngestApi.Response none,
			UUID missingId) {
		assertThat(other.status()).isEqualTo(none.status());
		assertThat(other.text().replace(otherId.toString(), "ID")).isEqualTo(none.text().replace(missingId.toString(), "ID"));
	}

	private List<String> listedIds(String caller, String path) {
		return listed(caller, path, "id");
	}

	private List<String> listedTenants(String caller, String path) {
		return listed(caller, path, "tenant");
	}

	private List<String> listed(String caller, String path, String field) {
		IngestApi.Response page = this.api.get(caller, path);
		assertThat(page.status()).as(page.text()).isEqualTo(200);
		List<String> values = new ArrayList<>();
		page.body().path("items").forEach((item) -> values.add(item.path(field).asString()));
		return values;
	}

}
