package io.esteira.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.TestQueues;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.Message;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile input to ingest, one named case each: REST uploads, paths and queries, presign requests, callback URLs and
 * status queue messages. Each asserts its outcome (status and problem type, or the message's fate) and, after it,
 * that the service is still live and ready. The shared integration context is configured with a 1 MB image and a
 * 64 KB invoice limit ({@link IngestIntegrationTest}).
 */
@IngestIntegrationTest
class HostileIngestInputTest {

	private static final String PROBLEMS = "https://esteira.io/problems/";

	private static final String STATUS_QUEUE = "esteira-status";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final EsteiraInfrastructure INFRA = EsteiraInfrastructure.shared();

	private static final TestQueues QUEUES = new TestQueues(INFRA);

	private static final long INVOICE_LIMIT = 64 * 1024;

	private static final long IMAGE_LIMIT = 1024 * 1024;

	/** Markers of the messages that end in the dead-letter queue. */
	private static final String NOT_JSON = "hostile-not-json-" + UUID.randomUUID();

	private static final String WRONG_SHAPE = "hostile-wrong-shape-" + UUID.randomUUID();

	private static final String WRONG_FIELD_TYPE = "hostile-wrong-field-type-" + UUID.randomUUID();

	private static final String NO_IDS = "hostile-no-ids-" + UUID.randomUUID();

	private static final UploadStatusEvent OVERLONG_SERVICE = UploadStatusEvent.of(UUID.randomUUID(),
			"s".repeat(10_000), "thumbnail", StepOutcome.STARTED, UploadStatus.PROCESSING, null, Instant.now());

	@LocalServerPort
	private int port;

	private IngestApi api;

	/** Sent before the cases run, so the dead-letter cases overlap instead of waiting one after another. */
	@BeforeAll
	static void sendMessagesThatEndInTheDeadLetterQueue() {
		sendRaw("{this is not JSON " + NOT_JSON);
		sendRaw("[\"" + WRONG_SHAPE + "\", 1, 2]");
		sendRaw("{\"eventId\":\"" + UUID.randomUUID() + "\",\"uploadId\":\"" + UUID.randomUUID()
				+ "\",\"service\":\"" + WRONG_FIELD_TYPE + "\",\"step\":\"thumbnail\",\"outcome\":\"STARTED\","
				+ "\"attempt\":\"three\"}");
		sendRaw("{\"service\":\"" + NO_IDS + "\",\"step\":\"thumbnail\",\"outcome\":\"STARTED\",\"attempt\":1}");
		send(OVERLONG_SERVICE);
	}

	@BeforeEach
	void client() {
		this.api = new IngestApi(this.port);
	}

	@AfterEach
	void serviceIsStillHealthy() {
		assertThat(this.api.get(null, "/livez").status()).isEqualTo(200);
		assertThat(this.api.get(null, "/readyz").status()).isEqualTo(200);
	}

	/**
	 * A hostile request, the answer it must get, and anything more to check about it.
	 *
	 * @param problemType the problem's type after {@value #PROBLEMS}, {@code null} when the answer is not a problem of
	 * ours (a container or firewall rejection, or a success)
	 */
	record Rest(String name, Function<IngestApi, IngestApi.Response> attack, int status, String problemType,
			BiConsumer<IngestApi, IngestApi.Response> also) {

		Rest(String name, Function<IngestApi, IngestApi.Response> attack, int status, String problemType) {
			this(name, attack, status, problemType, (api, response) -> {
			});
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

	static Stream<Rest> restCases() {
		return Stream.of(
				// size per kind
				new Rest("invoice over the invoice limit (64 KB)",
						(api) -> api.upload(IngestApi.WRITER_KEY, "invoice", "big.json", anInvoiceOf(INVOICE_LIMIT + 1)),
						413, "upload-too-large", (api, response) -> {
							assertThat(response.body().path("kind").asString()).isEqualTo("invoice");
							assertThat(response.body().path("limitBytes").asLong()).isEqualTo(INVOICE_LIMIT);
							// the same size is fine for an image
							assertThat(api.upload(IngestApi.WRITER_KEY, "image", "same-size.jpg",
									aJpegOf(INVOICE_LIMIT + 1)).status()).isEqualTo(202);
						}),
				new Rest("image over the largest limit, refused while the form is read",
						(api) -> api.upload(IngestApi.WRITER_KEY, "image", "huge.jpg", aJpegOf(IMAGE_LIMIT + 1)),
						413, "upload-too-large",
						(api, response) -> assertThat(response.body().path("limitBytes").asLong())
							.isEqualTo(IMAGE_LIMIT)),
				new Rest("empty file", (api) -> api.upload(IngestApi.WRITER_KEY, "image", "empty.png", new byte[0]),
						400, "invalid-request"),
				// declared and real type
				new Rest("PNG bytes uploaded as an invoice",
						(api) -> api.upload(IngestApi.WRITER_KEY, "invoice", "invoice.json", TestFiles.aPng()), 415,
						"unsupported-media-type", detected("image/png")),
				new Rest("HTML page named photo.png",
						(api) -> api.upload(IngestApi.WRITER_KEY, "image", "photo.png", anHtmlPage()), 415,
						"unsupported-media-type", detected("text/html")),
				new Rest("SVG with a script as an image",
						(api) -> api.upload(IngestApi.WRITER_KEY, "image", "logo.png", anSvgWithScript()), 415,
						"unsupported-media-type", detected("image/svg+xml")),
				new Rest("PDF named invoices.csv as an invoice",
						(api) -> api.upload(IngestApi.WRITER_KEY, "invoice", "invoices.csv", TestFiles.aPdf()), 415,
						"unsupported-media-type", detected("application/pdf")),
				new Rest("JPEG with a ZIP appended (polyglot) is stored as the JPEG it starts as",
						(api) -> api.upload(IngestApi.WRITER_KEY, "image", "photo.zip", aJpegZipPolyglot()), 202, null,
						storedAs("image/jpeg", ".jpg")),
				new Rest("GIF header that is also JavaScript (polyglot) is stored as a GIF",
						(api) -> api.upload(IngestApi.WRITER_KEY, "image", "x.js", aGifScriptPolyglot()), 202, null,
						storedAs("image/gif", ".gif")),
				new Rest("XML invoice with an external entity is not resolved by ingest",
						(api) -> api.upload(IngestApi.WRITER_KEY, "invoice", "nfe.xml", anXmlWithExternalEntity()), 202,
						null, (api, response) -> {
							storedAs("application/xml", ".xml").accept(api, response);
							assertThat(TestNotifications.server()
								.findAll(WireMock.getRequestedFor(WireMock.urlEqualTo("/xxe")))).isEmpty();
						}),
				new Rest("XML invoice with nested entities (billion laughs) is not expanded by ingest",
						(api) -> api.upload(IngestApi.WRITER_KEY, "invoice", "nfe.xml", aBillionLaughs()), 202, null,
						storedAs("application/xml", ".xml")),
				// form fields
				new Rest("no file part", (api) -> api.upload(IngestApi.WRITER_KEY, "image", null, null), 400,
						"invalid-request", errorsName("file")),
				new Rest("no kind", (api) -> api.upload(IngestApi.WRITER_KEY, null, "p.png", TestFiles.aPng()), 400,
						"invalid-request", errorsName("kind")),
				new Rest("kind with path traversal",
						(api) -> api.upload(IngestApi.WRITER_KEY, "../../etc", "p.png", TestFiles.aPng()), 400,
						"invalid-request", errorsName("kind")),
				new Rest("customer e-mail over 254 characters",
						(api) -> upload(api, Map.of("customerEmail", "a".repeat(250) + "@example.com")), 400,
						"invalid-request", errorsName("customerEmail")),
				new Rest("customer phone over 32 characters",
						(api) -> upload(api, Map.of("customerPhone", "9".repeat(33))), 400, "invalid-request",
						errorsName("customerPhone")),
				new Rest("external reference over 200 characters",
						(api) -> upload(api, Map.of("externalRef", "r".repeat(201))), 400, "invalid-request",
						errorsName("externalRef")),
				new Rest("CRM contact id with SQL",
						(api) -> upload(api, Map.of("crmContactId", "1' OR '1'='1")), 400, "invalid-request",
						errorsName("crmContactId")),
				new Rest("callback URL over 2048 characters",
						(api) -> upload(api, Map.of("callbackUrl", "https://hooks.example.com/" + "a".repeat(2048))), 400,
						"invalid-request", errorsName("callbackUrl")),
				new Rest("path traversal in the file name keeps only its last segment",
						(api) -> api.upload(IngestApi.WRITER_KEY, "image", "../../../etc/passwd.png", TestFiles.aPng()),
						202, null, (api, response) -> {
							JsonNode upload = uploadOf(api, response);
							assertThat(upload.path("originalFilename").asString()).isEqualTo("passwd.png");
							assertThat(upload.path("objectKey").asString())
								.matches("images/\\d{4}/\\d{2}/\\d{2}/[0-9a-f-]{36}\\.png");
						}),
				new Rest("control characters in the file name are dropped",
						(api) -> api.upload(IngestApi.WRITER_KEY, "image", "a\u0007b\u001b[31mc\tx.png", TestFiles.aPng()),
						202, null, (api, response) -> assertThat(uploadOf(api, response).path("originalFilename")
							.asString()).isEqualTo("ab[31mcx.png")),
				// paths and queries
				new Rest("malformed upload id", (api) -> api.get(IngestApi.READER_KEY, "/api/uploads/not-a-uuid"), 400,
						"invalid-request"),
				new Rest("upload id of a shortened UUID form",
						(api) -> api.get(IngestApi.READER_KEY, "/api/uploads/1-2-3-4-5"), 404, "upload-not-found"),
				new Rest("encoded path traversal in the upload id",
						(api) -> api.raw("GET", "/api/uploads/..%2F..%2Fetc%2Fpasswd", IngestApi.READER_KEY, null, null),
						400, null),
				new Rest("encoded path traversal in a permalink",
						(api) -> api.raw("GET", "/files/" + UUID.randomUUID() + "/..%2F..%2Fsecret", null, null, null),
						400, null),
				new Rest("SQL injection in the customer filter finds nothing",
						(api) -> api.raw("GET", "/api/uploads?customer=" + encoded("' OR '1'='1' --"),
								IngestApi.READER_KEY, null, null),
						200, null, (api, response) -> assertThat(response.body().path("items").size()).isZero()),
				new Rest("customer filter of 10,000 characters",
						(api) -> api.raw("GET", "/api/uploads?customer=" + "x".repeat(10_000), IngestApi.READER_KEY,
								null, null),
						400, null),
				new Rest("unknown status in the filter",
						(api) -> api.raw("GET", "/api/uploads?status=" + encoded("DROP TABLE uploads"),
								IngestApi.READER_KEY, null, null),
						400, "invalid-request"),
				new Rest("limit over the maximum",
						(api) -> api.get(IngestApi.READER_KEY, "/api/uploads?limit=1000000"), 400, "invalid-request"),
				new Rest("negative limit", (api) -> api.get(IngestApi.READER_KEY, "/api/uploads?limit=-1"), 400,
						"invalid-request"),
				new Rest("limit beyond a long",
						(api) -> api.get(IngestApi.READER_KEY, "/api/uploads?limit=99999999999999999999999"), 400,
						"invalid-request"),
				new Rest("malformed cursor",
						(api) -> api.get(IngestApi.READER_KEY, "/api/uploads?cursor=not-a-cursor"), 400,
						"invalid-request"),
				new Rest("forged cursor of valid base64",
						(api) -> api.get(IngestApi.READER_KEY, "/api/uploads?cursor=" + Base64.getUrlEncoder()
							.encodeToString("2026-01-01T00:00:00Z|' OR 1=1".getBytes(StandardCharsets.UTF_8))),
						400, "invalid-request"),
				new Rest("instant that is not one",
						(api) -> api.get(IngestApi.READER_KEY, "/api/uploads?from=yesterday"), 400, "invalid-request"),
				// presign
				new Rest("presign of an invoice over its limit",
						(api) -> presign(api, "invoice", "application/json", "16777217"), 413, "upload-too-large",
						(api, response) -> assertThat(response.body().path("limitBytes").asLong())
							.isEqualTo(16 * 1024 * 1024)),
				new Rest("presign of the largest long",
						(api) -> presign(api, "image", "image/png", Long.toString(Long.MAX_VALUE)), 413,
						"upload-too-large"),
				new Rest("presign of a negative size", (api) -> presign(api, "image", "image/png", "-1"), 400,
						"invalid-request"),
				new Rest("presign of a size beyond a long",
						(api) -> presign(api, "image", "image/png", "99999999999999999999999"), 400, "invalid-request"),
				new Rest("presign of an SVG image", (api) -> presign(api, "image", "image/svg+xml", "1000"), 415,
						"unsupported-media-type"),
				new Rest("presign of an HTML invoice", (api) -> presign(api, "invoice", "text/html", "1000"), 415,
						"unsupported-media-type"),
				new Rest("presign content type with a header injected",
						(api) -> presign(api, "image", "image/png\\r\\nX-Amz-Acl: public-read", "1000"), 415,
						"unsupported-media-type"),
				new Rest("presign body of 100 KB", (api) -> api.raw("POST", "/api/uploads/presign",
						IngestApi.WRITER_KEY, "application/json", aJsonBodyOf(100 * 1024)), 413, "request-too-large"),
				new Rest("presign body of 100 KB sent chunked", (api) -> api.rawChunked("POST", "/api/uploads/presign",
						IngestApi.WRITER_KEY, "application/json", aJsonBodyOf(100 * 1024)), 400, "invalid-request"),
				new Rest("presign body nested 5,000 deep",
						(api) -> api.raw("POST", "/api/uploads/presign", IngestApi.WRITER_KEY, "application/json",
								("{\"kind\":\"image\",\"pad\":" + "[".repeat(5000) + "]".repeat(5000) + "}")
									.getBytes(StandardCharsets.US_ASCII)),
						400, "invalid-request"),
				new Rest("presign body that is not JSON",
						(api) -> api.raw("POST", "/api/uploads/presign", IngestApi.WRITER_KEY, "application/json",
								"{\"kind\": \"image\", ".getBytes(StandardCharsets.US_ASCII)),
						400, "invalid-request"),
				// admin
				new Rest("foreign object key with path traversal",
						(api) -> api.postJson(IngestApi.ADMIN_KEY, "/api/admin/objects",
								Map.of("key", "../../etc/passwd")),
						400, "invalid-request"),
				new Rest("foreign object key over 1024 characters",
						(api) -> api.postJson(IngestApi.ADMIN_KEY, "/api/admin/objects",
								Map.of("key", "images/" + "k".repeat(1024))),
						400, "invalid-request"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("restCases")
	void hostileRequestIsAnsweredWithItsProblem(Rest hostile) {
		IngestApi.Response response = hostile.attack().apply(this.api);

		assertThat(response.status()).as(response.text()).isEqualTo(hostile.status());
		if (hostile.problemType() != null) {
			assertThat(response.header("Content-Type")).startsWith("application/problem+json");
			assertThat(response.body().path("type").asString()).isEqualTo(PROBLEMS + hostile.problemType());
		}
		hostile.also().accept(this.api, response);
	}

	@ParameterizedTest(name = "callback to {0} is refused at registration ({1})")
	@CsvSource(delimiter = '|', value = { "https://10.0.0.1/|is a private (RFC 1918) address",
			"https://[::1]/|is a loopback address",
			"https://169.254.169.254/latest/meta-data/|is a cloud metadata address",
			"https://" + TestCallbackResolver.LOOPBACK_HOST + "/hook|resolves to 127.0.0.1, which is a loopback",
			"https://192.168.0.10/|private (RFC 1918)", "https://172.20.1.1/|private (RFC 1918)",
			"https://100.64.12.34/|carrier-grade NAT", "https://[fd00::1]/|unique-local",
			"https://[fe80::1]/|link-local", "https://224.0.0.1/|multicast", "https://255.255.255.255/|broadcast",
			"https://0.0.0.0/|this-network", "https://[::ffff:127.0.0.1]/|loopback",
			"https://[fd00:ec2::254]/|cloud metadata", "https://127.0.0.1:8080/admin|loopback",
			"https://2130706433/|resolves to 127.0.0.1, which is a loopback",
			"http://" + TestCallbackResolver.PUBLIC_HOST + "/hook|must use https",
			"https://user:secret@" + TestCallbackResolver.PUBLIC_HOST + "/|no user info",
			"javascript:alert(1)|absolute URL" })
	void callbackThatWouldReachInsideOrIsMalformedIsRefused(String callbackUrl, String why) {
		String marker = "hostile-" + UUID.randomUUID();

		IngestApi.Response refused = this.api.upload(IngestApi.WRITER_KEY, "image", "p.png", TestFiles.aPng(),
				Map.of("callbackUrl", callbackUrl, "externalRef", marker));

		assertThat(refused.status()).as(refused.text()).isEqualTo(400);
		assertThat(refused.body().path("type").asString()).isEqualTo(PROBLEMS + "invalid-request");
		assertThat(refused.body().path("detail").asString()).startsWith("callbackUrl: ").contains(why);
		assertThat(this.api.get(IngestApi.READER_KEY, "/api/uploads?customer=" + marker).body().path("items").size())
			.as("no upload registered").isZero();
	}

	@Test
	void presignWithACallbackInsideIsRefused() {
		IngestApi.Response refused = this.api.postJson(IngestApi.WRITER_KEY, "/api/uploads/presign",
				Map.of("kind", "image", "contentType", "image/png", "sizeBytes", 1000, "callbackUrl",
						"https://169.254.169.254/latest/api/token"));

		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.body().path("detail").asString()).contains("cloud metadata");
	}

	@Test
	void statusMessageThatIsNotJsonEndsInTheDeadLetterQueue() {
		awaitDeadLettered(NOT_JSON);
	}

	@Test
	void statusMessageOfTheWrongShapeEndsInTheDeadLetterQueue() {
		awaitDeadLettered(WRONG_SHAPE);
	}

	@Test
	void statusMessageWithAFieldOfTheWrongTypeEndsInTheDeadLetterQueue() {
		awaitDeadLettered(WRONG_FIELD_TYPE);
	}

	@Test
	void statusMessageWithoutIdsEndsInTheDeadLetterQueue() {
		awaitDeadLettered(NO_IDS);
	}

	@Test
	void statusMessageWithAnOverlongServiceNameEndsInTheDeadLetterQueue() {
		awaitDeadLettered(OVERLONG_SERVICE.eventId().toString());
	}

	@Test
	void oversizedStatusReasonIsCutNotStoredWhole() {
		UUID id = anUpload();
		send(UploadStatusEvent.of(id, "image-processing", "thumbnail", StepOutcome.REJECTED, UploadStatus.REJECTED,
				"x".repeat(200_000), Instant.now()));

		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(upload(id).path("status").asString()).isEqualTo("REJECTED"));
		String reason = upload(id).path("steps").get(1).path("reason").asString();
		assertThat(reason).hasSizeLessThan(2100).endsWith("(198000 more characters cut)");
	}

	@Test
	void statusReportForAnUnknownUploadIsDroppedWithoutRetry() {
		UUID unknown = UUID.randomUUID();
		send(UploadStatusEvent.of(unknown, "image-processing", "thumbnail", StepOutcome.SUCCEEDED,
				UploadStatus.COMPLETED, null, Instant.now()));

		await().atMost(Duration.ofSeconds(15)).until(() -> QUEUES.isSettled(STATUS_QUEUE));
		assertThat(this.api.get(IngestApi.READER_KEY, "/api/uploads/" + unknown).status()).isEqualTo(404);
		assertThat(deadLettered(unknown.toString())).isFalse();
	}

	@Test
	void statusReportNamingAnotherBucketsObjectRegistersNothing() {
		String key = "images/partner/" + UUID.randomUUID() + ".png";
		INFRA.s3Client()
			.putObject((put) -> put.bucket(EsteiraInfrastructure.NAMES.uploadsBucket()).key(key),
					RequestBody.fromBytes(TestFiles.aPng()));
		UUID claimed = UUID.randomUUID();
		send(UploadStatusEvent.of(claimed, "image-processing", "thumbnail", StepOutcome.STARTED,
				UploadStatus.PROCESSING, null, Instant.now()).forObject("someone-elses-bucket", key));

		await().atMost(Duration.ofSeconds(15)).until(() -> QUEUES.isSettled(STATUS_QUEUE));
		assertThat(this.api.get(IngestApi.READER_KEY, "/api/uploads/" + claimed).status()).isEqualTo(404);
	}

	@Test
	void replayedStatusReportIsRecordedOnce() {
		UUID id = anUpload();
		UploadStatusEvent started = UploadStatusEvent.of(id, "image-processing", "thumbnail", StepOutcome.STARTED,
				UploadStatus.PROCESSING, null, Instant.now());

		send(started);
		send(started);
		send(started);

		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(upload(id).path("status").asString()).isEqualTo("PROCESSING"));
		await().atMost(Duration.ofSeconds(15)).until(() -> QUEUES.isSettled(STATUS_QUEUE));
		assertThat(TestNotifications.stepsNamed(upload(id), "thumbnail")).isEqualTo(1);
	}

	@Test
	void replayedEarlierStatusCannotReopenAFinishedUpload() {
		UUID id = anUpload();
		Instant now = Instant.now();
		UploadStatusEvent processing = UploadStatusEvent.of(id, "image-processing", "thumbnail", StepOutcome.STARTED,
				UploadStatus.PROCESSING, null, now);
		send(processing);
		send(UploadStatusEvent.of(id, "crm-sync", "crm-sync", StepOutcome.SUCCEEDED, UploadStatus.COMPLETED, "done",
				now.plusMillis(10)));
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(upload(id).path("status").asString()).isEqualTo("COMPLETED"));

		// the same report again, and a copy of it under a new event id
		send(processing);
		send(UploadStatusEvent.of(id, "image-processing", "thumbnail", StepOutcome.STARTED, UploadStatus.PROCESSING,
				null, now.plusMillis(20)));

		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(TestNotifications.stepsNamed(upload(id), "thumbnail")).isEqualTo(2));
		assertThat(upload(id).path("status").asString()).isEqualTo("COMPLETED");
	}

	// fixtures

	/** A JPEG padded after its end to exactly {@code bytes} bytes. */
	static byte[] aJpegOf(long bytes) {
		return Arrays.copyOf(TestFiles.aJpeg(), (int) bytes);
	}

	/** A JSON invoice array of at least {@code bytes} bytes. */
	static byte[] anInvoiceOf(long bytes) {
		String padding = "x".repeat((int) bytes);
		return ("[{\"number\": \"NF-1\", \"total\": \"1.00\", \"note\": \"" + padding + "\"}]")
			.getBytes(StandardCharsets.UTF_8);
	}

	static byte[] anHtmlPage() {
		return "<!DOCTYPE html><html><head><title>x</title></head><body><script>alert(document.cookie)</script>"
			.concat("</body></html>")
			.getBytes(StandardCharsets.UTF_8);
	}

	static byte[] anSvgWithScript() {
		return "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
			.getBytes(StandardCharsets.UTF_8);
	}

	/** A JPEG with a ZIP archive (holding an HTML page) appended: valid as both. */
	static byte[] aJpegZipPolyglot() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(TestFiles.aJpeg());
		try (ZipOutputStream zip = new ZipOutputStream(out)) {
			zip.putNextEntry(new ZipEntry("index.html"));
			zip.write(anHtmlPage());
			zip.closeEntry();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	/** {@code GIF89a} followed by JavaScript: a GIF header to a sniffer, a script to a browser. */
	static byte[] aGifScriptPolyglot() {
		return "GIF89a/*\u0001\u0000\u0001\u0000\u0000\u0000\u0000*/=1;alert(document.domain);"
			.getBytes(StandardCharsets.ISO_8859_1);
	}

	/** An XML document whose entity points at the test kit's WireMock (a request there would be SSRF). */
	static byte[] anXmlWithExternalEntity() {
		return ("<?xml version=\"1.0\"?><!DOCTYPE nfeProc [<!ENTITY xxe SYSTEM \"" + TestNotifications.baseUrl()
				+ "/xxe\">]><nfeProc xmlns=\"http://www.portalfiscal.inf.br/nfe\"><x>&xxe;</x></nfeProc>")
			.getBytes(StandardCharsets.UTF_8);
	}

	static byte[] aBillionLaughs() {
		StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol0 \"lol\">");
		for (int i = 1; i < 10; i++) {
			xml.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
		}
		return xml.append("]><lolz>&lol9;</lolz>").toString().getBytes(StandardCharsets.UTF_8);
	}

	/** A presign request body with a padding field, of about {@code bytes} bytes. */
	static byte[] aJsonBodyOf(int bytes) {
		return ("{\"kind\":\"image\",\"contentType\":\"image/png\",\"sizeBytes\":1000,\"filename\":\"" + "f".repeat(bytes)
				+ "\"}")
			.getBytes(StandardCharsets.UTF_8);
	}

	// helpers

	private static IngestApi.Response upload(IngestApi api, Map<String, String> fields) {
		return api.upload(IngestApi.WRITER_KEY, "image", "p.png", TestFiles.aPng(), fields);
	}

	/** A presign request written by hand, so numbers and strings go exactly as given. */
	private static IngestApi.Response presign(IngestApi api, String kind, String contentType, String sizeBytes) {
		String body = "{\"kind\":\"" + kind + "\",\"contentType\":\"" + contentType + "\",\"sizeBytes\":" + sizeBytes
				+ "}";
		return api.raw("POST", "/api/uploads/presign", IngestApi.WRITER_KEY, "application/json",
				body.getBytes(StandardCharsets.UTF_8));
	}

	private static BiConsumer<IngestApi, IngestApi.Response> detected(String type) {
		return (api, response) -> assertThat(response.body().path("detectedType").asString()).isEqualTo(type);
	}

	private static BiConsumer<IngestApi, IngestApi.Response> errorsName(String field) {
		return (api, response) -> assertThat(response.body().path("errors").toString()).contains(field);
	}

	private static BiConsumer<IngestApi, IngestApi.Response> storedAs(String contentType, String extension) {
		return (api, response) -> {
			JsonNode upload = uploadOf(api, response);
			assertThat(upload.path("contentType").asString()).isEqualTo(contentType);
			assertThat(upload.path("objectKey").asString()).endsWith(extension);
		};
	}

	private static JsonNode uploadOf(IngestApi api, IngestApi.Response accepted) {
		return api.get(IngestApi.READER_KEY, "/api/uploads/" + accepted.body().path("id").asString()).body();
	}

	private static String encoded(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private UUID anUpload() {
		IngestApi.Response accepted = this.api.upload(IngestApi.WRITER_KEY, "image", "p.png", TestFiles.aPng());
		assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
		return UUID.fromString(accepted.body().path("id").asString());
	}

	private JsonNode upload(UUID id) {
		return this.api.get(IngestApi.READER_KEY, "/api/uploads/" + id).body();
	}

	private static void send(UploadStatusEvent event) {
		sendRaw(JSON.writeValueAsString(event));
	}

	private static void sendRaw(String body) {
		INFRA.sqsClient().sendMessage((send) -> send.queueUrl(INFRA.queueUrl(STATUS_QUEUE)).messageBody(body));
	}

	private static void awaitDeadLettered(String marker) {
		await().atMost(Duration.ofSeconds(40)).until(() -> deadLettered(marker));
	}

	/** Whether a message mentioning {@code marker} is in the status queue's dead-letter queue (left visible). */
	private static boolean deadLettered(String marker) {
		String dlq = INFRA.deadLetterQueueUrl(STATUS_QUEUE);
		for (int i = 0; i < 3; i++) {
			for (Message message : INFRA.sqsClient()
				.receiveMessage((receive) -> receive.queueUrl(dlq).maxNumberOfMessages(10).visibilityTimeout(0))
				.messages()) {
				if (message.body().contains(marker)) {
					return true;
				}
			}
		}
		return false;
	}

}
