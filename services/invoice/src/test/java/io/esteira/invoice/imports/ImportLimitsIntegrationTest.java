package io.esteira.invoice.imports;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.contracts.s3.S3ObjectEvent;
import io.esteira.invoice.HostileFiles;
import io.esteira.invoice.InvoiceFiles;
import io.esteira.invoice.InvoiceServiceTest;
import io.esteira.invoice.TestApi;
import io.esteira.invoice.TestApiKeys;
import io.esteira.invoice.TestPipeline;
import io.esteira.testkit.EsteiraInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile files through the whole import: refused at their limit, with the limit as the reason, while a normal import
 * beside them completes; the error report bounded and safe to open in a spreadsheet.
 */
@InvoiceServiceTest
class ImportLimitsIntegrationTest {

	private static final Duration PATIENCE = Duration.ofSeconds(60);

	private final TestPipeline pipeline = new TestPipeline();

	private final JdbcClient jdbc;

	private final TestApi api;

	ImportLimitsIntegrationTest(JdbcClient jdbc, @LocalServerPort int port) {
		this.jdbc = jdbc;
		this.api = new TestApi(port);
	}

	@BeforeEach
	void cleanSlate() {
		EsteiraInfrastructure.shared().purgeQueues();
		this.jdbc.sql("TRUNCATE invoices, invoice_imports").update();
	}

	@Test
	void hugeNfeTextNodeAndMillionItemInvoiceAreRejectedWhileANormalImportCompletes() {
		UUID nfeUpload = UUID.randomUUID();
		UUID itemsUpload = UUID.randomUUID();
		UUID normalUpload = UUID.randomUUID();
		// 200 MB and 12 MB, streamed into S3 as they are generated.
		S3ObjectEvent nfe = this.pipeline.upload("invoices/2026/03/" + nfeUpload + "/nfe.xml",
				HostileFiles.anNfeWithATextNodeOf(200_000_000), nfeUpload);
		S3ObjectEvent items = this.pipeline.upload("invoices/2026/03/" + itemsUpload + "/items.json",
				HostileFiles.aJsonInvoiceWithItems(1_000_000), itemsUpload);
		try {
			this.pipeline.announce(nfe);
			this.pipeline.announce(items);
			this.pipeline.announce(this.pipeline.upload("invoices/2026/03/" + normalUpload + "/invoices.json",
					InvoiceFiles.threeValidInvoices(), normalUpload));

			UploadStatusEvent nfeOutcome = this.pipeline.awaitFinalStatus(nfeUpload, PATIENCE);
			UploadStatusEvent itemsOutcome = this.pipeline.awaitFinalStatus(itemsUpload, PATIENCE);
			UploadStatusEvent normalOutcome = this.pipeline.awaitFinalStatus(normalUpload, PATIENCE);

			assertThat(nfeOutcome.status()).isEqualTo(UploadStatus.REJECTED);
			assertThat(nfeOutcome.outcome()).isEqualTo(StepOutcome.REJECTED);
			assertThat(nfeOutcome.reason()).isEqualTo("limit_exceeded: text node longer than 65536 characters "
					+ "(esteira.invoices.limits.max-text-length)");
			assertThat(itemsOutcome.status()).isEqualTo(UploadStatus.REJECTED);
			assertThat(itemsOutcome.reason()).isEqualTo(
					"limit_exceeded: invoice 0 has more than 10000 items (esteira.invoices.limits.max-items)");
			assertThat(normalOutcome.status()).isEqualTo(UploadStatus.COMPLETED);
			assertThat(normalOutcome.reason()).isEqualTo("3 accepted, 0 duplicates");
			JsonNode summary = this.api.get("/api/imports/" + nfeUpload, TestApiKeys.READER).body();
			assertThat(summary.get("status").asString()).isEqualTo("REJECTED");
			assertThat(summary.get("format").asString()).isEqualTo("XML");
			assertThat(summary.get("errors").get(0).get("message").asString())
				.isEqualTo("text node longer than 65536 characters (esteira.invoices.limits.max-text-length)");
			// Refused, not retried: each message was settled once, none went to the dead-letter queue.
			await().atMost(PATIENCE).until(this.pipeline::invoicesQueueIsSettled);
			assertThat(this.pipeline.deadLetters()).isZero();
			assertThat(this.pipeline.statusEvents(nfeUpload)).hasSize(2);
			assertThat(this.pipeline.statusEvents(itemsUpload)).hasSize(2);
			assertThat(this.jdbc.sql("SELECT count(*) FROM invoices").query(Long.class).single()).isEqualTo(3);
		}
		finally {
			this.pipeline.delete(nfe);
			this.pipeline.delete(items);
		}
	}

	@Test
	void blankRowCsvGivesAReportUnderItsCapEndingWithATruncationLine() {
		UUID uploadId = UUID.randomUUID();
		// 100,000 rows of ",,,": 400,000 "is required" errors.
		this.pipeline.announce(this.pipeline.upload("invoices/2026/03/" + uploadId + "/blank.csv",
				HostileFiles.aCsvOfBlankRows(100_000), uploadId));

		UploadStatusEvent outcome = this.pipeline.awaitFinalStatus(uploadId, PATIENCE);

		assertThat(outcome.status()).isEqualTo(UploadStatus.REJECTED);
		assertThat(outcome.reason()).isEqualTo("no valid invoices");
		JsonNode summary = this.api.get("/api/imports/" + uploadId, TestApiKeys.READER).body();
		assertThat(summary.get("totalErrors").asLong()).isEqualTo(400_001);
		String report = this.pipeline.errorReport(uploadId);
		List<CsvRecord> rows = CsvReader.builder().ofCsvRecord(report).stream().toList();
		assertThat(report.getBytes(StandardCharsets.UTF_8).length).isLessThan(4 * 1024 * 1024);
		// Header, the first 10,000 errors, the truncation line, why the file was rejected.
		assertThat(rows).hasSize(1 + 10_000 + 1 + 1);
		assertThat(rows.get(10_001).getField(5)).isEqualTo("error report truncated: 390000 more errors not listed; "
				+ "the report lists the first 10000 (esteira.invoices.error-report.max-errors)");
		assertThat(rows.getLast().getField(5)).isEqualTo("file rejected: no valid invoices");
	}

	@Test
	void formulaInARejectedAmountComesOutOfTheReportNeutralized() {
		UUID uploadId = UUID.randomUUID();
		this.pipeline.announce(this.pipeline.upload("invoices/2026/03/" + uploadId + "/formula.csv", """
				numero,cliente,valor,data
				1,ACME Ltda,10.00,01/03/2026
				2,ACME Ltda,"=HYPERLINK(""http://x"",""y"")",01/03/2026
				3,@SUM(1+1),-5,01/03/2026
				""", uploadId));

		UploadStatusEvent outcome = this.pipeline.awaitFinalStatus(uploadId, PATIENCE);

		assertThat(outcome.status()).isEqualTo(UploadStatus.COMPLETED_WITH_ERRORS);
		String report = this.pipeline.errorReport(uploadId);
		assertThat(report).contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"").contains(",valor,'-5,")
			.doesNotContain(",=HYPERLINK");
		assertThat(CsvReader.builder().ofCsvRecord(report).stream().skip(1))
			.allSatisfy((row) -> assertThat(row.getFields())
				.allSatisfy((cell) -> assertThat(cell).doesNotStartWith("=").doesNotStartWith("-")
					.doesNotStartWith("+").doesNotStartWith("@")));
	}

}
