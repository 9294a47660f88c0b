package io.esteira.ingest.upload.query;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.esteira.ingest.IngestApi;
import io.esteira.ingest.IngestIntegrationTest;
import io.esteira.ingest.TestFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;

@IngestIntegrationTest
class UploadListingTest {

	@LocalServerPort
	private int port;

	@Autowired
	private JdbcClient jdbc;

	private IngestApi api;

	/** Ids of the uploads made by {@link #fiveUploads()}, oldest first. */
	private final List<String> ids = new ArrayList<>();

	private final Instant base = Instant.parse("2026-03-01T12:00:00Z");

	@BeforeEach
	void fiveUploads() {
		this.api = new IngestApi(this.port);
		this.jdbc.sql("truncate uploads cascade").update();
		upload("image", TestFiles.aPng(), Map.of("customerEmail", "Ana@Example.com"));
		upload("invoice", TestFiles.anInvoiceJson(),
				Map.of("crmContactId", "77", "customerPhone", "+55 11 98765-4321"));
		upload("image", TestFiles.aJpeg(), Map.of("externalRef", "pedido-9"));
		upload("invoice", TestFiles.anInvoiceCsv(), Map.of("customerEmail", "ana@example.com"));
		upload("image", TestFiles.aGif(), Map.of());
		// one day apart, so time filters and order are exact
		for (int i = 0; i < this.ids.size(); i++) {
			this.jdbc.sql("update uploads set created_at = :at where id = :id::uuid")
				.param("at", this.base.plus(i, ChronoUnit.DAYS).atOffset(java.time.ZoneOffset.UTC))
				.param("id", this.ids.get(i))
				.update();
		}
		this.jdbc.sql("update uploads set status = 'COMPLETED' where id = :id::uuid").param("id", this.ids.get(1))
			.update();
	}

	@Test
	void pagesThroughAllUploadsNewestFirstWithoutRepeats() {
		List<String> seen = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			JsonNode page = list(Map.of("limit", "2"), cursor);
			page.path("items").forEach((item) -> seen.add(item.path("id").asString()));
			cursor = page.path("nextCursor").isNull() || page.path("nextCursor").isMissingNode() ? null
					: page.path("nextCursor").asString();
			pages++;
		}
		while (cursor != null && pages < 10);

		assertThat(pages).isEqualTo(3);
		assertThat(seen).containsExactlyElementsOf(this.ids.reversed());
	}

	@Test
	void uploadCreatedWhilePagingDoesNotShiftLaterPages() {
		JsonNode first = list(Map.of("limit", "2"), null);
		upload("image", TestFiles.aPng(), Map.of());

		JsonNode second = list(Map.of("limit", "2"), first.path("nextCursor").asString());

		assertThat(ids(second)).containsExactly(this.ids.get(2), this.ids.get(1));
	}

	@Test
	void filtersByStatusKindCustomerAndTime() {
		assertThat(ids(list(Map.of("status", "COMPLETED"), null))).containsExactly(this.ids.get(1));
		assertThat(ids(list(Map.of("kind", "invoice"), null))).containsExactly(this.ids.get(3), this.ids.get(1));
		assertThat(ids(list(Map.of("kind", "IMAGE", "status", "RECEIVED"), null))).containsExactly(this.ids.get(4),
				this.ids.get(2), this.ids.get(0));
		assertThat(ids(list(Map.of("customer", "ana@example.com"), null))).containsExactly(this.ids.get(3),
				this.ids.get(0));
		assertThat(ids(list(Map.of("customer", "77"), null))).containsExactly(this.ids.get(1));
		// a phone matches by its digits, however it is written
		assertThat(ids(list(Map.of("customer", "55-11-98765-4321"), null))).containsExactly(this.ids.get(1));
		assertThat(ids(list(Map.of("customer", "5511987654321"), null))).containsExactly(this.ids.get(1));
		assertThat(ids(list(Map.of("customer", "11987654321"), null))).isEmpty();
		assertThat(ids(list(Map.of("customer", "pedido-9"), null))).containsExactly(this.ids.get(2));
		assertThat(ids(list(Map.of("from", this.base.plus(1, ChronoUnit.DAYS).toString(), "to",
				this.base.plus(3, ChronoUnit.DAYS).toString()), null)))
			.containsExactly(this.ids.get(2), this.ids.get(1));
	}

	@Test
	void listingShowsSummariesWithoutTimelines() {
		JsonNode newest = list(Map.of("limit", "1"), null).path("items").get(0);

		assertThat(newest.path("id").asString()).isEqualTo(this.ids.get(4));
		assertThat(newest.path("kind").asString()).isEqualTo("image");
		assertThat(newest.path("contentType").asString()).isEqualTo("image/gif");
		assertThat(newest.path("createdAt").asString()).isEqualTo(this.base.plus(4, ChronoUnit.DAYS).toString());
		assertThat(newest.has("steps")).isFalse();
	}

	@Test
	void badParametersAreInvalidRequests() {
		assertInvalid(list(Map.of("cursor", "not-a-cursor"), null, 400));
		assertInvalid(list(Map.of("limit", "0"), null, 400));
		assertInvalid(list(Map.of("limit", "101"), null, 400));
		assertInvalid(list(Map.of("status", "DONE"), null, 400));
		assertThat(list(Map.of("kind", "video"), null, 400).path("errors").toString())
			.contains("kind: must be 'image' or 'invoice'");
		assertInvalid(list(Map.of("from", "yesterday"), null, 400));
	}

	@Test
	void listingNeedsTheReadScope() {
		assertThat(this.api.get(null, "/api/uploads").status()).isEqualTo(401);
		assertThat(this.api.get(IngestApi.READER_KEY, "/api/uploads").status()).isEqualTo(200);
	}

	private void upload(String kind, byte[] content, Map<String, String> fields) {
		IngestApi.Response accepted = this.api.upload(IngestApi.WRITER_KEY, kind, "f", content, fields);
		assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
		this.ids.add(accepted.body().path("id").asString());
	}

	private JsonNode list(Map<String, String> parameters, String cursor) {
		return list(parameters, cursor, 200);
	}

	private JsonNode list(Map<String, String> parameters, String cursor, int expectedStatus) {
		UriComponentsBuilder uri = UriComponentsBuilder.fromPath("/api/uploads");
		parameters.forEach(uri::queryParam);
		if (cursor != null) {
			uri.queryParam("cursor", cursor);
		}
		IngestApi.Response response = this.api.get(IngestApi.READER_KEY, uri.encode().build().toUriString());
		assertThat(response.status()).as(response.text()).isEqualTo(expectedStatus);
		return response.body();
	}

	private static List<String> ids(JsonNode page) {
		List<String> ids = new ArrayList<>();
		page.path("items").forEach((item) -> ids.add(item.path("id").asString()));
		return ids;
	}

	private static void assertInvalid(JsonNode problem) {
		assertThat(problem.path("type").asString()).isEqualTo("https://esteira.io/problems/invalid-request");
	}

}
