package io.esteira.invoice.invoices;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.esteira.invoice.InvoiceServiceTest;
import io.esteira.invoice.TestApi;
import io.esteira.invoice.TestApiKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Keyset paging, ETags, the summary and the imports path. */
@InvoiceServiceTest
class InvoiceQueryApiTest {

	private final JdbcClient jdbc;

	private final TestApi api;

	InvoiceQueryApiTest(JdbcClient jdbc, @LocalServerPort int port) {
		this.jdbc = jdbc;
		this.api = new TestApi(port);
	}

	@BeforeEach
	void noInvoices() {
		this.jdbc.sql("TRUNCATE invoices, invoice_imports").update();
	}

	@Test
	void cursorPagesWalkTheWholeSetInListingOrderWithoutGapsOrRepeats() {
		Set<UUID> stored = new HashSet<>();
		// Few dates, repeated numbers across series: many ties for the cursor to break.
		for (int i = 0; i < 57; i++) {
			stored.add(store(String.valueOf(i % 3), "N-" + (i / 3), "Cliente " + (i % 5), "1.00",
					LocalDate.of(2026, 1, 1 + (i % 4))));
		}

		List<String> walked = new ArrayList<>();
		String cursor = "";
		int pages = 0;
		do {
			JsonNode page = this.api.get("/api/invoices?size=10&cursor=" + cursor, TestApiKeys.READER).body();
			page.get("content").valueStream().forEach((invoice) -> walked.add(invoice.get("id").asString()));
			cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
			pages++;
		}
		while (cursor != null);

		assertThat(pages).isEqualTo(6);
		assertThat(walked).hasSize(57).doesNotHaveDuplicates();
		assertThat(walked).containsExactlyInAnyOrderElementsOf(stored.stream().map(UUID::toString).toList());
		List<String> offsetOrder = this.api.get("/api/invoices?size=200", TestApiKeys.READER)
			.body()
			.get("content")
			.valueStream()
			.map((invoice) -> invoice.get("id").asString())
			.toList();
		assertThat(walked).containsExactlyElementsOf(offsetOrder);
	}

	@Test
	void cursorPagesApplyTheFilters() {
		for (int i = 0; i < 5; i++) {
			store("1", "A" + i, "ACME", "10.00", LocalDate.of(2026, 2, 1));
			store("1", "B" + i, "Padaria", "10.00", LocalDate.of(2026, 2, 1));
		}
		JsonNode first = this.api.get("/api/invoices?customer=acme&size=3&cursor=", TestApiKeys.READER).body();
		JsonNode second = this.api
			.get("/api/invoices?customer=acme&size=3&cursor=" + first.get("nextCursor").asString(), TestApiKeys.READER)
			.body();

		assertThat(numbers(first)).containsExactly("A0", "A1", "A2");
		assertThat(numbers(second)).containsExactly("A3", "A4");
		assertThat(second.get("nextCursor").isNull()).isTrue();
	}

	@Test
	void malformedCursorAndBadParametersAreBadRequestProblems() {
		for (String query : new String[] { "cursor=not-a-cursor", "cursor=e30", "cursor=&size=500",
				"minAmount=abc", "minAmount=10&maxAmount=1", "uploadId=42" }) {
			TestApi.Response response = this.api.get("/api/invoices?" + query, TestApiKeys.READER);
			assertThat(response.status()).as(query).isEqualTo(400);
			assertThat(response.body().path("type").asString("")).as(query + " -> " + response.body())
				.isEqualTo("https://esteira.io/problems/invalid-request");
		}
	}

	@Test
	void offsetPagesFollowAnAllowListedSort() {
		store("1", "1", "ACME", "30.00", LocalDate.of(2026, 1, 1));
		store("1", "2", "ACME", "10.00", LocalDate.of(2026, 3, 1));
		store("1", "3", "ACME", "20.00", LocalDate.of(2026, 2, 1));

		assertThat(numbers(this.api.get("/api/invoices?sort=amount", TestApiKeys.READER).body()))
			.containsExactly("2", "3", "1");
		assertThat(numbers(this.api.get("/api/invoices?sort=-amount", TestApiKeys.READER).body()))
			.containsExactly("1", "3", "2");
		assertThat(numbers(this.api.get("/api/invoices?sort=issueDate", TestApiKeys.READER).body()))
			.containsExactly("1", "3", "2");
		for (String query : new String[] { "sort=id", "sort=amount;drop", "cursor=&sort=amount" }) {
			TestApi.Response response = this.api.get("/api/invoices?" + query, TestApiKeys.READER);
			assertThat(response.status()).as(query).isEqualTo(400);
			assertThat(response.body().path("type").asString("")).isEqualTo("https://esteira.io/problems/invalid-request");
		}
	}

	@Test
	void singleInvoiceHasAnETagAndIsNotSentAgainWhenUnchanged() {
		UUID id = store("1", "1", "ACME", "10.00", LocalDate.of(2026, 2, 1));

		TestApi.Response first = this.api.get("/api/invoices/" + id, TestApiKeys.READER);
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.eTag()).isEqualTo("\"" + id + "\"");

		TestApi.Response again = this.api.get("/api/invoices/" + id, TestApiKeys.READER,
				Map.of("If-None-Match", first.eTag()));
		assertThat(again.status()).isEqualTo(304);
		assertThat(this.api.get("/api/invoices/" + id, TestApiKeys.READER, Map.of("If-None-Match", "\"other\""))
			.status()).isEqualTo(200);
	}

	@Test
	void summaryCountsAndTotalsByCustomerAndByMonth() {
		store("1", "1", "ACME", "10.50", LocalDate.of(2026, 1, 10));
		store("1", "2", "ACME", "20.00", LocalDate.of(2026, 2, 10));
		store("1", "3", "Padaria", "5.00", LocalDate.of(2026, 2, 11));

		JsonNode byCustomer = this.api.get("/api/invoices/summary?groupBy=customer", TestApiKeys.READER).body();
		assertThat(byCustomer.get(0).get("key").asString()).isEqualTo("ACME");
		assertThat(byCustomer.get(0).get("count").asLong()).isEqualTo(2);
		assertThat(byCustomer.get(0).get("total").decimalValue()).isEqualByComparingTo("30.50");
		JsonNode byMonth = this.api.get("/api/invoices/summary?groupBy=month&from=2026-02-01", TestApiKeys.READER)
			.body();
		assertThat(byMonth).hasSize(1);
		assertThat(byMonth.get(0).get("key").asString()).isEqualTo("2026-02");
		assertThat(byMonth.get(0).get("total").decimalValue()).isEqualByComparingTo("25.00");
		assertThat(this.api.get("/api/invoices/summary?groupBy=city", TestApiKeys.READER).status()).isEqualTo(400);
	}

	@Test
	void importsAreServedUnderApiImportsWithTheReadScope() {
		UUID unknown = UUID.randomUUID();
		TestApi.Response response = this.api.get("/api/imports/" + unknown, TestApiKeys.READER);
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.body().get("type").asString()).isEqualTo("https://esteira.io/problems/import-not-found");
		assertThat(this.api.get("/api/imports/" + unknown, null).status()).isEqualTo(401);
		assertThat(this.api.get("/api/imports/" + unknown, TestApiKeys.UPLOADER).status()).isEqualTo(403);
	}

	@Test
	void openApiDocumentDescribesTheEndpointsWithoutAKey() {
		TestApi.Response document = this.api.get("/v3/api-docs", null);

		assertThat(document.status()).isEqualTo(200);
		assertThat(document.body().get("paths").propertyNames()).contains("/api/invoices", "/api/invoices/{id}",
				"/api/invoices/by-key/{accessKey}", "/api/invoices/summary", "/api/imports/{uploadId}");
		assertThat(this.api.status("/swagger-ui/index.html")).isEqualTo(200);
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

	private static List<String> numbers(JsonNode page) {
		return page.get("content").valueStream().map((invoice) -> invoice.get("number").asString()).toList();
	}

}
