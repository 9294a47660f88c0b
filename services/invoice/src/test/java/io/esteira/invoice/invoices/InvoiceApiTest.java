package io.esteira.invoice.invoices;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import io.esteira.invoice.InvoiceServiceTest;
import io.esteira.invoice.TestApi;
import io.esteira.invoice.TestApiKeys;
import io.esteira.platform.security.ApiKeyProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The REST API: API keys and scopes, listing and paging, problem details. */
@InvoiceServiceTest
class InvoiceApiTest {

	private final JdbcClient jdbc;

	private final TestApi api;

	private final TestApi management;

	InvoiceApiTest(JdbcClient jdbc, @LocalServerPort int port, @LocalManagementPort int managementPort) {
		this.jdbc = jdbc;
		this.api = new TestApi(port);
		this.management = new TestApi(managementPort);
	}

	@BeforeEach
	void noInvoices() {
		this.jdbc.sql("TRUNCATE invoices, invoice_imports").update();
	}

	@Test
	void testKeysAreRegisteredByTheirHashes() {
		assertThat(ApiKeyProperties.sha256(TestApiKeys.READER)).isEqualTo(TestApiKeys.READER_SHA256);
		assertThat(ApiKeyProperties.sha256(TestApiKeys.UPLOADER)).isEqualTo(TestApiKeys.UPLOADER_SHA256);
	}

	@Test
	void requestWithoutKeyIsUnauthorized() {
		TestApi.Response response = this.api.get("/api/invoices", null);

		assertThat(response.status()).isEqualTo(401);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.body().get("type").asString()).isEqualTo("https://esteira.io/problems/missing-api-key");
	}

	@Test
	void unknownKeyIsUnauthorized() {
		assertThat(this.api.get("/api/invoices", "not-a-key").status()).isEqualTo(401);
	}

	@Test
	void keyWithoutTheReadScopeIsForbidden() {
		TestApi.Response response = this.api.get("/api/invoices", TestApiKeys.UPLOADER);

		assertThat(response.status()).isEqualTo(403);
		assertThat(response.body().get("type").asString())
			.isEqualTo("https://esteira.io/problems/insufficient-scope");
		assertThat(this.api.get("/api/invoices/imports/" + UUID.randomUUID(), TestApiKeys.UPLOADER).status())
			.isEqualTo(403);
	}

	@Test
	void probesAndActuatorNeedNoKey() {
		assertThat(this.api.get("/livez", null).status()).isEqualTo(200);
		assertThat(this.api.get("/readyz", null).status()).isEqualTo(200);
		assertThat(this.management.get("/actuator/health", null).body().get("status").asString()).isEqualTo("UP");
	}

	@Test
	void invoiceIsFoundById() {
		UUID id = store("1", "4711", "ACME Ltda", "12.30", LocalDate.of(2026, 2, 1));

		TestApi.Response response = this.api.get("/api/invoices/" + id, TestApiKeys.READER);

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body().get("id").asString()).isEqualTo(id.toString());
		assertThat(response.body().get("number").asString()).isEqualTo("4711");
		assertThat(response.body().get("amount").decimalValue()).isEqualTo(new BigDecimal("12.30"));
		assertThat(response.body().get("issueDate").asString()).isEqualTo("2026-02-01");
		assertThat(response.body().get("issuerKey").asString()).isEqualTo("default");
	}

	@Test
	void unknownInvoiceIsANotFoundProblem() {
		UUID id = UUID.randomUUID();
		TestApi.Response response = this.api.get("/api/invoices/" + id, TestApiKeys.READER);

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.body().get("type").asString()).isEqualTo("https://esteira.io/problems/invoice-not-found");
		assertThat(response.body().get("detail").asString()).contains(id.toString());
	}

	@Test
	void malformedIdIsABadRequestProblem() {
		TestApi.Response response = this.api.get("/api/invoices/not-a-uuid", TestApiKeys.READER);

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.body().get("type").asString()).isEqualTo("https://esteira.io/problems/invalid-request");
	}

	@Test
	void unknownImportIsANotFoundProblem() {
		TestApi.Response response = this.api.get("/api/invoices/imports/" + UUID.randomUUID(), TestApiKeys.READER);

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.body().get("type").asString()).isEqualTo("https://esteira.io/problems/import-not-found");
	}

	@Test
	void invoicesArePagedNewestIssueDateFirstThenByNumber() {
		store("1", "B-2", "ACME", "1.00", LocalDate.of(2026, 2, 10));
		store("1", "A-1", "ACME", "1.00", LocalDate.of(2026, 2, 10));
		store("1", "C-3", "ACME", "1.00", LocalDate.of(2026, 1, 5));
		store("1", "D-4", "ACME", "1.00", LocalDate.of(2026, 3, 1));
		store("2", "A-1", "ACME", "1.00", LocalDate.of(2026, 1, 1));

		JsonNode first = this.api.get("/api/invoices?page=0&size=2&count=true", TestApiKeys.READER).body();
		JsonNode last = this.api.get("/api/invoices?page=2&size=2", TestApiKeys.READER).body();

		assertThat(numbers(first)).containsExactly("D-4", "A-1");
		assertThat(first.get("page").asInt()).isZero();
		assertThat(first.get("size").asInt()).isEqualTo(2);
		assertThat(first.get("totalElements").asInt()).isEqualTo(5);
		assertThat(first.get("totalPages").asInt()).isEqualTo(3);
		assertThat(numbers(this.api.get("/api/invoices?page=1&size=2", TestApiKeys.READER).body()))
			.containsExactly("B-2", "C-3");
		assertThat(numbers(last)).containsExactly("A-1");
		assertThat(last.get("content").get(0).get("series").asString()).isEqualTo("2");
	}

	@Test
	void invoicesAreFilteredByCustomerAndIssueDate() {
		store("1", "1", "ACME Ltda", "1.00", LocalDate.of(2026, 1, 10));
		store("1", "2", "ACME Ltda", "1.00", LocalDate.of(2026, 2, 10));
		store("1", "3", "Padaria 100% Pão", "1.00", LocalDate.of(2026, 2, 11));

		assertThat(numbers(this.api.get("/api/invoices?customer=acme", TestApiKeys.READER).body()))
			.containsExactly("2", "1");
		assertThat(numbers(this.api.get("/api/invoices?from=2026-02-01&to=2026-02-10", TestApiKeys.READER).body()))
			.containsExactly("2");
		assertThat(numbers(this.api.get("/api/invoices?customer=100%25", TestApiKeys.READER).body()))
			.containsExactly("3");
		assertThat(numbers(this.api.get("/api/invoices?customer=0%25", TestApiKeys.READER).body()))
			.containsExactly("3");
		assertThat(numbers(this.api.get("/api/invoices?customer=_", TestApiKeys.READER).body())).isEmpty();
	}

	@Test
	void badQueryParametersAreBadRequestProblems() {
		for (String query : new String[] { "size=201", "size=0", "page=-1", "from=01/02/2026",
				"from=2026-02-10&to=2026-02-01" }) {
			TestApi.Response response = this.api.get("/api/invoices?" + query, TestApiKeys.READER);
			assertThat(response.status()).as(query).isEqualTo(400);
			assertThat(response.body().path("type").asString("")).as(query + " -> " + response.body())
				.isEqualTo("https://esteira.io/problems/invalid-request");
		}
		assertThat(this.api.get("/api/invoices?size=200", TestApiKeys.READER).status()).isEqualTo(200);
	}

	@Test
	void offsetPagesCountOnlyWhenAsked() {
		store("1", "1", "ACME", "1.00", LocalDate.of(2026, 2, 10));
		store("1", "2", "ACME", "1.00", LocalDate.of(2026, 2, 11));

		JsonNode uncounted = this.api.get("/api/invoices?size=1", TestApiKeys.READER).body();
		JsonNode counted = this.api.get("/api/invoices?size=1&count=true", TestApiKeys.READER).body();

		// Same shape either way: the totals are null unless counted.
		assertThat(numbers(uncounted)).containsExactly("2");
		assertThat(uncounted.has("totalElements")).isTrue();
		assertThat(uncounted.get("totalElements").isNull()).isTrue();
		assertThat(uncounted.get("totalPages").isNull()).isTrue();
		assertThat(counted.get("totalElements").asInt()).isEqualTo(2);
		assertThat(counted.get("totalPages").asInt()).isEqualTo(2);
	}

	@Test
	void offsetPagesStopAtMaxOffsetRowsAndPointToCursorPaging() {
		store("1", "1", "ACME", "1.00", LocalDate.of(2026, 2, 10));

		// 10,000 rows deep is served (empty here); one page further is refused, whatever the sort.
		assertThat(this.api.get("/api/invoices?page=50&size=200", TestApiKeys.READER).status()).isEqualTo(200);
		assertThat(this.api.get("/api/invoices?page=10000&size=1&count=true", TestApiKeys.READER).status())
			.isEqualTo(200);
		for (String query : new String[] { "page=51&size=200", "page=10001&size=1", "page=2147483647&size=200",
				"page=60&size=200&sort=amount" }) {
			TestApi.Response response = this.api.get("/api/invoices?" + query, TestApiKeys.READER);

			assertThat(response.status()).as(query).isEqualTo(400);
			assertThat(response.contentType()).startsWith("application/problem+json");
			assertThat(response.body().get("type").asString())
				.isEqualTo("https://esteira.io/problems/offset-paging-limit");
			assertThat(response.body().get("detail").asString()).contains("esteira.invoices.paging.max-offset-rows")
				.contains("cursor");
			assertThat(response.body().get("maxOffsetRows").asLong()).isEqualTo(10_000);
		}
		// Cursor paging has no such limit: its first page, and any cursor, cost the same.
		assertThat(numbers(this.api.get("/api/invoices?cursor=&size=200", TestApiKeys.READER).body()))
			.containsExactly("1");
	}

	private UUID store(String series, String number, String customer, String amount, LocalDate issueDate) {
		return this.jdbc.sql("""
				INSERT INTO invoices (series, number, customer, amount, currency, issue_date, upload_id, created_at)
				VALUES (?, ?, ?, ?, 'BRL', ?, ?, ?)
				RETURNING id
				""")
			.params(series, number, customer, new BigDecimal(amount), issueDate, UUID.randomUUID(),
					OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC))
			.query(UUID.class)
			.single();
	}

	private static java.util.List<String> numbers(JsonNode page) {
		return page.get("content").valueStream().map((invoice) -> invoice.get("number").asString()).toList();
	}

}
