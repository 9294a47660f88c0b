package io.esteira.invoice;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.esteira.contracts.event.UploadMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.esteira.invoice.NfeFixtures.anNfe;
import static io.esteira.invoice.TestApiKeys.TENANT_A;
import static io.esteira.invoice.TestApiKeys.TENANT_B;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tenants and customer-scoped callers (issue 17), with API keys and bearer tokens alike: a caller sees its tenant's
 * invoices and imports only (an admin every tenant's), another tenant's answer the same 404 as missing ones, the same
 * NF-e is stored once per tenant, and a customer-scoped caller sees only its customer's.
 */
@InvoiceServiceTest
class TenantAccessTest {

	private static final Duration PATIENCE = Duration.ofSeconds(20);

	/** A second customer of tenant A, not the customer-scoped caller's (CNPJ 11.444.777/0001-61). */
	private static final String OTHER_CUSTOMER = "11444777000161";

	private final TestPipeline pipeline = new TestPipeline();

	private final JdbcClient jdbc;

	private final TestApi api;

	/** Tenant A, by key and by token: every check of A is made with both. */
	private final List<Caller> tenantA = List.of(Caller.key(TestApiKeys.TENANT_A_READER),
			Caller.token(TestTokens.token("tenant-a-client", TENANT_A, null, "invoices:read")));

	/** A customer-scoped caller of tenant A (the CPF of {@link NfeFixtures#CUSTOMER_CPF}), by key and by token. */
	private final List<Caller> customerOfA = List.of(Caller.key(TestApiKeys.CUSTOMER_READER),
			Caller.token(TestTokens.token("customer-portal", TENANT_A, "529.982.247-25", "invoices:read")));

	private final Caller tenantB = Caller.key(TestApiKeys.TENANT_B_READER);

	private final Caller admin = Caller.key(TestApiKeys.ADMIN);

	TenantAccessTest(JdbcClient jdbc, @LocalServerPort int port) {
		this.jdbc = jdbc;
		this.api = new TestApi(port);
	}

	@BeforeEach
	void cleanSlate() {
		this.pipeline.settleAndPurgeQueues();
		this.jdbc.sql("TRUNCATE invoices, invoice_imports").update();
	}

	@Test
	void sameNfeImportedByTwoTenantsIsStoredOnceInEachWithoutConflictsAcrossTenants() {
		// Three tenants at once (no import waits on another's rows); other content under the same access key in the
		// default tenant: a conflict within a tenant, a new invoice in another one.
		UUID uploadA = importNfe(TENANT_A, "529.982.247-25", anNfe().xml());
		UUID uploadB = importNfe(TENANT_B, null, anNfe().xml());
		UUID changedDefault = importNfe(null, null, anNfe().xml().replace("<vNF>1500.00</vNF>", "<vNF>1400.00</vNF>"));
		assertThat(this.pipeline.awaitFinalStatus(uploadA, PATIENCE).reason()).isEqualTo("1 accepted, 0 duplicates");
		assertThat(this.pipeline.awaitFinalStatus(uploadB, PATIENCE).reason()).isEqualTo("1 accepted, 0 duplicates");
		assertThat(this.pipeline.awaitFinalStatus(changedDefault, PATIENCE).reason())
			.isEqualTo("1 accepted, 0 duplicates");
		// Within a tenant, exactly once as before.
		UUID againA = importNfe(TENANT_A, null, anNfe().xml());
		assertThat(this.pipeline.awaitFinalStatus(againA, PATIENCE).reason()).isEqualTo("0 accepted, 1 duplicates");
		assertThat(this.jdbc.sql("SELECT tenant || ':' || count(*) FROM invoices GROUP BY tenant ORDER BY tenant")
			.query(String.class)
			.list()).containsExactly("default:1", "tenant-a:1", "tenant-b:1");
		// The import's tenant and customer come from the object's metadata, the customer normalized.
		assertThat(this.jdbc.sql("SELECT tenant || ':' || coalesce(customer_document, '-') FROM invoice_imports"
				+ " WHERE upload_id = ?").param(uploadA).query(String.class).single()).isEqualTo("tenant-a:52998224725");

		// Each tenant finds its own copy by the access key; the default tenant's has the other amount.
		String idA = byAccessKey(this.tenantA.getFirst()).get("id").asString();
		String idB = byAccessKey(this.tenantB).get("id").asString();
		assertThat(idA).isNotEqualTo(idB);
		for (Caller a : this.tenantA) {
			assertThat(byAccessKey(a).get("id").asString()).isEqualTo(idA);
			assertThat(a.get(this.api, "/api/imports/" + uploadA).status()).isEqualTo(200);
			assertNotFoundAsMissing(a, "/api/imports/", uploadB.toString(), "import-not-found");
			assertNotFoundAsMissing(a, "/api/invoices/imports/", uploadB.toString(), "import-not-found");
			assertNotFoundAsMissing(a, "/api/invoices/imports/", changedDefault.toString(), "import-not-found");
		}
		assertThat(byAccessKey(Caller.key(TestApiKeys.READER)).get("amount").decimalValue())
			.isEqualByComparingTo("1400.00");
		assertThat(this.tenantB.get(this.api, "/api/imports/" + uploadB).status()).isEqualTo(200);
		assertNotFoundAsMissing(this.tenantB, "/api/imports/", uploadA.toString(), "import-not-found");
		assertThat(this.admin.get(this.api, "/api/imports/" + uploadA).status()).isEqualTo(200);
		assertThat(this.admin.get(this.api, "/api/imports/" + uploadB).status()).isEqualTo(200);
	}

	@Test
	void anotherTenantsInvoiceIsNotFoundExactlyAsAMissingOne() {
		String accessKey = anNfe().withNumber("777").accessKey();
		UUID ofB = store(TENANT_B, NfeFixtures.ISSUER_CNPJ, "777", OTHER_CUSTOMER, accessKey, LocalDate.of(2026, 3, 5));

		for (Caller a : this.tenantA) {
			assertNotFoundAsMissing(a, "/api/invoices/", ofB.toString(), "invoice-not-found");
			assertNotFoundAsMissing(a, "/api/invoices/by-key/", accessKey, "invoice-not-found");
		}
		assertThat(this.tenantB.get(this.api, "/api/invoices/" + ofB).status()).isEqualTo(200);
		assertThat(this.tenantB.get(this.api, "/api/invoices/by-key/" + accessKey).status()).isEqualTo(200);
		assertThat(this.admin.get(this.api, "/api/invoices/" + ofB).status()).isEqualTo(200);
		assertThat(this.admin.get(this.api, "/api/invoices/by-key/" + accessKey).status()).isEqualTo(200);
		// Keys without a tenant are the default tenant's.
		assertThat(Caller.key(TestApiKeys.READER).get(this.api, "/api/invoices/" + ofB).status()).isEqualTo(404);
	}

	@Test
	void listsAndSummariesHoldTheCallersTenantOnlyAndAnAdminSeesEvery() {
		store(TENANT_A, "default", "A-1", OTHER_CUSTOMER, null, LocalDate.of(2026, 2, 1));
		store(TENANT_A, "default", "A-2", OTHER_CUSTOMER, null, LocalDate.of(2026, 2, 2));
		store(TENANT_B, "default", "B-1", OTHER_CUSTOMER, null, LocalDate.of(2026, 2, 3));
		store("default", "default", "D-1", OTHER_CUSTOMER, null, LocalDate.of(2026, 2, 4));

		for (Caller a : this.tenantA) {
			JsonNode page = a.get(this.api, "/api/invoices?count=true").body();
			assertThat(numbers(page)).containsExactly("A-2", "A-1");
			assertThat(page.get("totalElements").asInt()).isEqualTo(2);
			assertThat(numbers(a.get(this.api, "/api/invoices?cursor=&size=1").body())).containsExactly("A-2");
			assertThat(numbers(a.get(this.api, "/api/invoices?cursor=&size=50").body())).containsExactly("A-2", "A-1");
			JsonNode summary = a.get(this.api, "/api/invoices/summary?groupBy=month").body();
			assertThat(summary).hasSize(1);
			assertThat(summary.get(0).get("count").asLong()).isEqualTo(2);
			assertThat(summary.get(0).get("total").decimalValue()).isEqualByComparingTo("20.00");
			// Naming another tenant gives nothing (the filter narrows the caller's own tenant).
			assertThat(numbers(a.get(this.api, "/api/invoices?tenant=" + TENANT_B).body())).isEmpty();
			assertThat(numbers(a.get(this.api, "/api/invoices?cursor=&tenant=" + TENANT_B).body())).isEmpty();
			assertThat(a.get(this.api, "/api/invoices/summary?groupBy=month&tenant=" + TENANT_B).body()).isEmpty();
		}
		assertThat(numbers(this.tenantB.get(this.api, "/api/invoices").body())).containsExactly("B-1");
		assertThat(numbers(Caller.key(TestApiKeys.READER).get(this.api, "/api/invoices").body()))
			.containsExactly("D-1");

		assertThat(numbers(this.admin.get(this.api, "/api/invoices").body())).containsExactly("D-1", "B-1", "A-2",
				"A-1");
		assertThat(numbers(this.admin.get(this.api, "/api/invoices?cursor=&tenant=" + TENANT_A).body()))
			.containsExactly("A-2", "A-1");
		assertThat(this.admin.get(this.api, "/api/invoices/summary?groupBy=month").body().get(0).get("count").asLong())
			.isEqualTo(4);
		assertThat(this.admin.get(this.api, "/api/invoices/summary?groupBy=month&tenant=" + TENANT_B)
			.body()
			.get(0)
			.get("count")
			.asLong()).isEqualTo(1);
		TestApi.Response malformed = this.admin.get(this.api, "/api/invoices?tenant=Tenant_A");
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.body().get("type").asString()).isEqualTo("https://esteira.io/problems/invalid-request");
	}

	@Test
	void aCursorServesOnlyTheQueryThatReturnedIt() {
		for (int i = 0; i < 3; i++) {
			store(TENANT_A, "default", "A-" + i, OTHER_CUSTOMER, null, LocalDate.of(2026, 2, 1 + i));
			store(TENANT_B, "default", "B-" + i, OTHER_CUSTOMER, null, LocalDate.of(2026, 2, 1 + i));
		}
		Caller keyOfA = this.tenantA.getFirst();
		String cursorOfA = keyOfA.get(this.api, "/api/invoices?cursor=&size=1").body().get("nextCursor").asString();

		assertThat(numbers(keyOfA.get(this.api, "/api/invoices?size=5&cursor=" + cursorOfA).body()))
			.containsExactly("A-1", "A-0");
		// Another tenant, other filters, an admin, a customer-scoped caller of the same tenant: other queries.
		for (TestApi.Response refused : List.of(this.tenantB.get(this.api, "/api/invoices?cursor=" + cursorOfA),
				keyOfA.get(this.api, "/api/invoices?customer=x&cursor=" + cursorOfA),
				this.admin.get(this.api, "/api/invoices?cursor=" + cursorOfA),
				this.customerOfA.getFirst().get(this.api, "/api/invoices?cursor=" + cursorOfA))) {
			assertThat(refused.status()).isEqualTo(400);
			assertThat(refused.body().get("type").asString()).isEqualTo("https://esteira.io/problems/invalid-request");
			assertThat(refused.body().get("detail").asString()).contains("another query");
		}
		// The same query by token: the cursor is the query's, not the credential's.
		assertThat(numbers(this.tenantA.get(1).get(this.api, "/api/invoices?size=5&cursor=" + cursorOfA).body()))
			.containsExactly("A-1", "A-0");
	}

	@Test
	void customerScopedCallersSeeOnlyTheirCustomersInvoicesAndImports() {
		// Issued to the customer, issued by the customer, neither; and one issued to it in another tenant.
		UUID toCustomer = store(TENANT_A, NfeFixtures.ISSUER_CNPJ, "1", NfeFixtures.CUSTOMER_CPF, null,
				LocalDate.of(2026, 2, 1));
		UUID byCustomer = store(TENANT_A, NfeFixtures.CUSTOMER_CPF, "2", OTHER_CUSTOMER, null,
				LocalDate.of(2026, 2, 2));
		String otherKey = anNfe().withNumber("3").accessKey();
		UUID other = store(TENANT_A, NfeFixtures.ISSUER_CNPJ, "3", OTHER_CUSTOMER, otherKey, LocalDate.of(2026, 2, 3));
		UUID inB = store(TENANT_B, NfeFixtures.ISSUER_CNPJ, "4", NfeFixtures.CUSTOMER_CPF, null,
				LocalDate.of(2026, 2, 4));
		UUID ownImport = storeImport(TENANT_A, NfeFixtures.CUSTOMER_CPF);
		UUID otherImport = storeImport(TENANT_A, OTHER_CUSTOMER);
		UUID noCustomerImport = storeImport(TENANT_A, null);

		for (Caller customer : this.customerOfA) {
			JsonNode page = customer.get(this.api, "/api/invoices?count=true").body();
			assertThat(ids(page)).containsExactly(byCustomer.toString(), toCustomer.toString());
			assertThat(page.get("totalElements").asInt()).isEqualTo(2);
			assertThat(ids(customer.get(this.api, "/api/invoices?cursor=&size=50").body()))
				.containsExactly(byCustomer.toString(), toCustomer.toString());
			assertThat(ids(customer.get(this.api, "/api/invoices?customerDocument=" + OTHER_CUSTOMER).body()))
				.containsExactly(byCustomer.toString());
			JsonNode summary = customer.get(this.api, "/api/invoices/summary?groupBy=month").body();
			assertThat(summary).hasSize(1);
			assertThat(summary.get(0).get("count").asLong()).isEqualTo(2);
			assertThat(customer.get(this.api, "/api/invoices/" + toCustomer).status()).isEqualTo(200);
			assertThat(customer.get(this.api, "/api/invoices/" + byCustomer).status()).isEqualTo(200);
			assertNotFoundAsMissing(customer, "/api/invoices/", other.toString(), "invoice-not-found");
			assertNotFoundAsMissing(customer, "/api/invoices/by-key/", otherKey, "invoice-not-found");
			assertNotFoundAsMissing(customer, "/api/invoices/", inB.toString(), "invoice-not-found");
			assertThat(customer.get(this.api, "/api/imports/" + ownImport).status()).isEqualTo(200);
			assertNotFoundAsMissing(customer, "/api/imports/", otherImport.toString(), "import-not-found");
			assertNotFoundAsMissing(customer, "/api/invoices/imports/", noCustomerImport.toString(),
					"import-not-found");
		}
		// The tenant's callers that are not customer-scoped see all of it.
		for (Caller a : this.tenantA) {
			assertThat(ids(a.get(this.api, "/api/invoices").body())).hasSize(3);
			assertThat(a.get(this.api, "/api/imports/" + otherImport).status()).isEqualTo(200);
		}
	}

	/**
	 * {@code prefix + id} answers the caller exactly what {@code prefix} with an id that exists nowhere answers: same
	 * status, type, title, members, and detail but for the id.
	 */
	private void assertNotFoundAsMissing(Caller caller, String prefix, String id, String kind) {
		String missing = prefix.endsWith("by-key/") ? "1".repeat(44) : UUID.randomUUID().toString();
		TestApi.Response hidden = caller.get(this.api, prefix + id);
		TestApi.Response absent = caller.get(this.api, prefix + missing);

		assertThat(hidden.status()).as(prefix + id).isEqualTo(404);
		assertThat(hidden.contentType()).isEqualTo(absent.contentType());
		assertThat(hidden.body().get("type").asString()).isEqualTo("https://esteira.io/problems/" + kind);
		assertThat(hidden.body().propertyNames()).containsExactlyInAnyOrderElementsOf(absent.body().propertyNames());
		for (String member : List.of("type", "title", "status")) {
			assertThat(hidden.body().get(member)).as(member).isEqualTo(absent.body().get(member));
		}
		assertThat(hidden.body().get("detail").asString().replace(id, "?"))
			.isEqualTo(absent.body().get("detail").asString().replace(missing, "?"));
	}

	/** Puts an NF-e into the uploads bucket as ingest does for a caller of {@code tenant}, and announces it. */
	private UUID importNfe(String tenant, String customerDocument, String xml) {
		UUID uploadId = UUID.randomUUID();
		Map<String, String> metadata = new HashMap<>(
				Map.of(UploadMetadata.UPLOAD_ID, uploadId.toString(), UploadMetadata.KIND, "invoice"));
		if (tenant != null) {
			metadata.put(UploadMetadata.TENANT, tenant);
		}
		if (customerDocument != null) {
			metadata.put(UploadMetadata.CUSTOMER_DOCUMENT, customerDocument);
		}
		this.pipeline.announce(this.pipeline.put(TestPipeline.UPLOADS_BUCKET, "invoices/2026/03/" + uploadId + ".xml",
				xml.getBytes(StandardCharsets.UTF_8), metadata));
		return uploadId;
	}

	private JsonNode byAccessKey(Caller caller) {
		TestApi.Response response = caller.get(this.api, "/api/invoices/by-key/" + anNfe().accessKey());
		assertThat(response.status()).isEqualTo(200);
		return response.body();
	}

	/** An invoice of 10.00 in {@code tenant}. */
	private UUID store(String tenant, String issuerKey, String number, String customerDocument, String accessKey,
			LocalDate issueDate) {
		return this.jdbc.sql("""
				INSERT INTO invoices (tenant, issuer_key, series, number, customer, customer_document, access_key,
				                      amount, currency, issue_date, upload_id, created_at)
				VALUES (?, ?, '1', ?, 'Cliente', ?, ?, 10.00, 'BRL', ?, ?, ?)
				RETURNING id
				""")
			.params(tenant, issuerKey, number, customerDocument, accessKey, issueDate, UUID.randomUUID(),
					OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC))
			.query(UUID.class)
			.single();
	}

	/** A finished import in {@code tenant}, made for {@code customerDocument} (or none). */
	private UUID storeImport(String tenant, String customerDocument) {
		UUID uploadId = UUID.randomUUID();
		this.jdbc.sql("""
				INSERT INTO invoice_imports (upload_id, tenant, customer_document, bucket, object_key, status,
				                             accepted, started_at, finished_at)
				VALUES (?, ?, ?, 'esteira-uploads', ?, 'COMPLETED', 1, now(), now())
				""").params(uploadId, tenant, customerDocument, "invoices/2026/02/" + uploadId + ".csv").update();
		return uploadId;
	}

	private static List<String> numbers(JsonNode page) {
		return page.get("content").valueStream().map((invoice) -> invoice.get("number").asString()).toList();
	}

	private static List<String> ids(JsonNode page) {
		return page.get("content").valueStream().map((invoice) -> invoice.get("id").asString()).toList();
	}

	/** A caller: an API key ({@code X-Api-Key}) or a bearer token. */
	private record Caller(String apiKey, String token) {

		static Caller key(String apiKey) {
			return new Caller(apiKey, null);
		}

		static Caller token(String token) {
			return new Caller(null, token);
		}

		TestApi.Response get(TestApi api, String pathAndQuery) {
			return api.get(pathAndQuery, this.apiKey,
					(this.token != null) ? Map.of("Authorization", "Bearer " + this.token) : Map.of());
		}

	}

}
