package io.esteira.invoice.imports;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.esteira.invoice.InvoiceServiceTest;
import io.esteira.invoice.NfeFixtures;
import io.esteira.invoice.TestApi;
import io.esteira.invoice.TestApiKeys;
import io.esteira.invoice.TestPipeline;
import io.esteira.contracts.event.UploadMetadata;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.esteira.invoice.NfeFixtures.anNfe;
import static org.assertj.core.api.Assertions.assertThat;

/** CSV and NF-e XML imports end to end, the error report in the output bucket and all-or-nothing feeds. */
@InvoiceServiceTest
class BrazilianImportIntegrationTest {

	private static final Duration PATIENCE = Duration.ofSeconds(20);

	private final TestPipeline pipeline = new TestPipeline();

	private final JdbcClient jdbc;

	private final TestApi api;

	BrazilianImportIntegrationTest(JdbcClient jdbc, @LocalServerPort int port) {
		this.jdbc = jdbc;
		this.api = new TestApi(port);
	}

	@BeforeEach
	void cleanSlate() {
		this.pipeline.settleAndPurgeQueues();
		this.jdbc.sql("TRUNCATE invoices, invoice_imports").update();
	}

	@Test
	void latin1SemicolonCsvIsImportedAndFoundByCustomerDocument() {
		UUID uploadId = UUID.randomUUID();
		byte[] csv = """
				número;série;cliente;cpf/cnpj;valor;data de emissão;vencimento
				1001;1;Padaria Pão de Açúcar;529.982.247-25;1.234,56;05/03/2026;05/04/2026
				1002;1;"Oficina do Zé; filial";12.ABC.345/01DE-35;99,90;2026-03-06;
				""".getBytes(Charset.forName("windows-1252"));
		upload("invoices/2026/03/" + uploadId + "/export.csv", csv, uploadId);

		UploadStatusEvent outcome = awaitFinalStatus(uploadId);

		assertThat(outcome.status()).isEqualTo(UploadStatus.COMPLETED);
		assertThat(outcome.reason()).isEqualTo("2 accepted, 0 duplicates");
		JsonNode byCpf = this.api.get("/api/invoices?count=true&customerDocument=529.982.247-25", TestApiKeys.READER).body();
		assertThat(byCpf.get("totalElements").asInt()).isEqualTo(1);
		assertThat(byCpf.get("content").get(0).get("customer").asString()).isEqualTo("Padaria Pão de Açúcar");
		assertThat(byCpf.get("content").get(0).get("amount").decimalValue()).isEqualByComparingTo("1234.56");
		assertThat(byCpf.get("content").get(0).get("dueDate").asString()).isEqualTo("2026-04-05");
		JsonNode byAmount = this.api.get("/api/invoices?count=true&minAmount=50&maxAmount=100&uploadId=" + uploadId,
				TestApiKeys.READER).body();
		assertThat(byAmount.get("content").get(0).get("customerDocument").asString()).isEqualTo("12ABC34501DE35");
		assertThat(byAmount.get("totalElements").asInt()).isEqualTo(1);
		JsonNode summary = this.api.get("/api/invoices/imports/" + uploadId, TestApiKeys.READER).body();
		assertThat(summary.get("format").asString()).isEqualTo("CSV");
		assertThat(summary.get("durationMillis").asLong()).isNotNegative();
	}

	@Test
	void authorisedNfeIsStoredOnceAndServedByItsAccessKeyWithItems() {
		UUID first = UUID.randomUUID();
		upload("invoices/2026/03/" + first + "/nfe.xml", anNfe().xml().getBytes(StandardCharsets.UTF_8), first);
		assertThat(awaitFinalStatus(first).reason()).isEqualTo("1 accepted, 0 duplicates");

		UUID again = UUID.randomUUID();
		upload("invoices/2026/03/" + again + "/same-nfe.xml", anNfe().xml().getBytes(StandardCharsets.UTF_8), again);
		assertThat(awaitFinalStatus(again).reason()).isEqualTo("0 accepted, 1 duplicates");
		assertThat(this.jdbc.sql("SELECT count(*) FROM invoices").query(Long.class).single()).isEqualTo(1);

		TestApi.Response nfe = this.api.get("/api/invoices/by-key/" + anNfe().accessKey(), TestApiKeys.READER);
		assertThat(nfe.status()).isEqualTo(200);
		assertThat(nfe.body().get("issuerKey").asString()).isEqualTo(NfeFixtures.ISSUER_CNPJ);
		assertThat(nfe.body().get("authorizationStatus").asString()).isEqualTo("100");
		assertThat(nfe.body().get("items")).hasSize(2);
		assertThat(nfe.body().get("items").get(0).get("description").asString()).isEqualTo("Parafuso M6");
		assertThat(nfe.body().get("items").get(1).get("total").decimalValue()).isEqualByComparingTo("1000.00");
		String id = nfe.body().get("id").asString();
		assertThat(this.api.get("/api/invoices/" + id, TestApiKeys.READER).body().get("items")).hasSize(2);

		TestApi.Response unknown = this.api.get("/api/invoices/by-key/" + "1".repeat(44), TestApiKeys.READER);
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.body().get("type").asString()).isEqualTo("https://esteira.io/problems/invoice-not-found");
		assertThat(this.api.get("/api/invoices/by-key/123", TestApiKeys.READER).status()).isEqualTo(400);
	}

	@Test
	void nfeWithTheSameKeyAndOtherContentIsAConflict() {
		UUID first = UUID.randomUUID();
		upload("invoices/2026/03/" + first + "/nfe.xml", anNfe().xml().getBytes(StandardCharsets.UTF_8), first);
		awaitFinalStatus(first);

		UUID changed = UUID.randomUUID();
		String otherAmount = anNfe().xml().replace("<vNF>1500.00</vNF>", "<vNF>1400.00</vNF>");
		upload("invoices/2026/03/" + changed + "/nfe.xml", otherAmount.getBytes(StandardCharsets.UTF_8), changed);

		UploadStatusEvent outcome = awaitFinalStatus(changed);
		assertThat(outcome.status()).isEqualTo(UploadStatus.COMPLETED_WITH_ERRORS);
		assertThat(outcome.reason()).isEqualTo("0 accepted, 0 duplicates, 1 conflicts, 0 rejected");
		assertThat(this.jdbc.sql("SELECT amount::text FROM invoices").query(String.class).single()).isEqualTo("1500.00");
	}

	@Test
	void nfeWithABadCheckDigitIsRejectedNamingTheXmlPath() {
		UUID uploadId = UUID.randomUUID();
		upload("invoices/2026/03/" + uploadId + "/nfe.xml",
				NfeFixtures.anNfeWithBadCheckDigit().getBytes(StandardCharsets.UTF_8), uploadId);

		UploadStatusEvent outcome = awaitFinalStatus(uploadId);

		assertThat(outcome.status()).isEqualTo(UploadStatus.REJECTED);
		assertThat(outcome.reason()).isEqualTo("no valid invoices");
		JsonNode error = this.api.get("/api/invoices/imports/" + uploadId, TestApiKeys.READER)
			.body()
			.get("errors")
			.get(0);
		assertThat(error.get("path").asString()).isEqualTo("/nfeProc/NFe/infNFe/@Id");
		assertThat(error.get("message").asString()).isEqualTo("has a wrong check digit");
	}

	@Test
	void xxeAttemptIsRejectedAsUnsupportedFormat() {
		UUID uploadId = UUID.randomUUID();
		upload("invoices/2026/03/" + uploadId + "/nfe.xml",
				NfeFixtures.anNfeWithAnXxePayload().getBytes(StandardCharsets.UTF_8), uploadId);

		UploadStatusEvent outcome = awaitFinalStatus(uploadId);

		assertThat(outcome.status()).isEqualTo(UploadStatus.REJECTED);
		assertThat(outcome.reason()).isEqualTo("unsupported_format");
		assertThat(this.jdbc.sql("SELECT count(*) FROM invoices").query(Long.class).single()).isZero();
	}

	@Test
	void errorReportInTheOutputBucketHasEveryErrorWhileTheSummaryKeepsTheFirstThousand() {
		UUID uploadId = UUID.randomUUID();
		StringBuilder csv = new StringBuilder("numero;cliente;valor;data\n1;ACME;10,00;01/03/2026\n");
		for (int i = 2; i <= 1201; i++) {
			csv.append(i).append(";ACME;0;01/03/2026\n");
		}
		upload("invoices/2026/03/" + uploadId + "/big.csv", csv.toString().getBytes(StandardCharsets.UTF_8),
				uploadId);

		UploadStatusEvent outcome = awaitFinalStatus(uploadId);

		assertThat(outcome.reason()).isEqualTo("1 accepted, 0 duplicates, 0 conflicts, 1200 rejected");
		JsonNode summary = this.api.get("/api/invoices/imports/" + uploadId, TestApiKeys.READER).body();
		assertThat(summary.get("errors")).hasSize(1000);
		assertThat(summary.get("totalErrors").asLong()).isEqualTo(1200);
		String reportKey = summary.get("errorReportKey").asString();
		assertThat(reportKey).isEqualTo("reports/invoices/" + uploadId + "/errors.csv");
		String report = EsteiraInfrastructure.shared()
			.s3Client()
			.getObjectAsBytes((request) -> request.bucket("esteira-output").key(reportKey))
			.asUtf8String();
		String[] lines = report.split("\r?\n");
		assertThat(lines).hasSize(1201);
		assertThat(lines[0]).isEqualTo("index,line,path,field,value,message");
		assertThat(lines[1200]).isEqualTo("1200,1202,,valor,0,must be greater than 0");
	}

	@Test
	void allOrNothingFeedStoresNothingWhenOneRecordFails() {
		UUID uploadId = UUID.randomUUID();
		String json = """
				[{"numero": "1", "cliente": "ACME", "valor": 10, "data": "2026-03-01"},
				 {"numero": "2", "cliente": "ACME", "valor": 10, "data": "2026-03-01", "cnpj": "11222333000182"}]
				""";
		upload(InvoiceServiceTest.STRICT_FEED + uploadId + "/feed.json", json.getBytes(StandardCharsets.UTF_8),
				uploadId);

		UploadStatusEvent outcome = awaitFinalStatus(uploadId);

		assertThat(outcome.status()).isEqualTo(UploadStatus.REJECTED);
		assertThat(outcome.reason())
			.isEqualTo("all_or_nothing: 0 accepted, 0 duplicates, 0 conflicts, 1 rejected; nothing stored");
		assertThat(this.jdbc.sql("SELECT count(*) FROM invoices").query(Long.class).single()).isZero();

		UUID fixed = UUID.randomUUID();
		upload(InvoiceServiceTest.STRICT_FEED + fixed + "/feed.json",
				json.replace("11222333000182", "11222333000181").getBytes(StandardCharsets.UTF_8), fixed);
		assertThat(awaitFinalStatus(fixed).status()).isEqualTo(UploadStatus.COMPLETED);
		assertThat(this.jdbc.sql("SELECT count(*) FROM invoices").query(Long.class).single()).isEqualTo(2);
	}

	private void upload(String key, byte[] content, UUID uploadId) {
		this.pipeline.announce(this.pipeline.put(TestPipeline.UPLOADS_BUCKET, key, content,
				Map.of(UploadMetadata.UPLOAD_ID, uploadId.toString(), UploadMetadata.KIND, "invoice")));
	}

	private UploadStatusEvent awaitFinalStatus(UUID uploadId) {
		return this.pipeline.awaitFinalStatus(uploadId, PATIENCE);
	}

}
