package io.esteira.invoice;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.contracts.s3.S3ObjectEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.esteira.invoice.InvoiceFiles.invoice;
import static io.esteira.invoice.InvoiceFiles.jsonArray;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile input of every kind the invoice service takes: uploads of each format, messages on its queue, requests to
 * its API. Each case asserts its outcome (the import's terminal status and reason, the dead-letter queue or no
 * retry, or the status and problem type) and that the service is healthy after it ({@code /livez}, {@code /readyz},
 * a listing). To keep the suite fast, all uploads and queue messages are sent at once before the first case, and the
 * cases wait for their outcomes: every hostile upload is imported among the others and beside normal ones (one for
 * every five hostile), which must complete.
 * Shares the application context of the other {@link InvoiceServiceTest}s.
 */
@InvoiceServiceTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInvoiceInputTest {

	private static final Duration PATIENCE = Duration.ofSeconds(60);

	private static final int NORMAL_EVERY = 5;

	private static final String STORED_CUSTOMER = "Loja Estável Ltda";

	private static final byte[] UTF8_BOM = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

	/** A lead byte of a two-byte sequence followed by a byte that cannot continue it. */
	private static final byte[] INVALID_UTF8 = { (byte) 0xC3, 0x28 };

	private final TestPipeline pipeline = new TestPipeline();

	private final JdbcClient jdbc;

	private final TestApi api;

	/** Each upload case's hostile upload. */
	private final Map<String, UUID> hostileIds = new ConcurrentHashMap<>();

	/** The normal upload imported beside each upload case's (one for every {@value #NORMAL_EVERY} cases). */
	private final Map<String, UUID> normalIds = new ConcurrentHashMap<>();

	HostileInvoiceInputTest(JdbcClient jdbc, @LocalServerPort int port) {
		this.jdbc = jdbc;
		this.api = new TestApi(port);
	}

	@BeforeAll
	void sendEveryHostileUploadAndMessageAtOnce() {
		this.pipeline.settleAndPurgeQueues();
		this.jdbc.sql("TRUNCATE invoices, invoice_imports").update();
		// One invoice that every listing finds (and no hostile filter may match).
		this.jdbc.sql("""
				INSERT INTO invoices (series, number, customer, amount, currency, issue_date, upload_id, created_at)
				VALUES ('1', 'S-1', ?, 10.00, 'BRL', DATE '2026-02-01', ?, now())
				""").params(STORED_CUSTOMER, UUID.randomUUID()).update();
		List<Upload> uploads = uploads().toList();
		UUID[] normals = new UUID[(uploads.size() + NORMAL_EVERY - 1) / NORMAL_EVERY];
		IntStream.range(0, uploads.size()).parallel().forEach((n) -> {
			Upload upload = uploads.get(n);
			UUID hostile = UUID.randomUUID();
			UUID normal = (n % NORMAL_EVERY == 0) ? UUID.randomUUID() : null;
			this.pipeline.announce(this.pipeline.upload("invoices/2026/03/" + hostile + "/" + upload.fileName(),
					upload.content(), hostile));
			if (normal != null) {
				normals[n / NORMAL_EVERY] = normal;
				this.pipeline.announce(this.pipeline.upload("invoices/2026/03/" + normal + "/invoices.json",
						normalFile(n), normal));
			}
			this.hostileIds.put(upload.name(), hostile);
		});
		for (int n = 0; n < uploads.size(); n++) {
			this.normalIds.put(uploads.get(n).name(), normals[n / NORMAL_EVERY]);
		}
		messages().forEach((message) -> this.pipeline.send(message.body()));
	}

	@AfterEach
	void serviceIsStillHealthy() {
		assertThat(this.api.status("/livez")).isEqualTo(200);
		assertThat(this.api.status("/readyz")).isEqualTo(200);
		TestApi.Response listing = this.api.get("/api/invoices?customer=Loja", TestApiKeys.READER);
		assertThat(listing.status()).isEqualTo(200);
		assertThat(listing.body().get("content").valueStream().map((row) -> row.get("number").asString()))
			.containsExactly("S-1");
	}

	// Uploads

	@Order(1)
	@ParameterizedTest(name = "upload: {0}")
	@MethodSource("uploads")
	void hostileUploadEndsWithItsOutcomeWhileANormalImportBesideItCompletes(Upload upload) {
		UUID hostile = this.hostileIds.get(upload.name());
		UUID normal = this.normalIds.get(upload.name());

		UploadStatusEvent outcome = this.pipeline.awaitFinalStatus(hostile, PATIENCE);

		assertThat(outcome.status()).isEqualTo(upload.status());
		assertThat(outcome.reason()).isEqualTo(upload.reason());
		JsonNode summary = this.api.get("/api/imports/" + hostile, TestApiKeys.READER).body();
		assertThat(summary.get("status").asString()).isEqualTo(upload.status().name());
		if (upload.error() != null) {
			assertThat(summary.get("errors").valueStream().map((error) -> error.get("message").asString()))
				.anySatisfy((message) -> assertThat(message).contains(upload.error()));
		}
		// Nothing of the file leaks into what is reported (no entity was ever resolved).
		assertThat(summary.toString()).doesNotContain("root:x:0:0");
		// Imported once: a bad file is never retried (a retry would start the step again).
		assertThat(this.pipeline.statusEvents(hostile)).hasSize(2);
		UploadStatusEvent beside = this.pipeline.awaitFinalStatus(normal, PATIENCE);
		assertThat(beside.status()).isEqualTo(UploadStatus.COMPLETED);
		assertThat(beside.reason()).isEqualTo("3 accepted, 0 duplicates");
	}

	static Stream<Upload> uploads() {
		String nfe = NfeFixtures.anNfe().xml();
		return Stream.of(
				// XXE, DTDs, entity expansion
				rejected("XXE: external entity in NF-e XML", "nfe.xml", NfeFixtures.anNfeWithAnXxePayload(),
						"DTD"),
				rejected("XXE: external DTD (DOCTYPE SYSTEM) in NF-e XML", "nfe.xml",
						"<?xml version=\"1.0\"?><!DOCTYPE NFe SYSTEM \"http://127.0.0.1:9/evil.dtd\"><NFe/>", "DTD"),
				rejected("XXE: external parameter entity in NF-e XML", "nfe.xml",
						"<!DOCTYPE NFe [<!ENTITY % x SYSTEM \"file:///etc/passwd\"> %x;]><NFe/>", "DTD"),
				rejected("billion laughs in NF-e XML", "nfe.xml", billionLaughs(), "DTD"),
				new Upload("XInclude in NF-e XML is not followed", "nfe.xml",
						bytes("<NFe xmlns:xi=\"http://www.w3.org/2001/XInclude\"><infNFe><ide><xi:include "
								+ "href=\"file:///etc/passwd\" parse=\"text\"/></ide></infNFe></NFe>"),
						UploadStatus.REJECTED, "no valid invoices", "is required"),
				// Nesting
				limit("deep nesting: 100,000 JSON arrays", "invoices.json",
						"[{\"number\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}]",
						"nesting depth over 64 levels (esteira.invoices.limits.max-depth)"),
				limit("deep nesting: 10,000 XML elements", "nfe.xml",
						"<NFe>" + "<a>".repeat(10_000) + "</a>".repeat(10_000) + "</NFe>",
						"nesting depth over 64 levels (esteira.invoices.limits.max-depth)"),
				limit("deep nesting in one NDJSON line", "invoices.ndjson",
						invoice("N-1", "ACME", "1.00", "2026-03-01") + "\n{\"number\": " + "[".repeat(1000)
								+ "]".repeat(1000) + "}\n",
						"nesting depth over 64 levels (esteira.invoices.limits.max-depth)"),
				// Huge values
				limit("huge text node in NF-e XML (1 M characters)", "nfe.xml",
						nfe.replace("<natOp>Venda</natOp>", "<natOp>" + "a".repeat(1_000_000) + "</natOp>"),
						"text node longer than 65536 characters (esteira.invoices.limits.max-text-length)"),
				limit("huge CDATA section in NF-e XML", "nfe.xml",
						nfe.replace("<natOp>Venda</natOp>", "<natOp><![CDATA[" + "a>".repeat(500_000) + "]]></natOp>"),
						"XML CDATA section longer than 65536 characters (esteira.invoices.limits.max-text-length)"),
				limit("huge attribute in NF-e XML", "nfe.xml",
						nfe.replace("versao=\"4.00\">", "versao=\"" + "4>".repeat(500_000) + "\">"),
						"XML tag longer than 65536 characters (esteira.invoices.limits.max-text-length)"),
				limit("huge comment in NF-e XML", "nfe.xml",
						nfe.replace("<natOp>Venda</natOp>", "<!--" + "a>".repeat(500_000) + "--><natOp>Venda</natOp>"),
						"XML comment longer than 65536 characters (esteira.invoices.limits.max-text-length)"),
				limit("huge JSON string", "invoices.json",
						jsonArray(invoice("J-1", "a".repeat(1_000_000), "1.00", "2026-03-01")),
						"JSON string longer than 65536 characters (esteira.invoices.limits.max-text-length)"),
				limit("huge CSV field", "invoices.csv",
						"numero;cliente;valor;data\n1;\"" + "a;".repeat(500_000) + "\";1,00;01/03/2026\n",
						"CSV field longer than 65536 characters (esteira.invoices.limits.max-text-length)"),
				limit("huge number literal in JSON (1,000 digits)", "invoices.json",
						"[{\"number\": \"1\", \"customer\": \"ACME\", \"amount\": 1" + "0".repeat(1000)
								+ ", \"date\": \"2026-03-01\"}]",
						"number longer than 100 characters (esteira.invoices.limits.max-number-length)"),
				new Upload("huge amount written as text in CSV (60,000 digits)", "invoices.csv",
						bytes("numero;cliente;valor;data\n1;ACME;1" + "0".repeat(60_000) + ",00;01/03/2026\n"),
						UploadStatus.REJECTED, "no valid invoices", "must be a number of at most 100 characters"),
				// Floods
				limit("items flood: JSON invoice with 10,001 items", "invoices.json",
						HostileFiles.aJsonInvoiceWithItems(10_001),
						"invoice 0 has more than 10000 items (esteira.invoices.limits.max-items)"),
				limit("items flood: NF-e with 10,002 det", "nfe.xml",
						nfe.replaceFirst("<det ", ("<det><prod><xProd>x</xProd><vProd>1.00</vProd></prod></det>")
							.repeat(10_000) + "<det "),
						"invoice 0 has more than 10000 items (esteira.invoices.limits.max-items)"),
				new Upload("records flood: 100,000 blank CSV rows (400,000 errors)", "invoices.csv",
						read(HostileFiles.aCsvOfBlankRows(100_000)), UploadStatus.REJECTED, "no valid invoices",
						"is required"),
				new Upload("field flood: one JSON invoice naming its amount 100,000 times", "invoices.json",
						read(new HostileFiles.Generated("[{\"number\": \"D-1\", \"customer\": \"ACME\", "
								+ "\"date\": \"2026-03-01\", \"amount\": 1", ", \"amount\": 1", 100_000, "}]")),
						UploadStatus.REJECTED, "no valid invoices", "more errors in this record, not listed"),
				// Encodings
				rejected("invalid UTF-8 in JSON", "invoices.json",
						concat(bytes("[{\"number\": \"U-1\", \"customer\": \""), INVALID_UTF8,
								bytes("\", \"amount\": 1, \"date\": \"2026-03-01\"}]")),
						"Not valid JSON"),
				rejected("invalid UTF-8 in NF-e XML", "nfe.xml",
						concat(bytes(nfe.substring(0, nfe.indexOf("Venda"))), INVALID_UTF8,
								bytes(nfe.substring(nfe.indexOf("Venda")))),
						"Not valid NF-e XML"),
				new Upload("invalid UTF-8 in CSV is read as Windows-1252", "invoices.csv",
						concat(bytes("numero;cliente;valor;data\nW-1;ACME "), INVALID_UTF8,
								bytes(";1,00;01/03/2026\n")),
						UploadStatus.COMPLETED, "1 accepted, 0 duplicates", null),
				new Upload("NUL character escaped in a JSON string", "invoices.json",
						bytes(jsonArray(invoice("Z-1", "AC\\u0000ME", "1.00", "2026-03-01"))), UploadStatus.REJECTED,
						"no valid invoices", "must not contain NUL characters"),
				new Upload("NUL byte in a CSV row after the first 8 KB", "invoices.csv",
						concat(bytes("numero;cliente;valor;data\n" + validCsvRows(400) + "P-0;A"), new byte[] { 0 },
								bytes("B;1,00;01/03/2026\n")),
						UploadStatus.COMPLETED_WITH_ERRORS, "400 accepted, 0 duplicates, 0 conflicts, 1 rejected",
						"must not contain NUL characters"),
				rejected("binary garbage named invoices.json", "invoices.json", binaryGarbage(), "binary"),
				rejected("PNG named nfe.xml", "nfe.xml",
						new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D',
								'R' },
						"binary"),
				rejected("empty file", "invoices.csv", "", "empty"),
				rejected("whitespace only", "invoices.json", " \n\t\r\n ", "empty"),
				// Byte-order marks
				new Upload("UTF-8 BOM before JSON", "invoices.json",
						concat(UTF8_BOM, bytes(jsonArray(invoice("B-1", "ACME", "1.00", "2026-03-01")))),
						UploadStatus.COMPLETED, "1 accepted, 0 duplicates", null),
				new Upload("UTF-8 BOM before NF-e XML", "nfe.xml", concat(UTF8_BOM, bytes(nfe)), UploadStatus.COMPLETED,
						"1 accepted, 0 duplicates", null),
				rejected("UTF-16 BOM and text", "invoices.json",
						concat(new byte[] { (byte) 0xFF, (byte) 0xFE },
								jsonArray(invoice("B-2", "ACME", "1.00", "2026-03-01"))
									.getBytes(StandardCharsets.UTF_16LE)),
						"binary"),
				rejected("two UTF-8 BOMs", "invoices.json",
						concat(UTF8_BOM, UTF8_BOM, bytes(jsonArray(invoice("B-3", "ACME", "1.00", "2026-03-01")))),
						"Not JSON, NF-e XML or CSV"),
				// Formulas
				new Upload("formula cells in CSV", "invoices.csv", bytes("""
						numero;cliente;valor;data
						F-1;=cmd|' /C calc'!A0;10,00;01/03/2026
						F-2;ACME;=HYPERLINK("http://x","y");01/03/2026
						F-3;ACME;@SUM(1+1);01/03/2026
						"""), UploadStatus.COMPLETED_WITH_ERRORS, "1 accepted, 0 duplicates, 0 conflicts, 2 rejected",
						"must be a decimal number"),
				// Truncated
				rejected("truncated JSON", "invoices.json", "[{\"number\": \"T-1\", \"customer\": \"AC",
						"Not valid JSON"),
				rejected("truncated NF-e XML", "nfe.xml", nfe.substring(0, nfe.length() / 2), "Not valid NF-e XML"),
				new Upload("truncated CSV: an unclosed quote takes the rest", "invoices.csv",
						bytes("numero;cliente;valor;data\nT-2;ACME;1,00;01/03/2026\nT-3;\"ACME;1,00;01/03/2026\n"),
						UploadStatus.COMPLETED_WITH_ERRORS, "1 accepted, 0 duplicates, 0 conflicts, 1 rejected",
						"is required"),
				// Wrong format for the name
				new Upload("CSV named nfe.xml is read as CSV", "nfe.xml",
						bytes("numero;cliente;valor;data\nX-1;ACME;1,00;01/03/2026\n"), UploadStatus.COMPLETED,
						"1 accepted, 0 duplicates", null),
				new Upload("NF-e XML named invoices.csv is read as XML", "invoices.csv",
						bytes(NfeFixtures.anNfe().withNumber("5678").xml()),
						UploadStatus.COMPLETED, "1 accepted, 0 duplicates", null),
				rejected("HTML page named invoices.xml", "invoices.xml",
						"<html><body><script>alert(1)</script></body></html>", "is not nfeProc or NFe"));
	}

	// Queue messages

	@Order(2)
	@ParameterizedTest(name = "queue: {0}")
	@MethodSource("messages")
	void hostileQueueMessageIsDeadLetteredOrDroppedWithoutARetryLoop(Message message) {
		if (message.deadLettered()) {
			await().atMost(PATIENCE).until(() -> this.pipeline.deadLetterBodies().contains(message.body()));
		}
		else {
			// Acknowledged, not retried: the queue settles without it in the dead-letter queue.
			await().atMost(PATIENCE).until(this.pipeline::invoicesQueueIsSettled);
			assertThat(this.pipeline.deadLetterBodies()).doesNotContain(message.body());
		}
		assertThat(this.jdbc.sql("SELECT count(*) FROM invoice_imports WHERE object_key NOT LIKE 'invoices/2026/03/%'")
			.query(Long.class)
			.single()).isZero();
	}

	static Stream<Message> messages() {
		String missingKey = s3Event(TestPipeline.UPLOADS_BUCKET, "invoices/2026/05/never-uploaded.json");
		return Stream.of(new Message("malformed JSON", "{\"Records\": [", true),
				new Message("JSON that is not an S3 event", "{\"hello\": \"world\"}", true),
				new Message("S3 event record without bucket and key", "{\"Records\": [{\"eventName\": "
						+ "\"ObjectCreated:Put\"}]}", true),
				new Message("oversized body: 200 KB of text", "x".repeat(200 * 1024), true),
				new Message("body of replacement characters", "\uFFFD\uFFFD\uFFFD", true),
				new Message("event for an unknown bucket", s3Event("someone-elses-bucket", "invoices/x.json"), false),
				new Message("event for an unknown key", missingKey, false),
				new Message("event with a path-traversal key (S3 refuses it: dropped)",
						s3Event(TestPipeline.UPLOADS_BUCKET, "invoices/..%2F..%2Fetc%2Fpasswd"), false),
				new Message("event with a 2,000-character key",
						s3Event(TestPipeline.UPLOADS_BUCKET, "invoices/" + "k".repeat(2000)), false),
				new Message("s3:TestEvent", "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\","
						+ "\"Time\":\"2026-03-01T00:00:00Z\",\"Bucket\":\"esteira-uploads\",\"RequestId\":\"X\","
						+ "\"HostId\":\"Y\"}", false),
				new Message("ObjectRemoved event", missingKey.replace("ObjectCreated:Put", "ObjectRemoved:Delete"),
						false));
	}

	@Order(3)
	@Test
	@DisplayName("queue: replayed event (5 deliveries, then one more) is imported once")
	void replayedEventIsImportedOnce() {
		UUID uploadId = UUID.randomUUID();
		S3ObjectEvent event = this.pipeline.upload("invoices/2026/04/" + uploadId + "/invoices.json",
				jsonArray(invoice("R-1", "ACME", "1.00", "2026-03-01"), invoice("R-2", "ACME", "2.00", "2026-03-01")),
				uploadId);

		for (int i = 0; i < 5; i++) {
			this.pipeline.announce(event);
		}
		this.pipeline.awaitFinalStatus(uploadId, PATIENCE);
		await().atMost(PATIENCE).until(this.pipeline::invoicesQueueIsSettled);
		this.pipeline.announce(event);
		await().atMost(PATIENCE).until(this.pipeline::invoicesQueueIsSettled);

		assertThat(this.pipeline.statusEvents(uploadId)).extracting(UploadStatusEvent::status)
			.containsExactly(UploadStatus.PROCESSING, UploadStatus.COMPLETED);
		assertThat(this.jdbc.sql("SELECT count(*) FROM invoices WHERE upload_id = ?")
			.param(uploadId)
			.query(Long.class)
			.single()).isEqualTo(2);
		assertThat(this.pipeline.deadLetterBodies()).noneMatch((body) -> body.contains(uploadId.toString()));
	}

	// REST

	@Order(4)
	@ParameterizedTest(name = "REST: {0}")
	@MethodSource("requests")
	void hostileRequestAnswersItsProblem(Request request) {
		TestApi.Response response = this.api.send(request.method(), request.path(), request.apiKey(),
				request.headers(), request.body());

		assertThat(response.status()).isEqualTo(request.status());
		if (request.problem() != null) {
			assertThat(response.contentType()).startsWith("application/problem+json");
			assertThat(response.body().get("type").asString())
				.isEqualTo("https://esteira.io/problems/" + request.problem());
		}
		if (request.status() == 200) {
			// The filter was taken as a value: it matches nothing, least of all every invoice.
			assertThat(response.body().get("content").size()).isZero();
		}
	}

	static Stream<Request> requests() {
		String reader = TestApiKeys.READER;
		return Stream.of(get("negative page", "/api/invoices?page=-1", 400, "invalid-request"),
				get("page size 0", "/api/invoices?size=0", 400, "invalid-request"),
				get("huge page size", "/api/invoices?size=1000000", 400, "invalid-request"),
				get("page size not a number", "/api/invoices?size=abc", 400, "invalid-request"),
				get("page beyond int", "/api/invoices?page=99999999999", 400, "invalid-request"),
				get("huge page number", "/api/invoices?page=2147483647&size=200", 400, "offset-paging-limit"),
				get("malformed cursor", "/api/invoices?cursor=!!!not-base64", 400, "invalid-request"),
				get("cursor that is not one of ours", "/api/invoices?cursor="
						+ Base64.getUrlEncoder().encodeToString("{\"issueDate\":\"x\"}".getBytes()), 400,
						"invalid-request"),
				get("cursor missing its fields", "/api/invoices?cursor="
						+ Base64.getUrlEncoder().withoutPadding().encodeToString("{}".getBytes()), 400,
						"invalid-request"),
				get("SQL injection in customer", "/api/invoices?customer=%27%20OR%201%3D1%20--", 200, null),
				get("LIKE wildcard as customer", "/api/invoices?customer=%25", 200, null),
				get("SQL injection in customerDocument",
						"/api/invoices?customerDocument=1%27%3B%20DROP%20TABLE%20invoices%3B%20--", 200, null),
				get("SQL injection in sort", "/api/invoices?sort=amount%3BDROP%20TABLE%20invoices", 400,
						"invalid-request"),
				get("huge minAmount", "/api/invoices?minAmount=1e999999999", 400, "invalid-request"),
				get("minAmount not a number", "/api/invoices?minAmount=NaN", 400, "invalid-request"),
				get("impossible date", "/api/invoices?from=2026-13-45", 400, "invalid-request"),
				get("date beyond the database's range", "/api/invoices?from=%2B999999999-01-01", 400,
						"invalid-request"),
				get("uploadId not a UUID", "/api/invoices?uploadId=1%20OR%201%3D1", 400, "invalid-request"),
				get("summary grouped by SQL", "/api/invoices/summary?groupBy=customer%3BDROP", 400,
						"invalid-request"),
				get("unknown invoice id", "/api/invoices/" + UUID.randomUUID(), 404, "invoice-not-found"),
				get("malformed invoice id", "/api/invoices/not-a-uuid", 400, "invalid-request"),
				get("path traversal as invoice id", "/api/invoices/..%2F..%2Fetc%2Fpasswd", 400, null),
				get("access key of letters", "/api/invoices/by-key/" + "A".repeat(44), 400, "invalid-request"),
				get("unknown import", "/api/imports/" + UUID.randomUUID(), 404, "import-not-found"),
				new Request("POST to the listing", "POST", "/api/invoices", reader, Map.of("Content-Type",
						"application/json"), "{\"number\": \"1\"}", 403, "insufficient-scope"),
				new Request("DELETE an invoice", "DELETE", "/api/invoices/" + UUID.randomUUID(), reader, Map.of(),
						null, 403, "insufficient-scope"),
				new Request("PUT XML to the listing", "PUT", "/api/invoices", reader,
						Map.of("Content-Type", "application/xml"), "<invoice/>", 403, "insufficient-scope"),
				new Request("asks for XML", "GET", "/api/invoices", reader, Map.of("Accept", "application/xml"), null,
						406, null),
				new Request("no API key", "GET", "/api/invoices", null, Map.of(), null, 401, "missing-api-key"),
				new Request("unknown API key", "GET", "/api/invoices", "' OR 1=1 --", Map.of(), null, 401,
						"missing-api-key"),
				new Request("key without the read scope", "GET", "/api/invoices", TestApiKeys.UPLOADER, Map.of(),
						null, 403, "insufficient-scope"));
	}

	// Cases

	/** A file uploaded to the bucket and announced, and how its import must end. */
	record Upload(String name, String fileName, byte[] content, UploadStatus status, String reason, String error) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	/** A message put on the invoices queue, and whether it must end in the dead-letter queue. */
	record Message(String name, String body, boolean deadLettered) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	/** A request, the status it must get and its problem type ({@code null}: not checked). */
	record Request(String name, String method, String path, String apiKey, Map<String, String> headers, String body,
			int status, String problem) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	private static Upload rejected(String name, String fileName, String content, String error) {
		return rejected(name, fileName, bytes(content), error);
	}

	private static Upload rejected(String name, String fileName, byte[] content, String error) {
		return new Upload(name, fileName, content, UploadStatus.REJECTED, "unsupported_format", error);
	}

	private static Upload limit(String name, String fileName, String content, String limit) {
		return limit(name, fileName, bytes(content), limit);
	}

	private static Upload limit(String name, String fileName, HostileFiles.Generated content, String limit) {
		return limit(name, fileName, read(content), limit);
	}

	private static Upload limit(String name, String fileName, byte[] content, String limit) {
		return new Upload(name, fileName, content, UploadStatus.REJECTED, "limit_exceeded: " + limit, limit);
	}

	private static Request get(String name, String path, int status, String problem) {
		return new Request(name, "GET", path, TestApiKeys.READER, Map.of(), null, status, problem);
	}

	private static String s3Event(String bucket, String key) {
		return "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\","
				+ "\"eventTime\":\"2026-03-01T00:00:00.000Z\",\"eventName\":\"ObjectCreated:Put\",\"s3\":{"
				+ "\"bucket\":{\"name\":\"" + bucket + "\"},\"object\":{\"key\":\"" + key + "\",\"size\":10,"
				+ "\"eTag\":\"0123abcd\",\"sequencer\":\"00AA\"}}}]}";
	}

	/** Three valid invoices, numbered for the {@code n}th case: each case's normal import. */
	private static String normalFile(int n) {
		return jsonArray(invoice("N" + n + "-1", "ACME Ltda", "1500.00", "2026-01-15"),
				invoice("N" + n + "-2", "ACME Ltda", "250.50", "2026-01-20"),
				invoice("N" + n + "-3", "Padaria Pão Quente", "89.90", "2026-01-10"));
	}

	private static String billionLaughs() {
		StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE NFe [<!ENTITY lol0 \"lol\">");
		for (int i = 1; i < 10; i++) {
			dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10))
				.append("\">");
		}
		return dtd.append("]><NFe><infNFe><ide><natOp>&lol9;</natOp></ide></infNFe></NFe>").toString();
	}

	/** Valid CSV rows; 400 push what follows past the first 8 KB, from which the format is told. */
	private static String validCsvRows(int rows) {
		StringBuilder csv = new StringBuilder();
		for (int i = 1; i <= rows; i++) {
			csv.append("P-").append(i).append(";ACME;1,00;01/03/2026\n");
		}
		return csv.toString();
	}

	private static byte[] binaryGarbage() {
		byte[] garbage = new byte[4096];
		new java.util.Random(16).nextBytes(garbage);
		garbage[0] = '[';
		garbage[1] = 0;
		return garbage;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			bytes.writeBytes(part);
		}
		return bytes.toByteArray();
	}

	private static byte[] read(HostileFiles.Generated file) {
		try (var in = file.open()) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
