package io.esteira.invoice.imports;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.esteira.invoice.InvoiceFiles;
import io.esteira.invoice.InvoiceServiceTest;
import io.esteira.invoice.TestApi;
import io.esteira.invoice.TestApiKeys;
import io.esteira.invoice.TestPipeline;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.contracts.s3.S3ObjectEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.esteira.invoice.InvoiceFiles.invoice;
import static io.esteira.invoice.InvoiceFiles.jsonArray;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/** The import path end to end: a file in the uploads bucket, its S3 event on the queue, rows, summary, status. */
@InvoiceServiceTest
class InvoiceImportIntegrationTest {

	private static final Duration PATIENCE = Duration.ofSeconds(20);

	private final TestPipeline pipeline = new TestPipeline();

	private final JdbcClient jdbc;

	private final TestApi api;

	InvoiceImportIntegrationTest(JdbcClient jdbc, @LocalServerPort int port) {
		this.jdbc = jdbc;
		this.api = new TestApi(port);
	}

	@BeforeEach
	void cleanSlate() {
		// Let the previous test's acknowledgements (sent in batches) land before their messages are purged.
		this.pipeline.settleAndPurgeQueues();
		this.jdbc.sql("TRUNCATE invoices, invoice_imports").update();
	}

	@Test
	void importedInvoicesAreServedWithTheirSummaryAndACompletedStatus() {
		UUID uploadId = UUID.randomUUID();
		this.pipeline.announce(this.pipeline.upload(invoiceKey(uploadId), InvoiceFiles.threeValidInvoices(), uploadId));

		UploadStatusEvent completed = awaitFinalStatus(uploadId);

		assertThat(completed.status()).isEqualTo(UploadStatus.COMPLETED);
		assertThat(completed.outcome()).isEqualTo(StepOutcome.SUCCEEDED);
		assertThat(completed.step()).isEqualTo("invoice-import");
		assertThat(completed.service()).isEqualTo("invoice");
		assertThat(completed.reason()).isEqualTo("3 accepted, 0 duplicates");
		assertThat(this.pipeline.statusEvents(uploadId)).extracting(UploadStatusEvent::step, UploadStatusEvent::status)
			.containsExactly(tuple("invoice-import", UploadStatus.PROCESSING),
					tuple("invoice-import", UploadStatus.COMPLETED));

		TestApi.Response invoices = this.api.get("/api/invoices?count=true", TestApiKeys.READER);
		assertThat(invoices.status()).isEqualTo(200);
		assertThat(invoices.body().get("totalElements").asInt()).isEqualTo(3);
		JsonNode first = invoices.body().get("content").get(0);
		assertThat(first.get("number").asString()).isEqualTo("1002");
		assertThat(first.get("customer").asString()).isEqualTo("ACME Ltda");
		assertThat(first.get("amount").decimalValue()).isEqualByComparingTo("250.50");
		assertThat(first.get("currency").asString()).isEqualTo("BRL");
		assertThat(first.get("series").asString()).isEqualTo("1");
		assertThat(first.get("issueDate").asString()).isEqualTo("2026-01-20");
		assertThat(first.get("uploadId").asString()).isEqualTo(uploadId.toString());

		TestApi.Response summary = this.api.get("/api/invoices/imports/" + uploadId, TestApiKeys.READER);
		assertThat(summary.status()).isEqualTo(200);
		assertThat(summary.body().get("status").asString()).isEqualTo("COMPLETED");
		assertThat(summary.body().get("accepted").asInt()).isEqualTo(3);
		assertThat(summary.body().get("duplicates").asInt()).isZero();
		assertThat(summary.body().get("rejected").asInt()).isZero();
		assertThat(summary.body().get("errors").size()).isZero();
		assertThat(summary.body().get("objectKey").asString()).isEqualTo(invoiceKey(uploadId));
		assertThat(summary.body().get("finishedAt").isNull()).isFalse();
	}

	@Test
	void redeliveredEventCreatesNoSecondImport() {
		UUID uploadId = UUID.randomUUID();
		S3ObjectEvent event = this.pipeline.upload(invoiceKey(uploadId), InvoiceFiles.threeValidInvoices(), uploadId);

		this.pipeline.announce(event);
		this.pipeline.announce(event);
		awaitFinalStatus(uploadId);
		await().atMost(PATIENCE).until(this.pipeline::invoicesQueueIsSettled);
		this.pipeline.announce(event);
		await().atMost(PATIENCE).until(this.pipeline::invoicesQueueIsSettled);

		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(
				this.pipeline.statusEvents(uploadId)).extracting(UploadStatusEvent::status)
			.containsExactly(UploadStatus.PROCESSING, UploadStatus.COMPLETED));
		assertThat(count("SELECT count(*) FROM invoices WHERE upload_id = ?", uploadId)).isEqualTo(3);
		assertThat(count("SELECT count(*) FROM invoice_imports", null)).isEqualTo(1);
		assertThat(this.pipeline.deadLetters()).isZero();
	}

	@Test
	void redriveOfAFinishedImportReportsItAgainForTheNewRunWithoutImportingAgain() {
		UUID uploadId = UUID.randomUUID();
		S3ObjectEvent event = this.pipeline.upload(invoiceKey(uploadId), InvoiceFiles.threeValidInvoices(), uploadId);
		this.pipeline.announce(event);
		awaitFinalStatus(uploadId);
		await().atMost(PATIENCE).until(this.pipeline::invoicesQueueIsSettled);

		// The upload was retried (its report was lost, say, and the stuck check flagged it): run 2, sent twice.
		this.pipeline.announceRedrive(event, 2);
		this.pipeline.announceRedrive(event, 2);

		List<UploadStatusEvent> reports = await().atMost(PATIENCE)
			.until(() -> this.pipeline.statusEvents(uploadId), (events) -> events.size() >= 4);
		await().atMost(PATIENCE).until(this.pipeline::invoicesQueueIsSettled);
		assertThat(this.pipeline.statusEvents(uploadId)).hasSize(4);
		assertThat(reports).extracting(UploadStatusEvent::outcome, UploadStatusEvent::status)
			.containsExactly(tuple(StepOutcome.STARTED, UploadStatus.PROCESSING),
					tuple(StepOutcome.SUCCEEDED, UploadStatus.COMPLETED),
					tuple(StepOutcome.STARTED, UploadStatus.PROCESSING),
					tuple(StepOutcome.SUCCEEDED, UploadStatus.COMPLETED));
		assertThat(reports.get(3).reason()).startsWith("run 2: imported at ")
			.endsWith(", not again (3 accepted, 0 duplicates, 0 rejected)");
		assertThat(count("SELECT count(*) FROM invoices WHERE upload_id = ?", uploadId)).isEqualTo(3);
		assertThat(count("SELECT count(*) FROM invoice_imports WHERE run = 2", null)).isEqualTo(1);
	}

	@Test
	void overwrittenObjectIsImportedAgainWithoutTouchingStoredInvoices() {
		UUID uploadId = UUID.randomUUID();
		this.pipeline.announce(this.pipeline.upload(invoiceKey(uploadId),
				jsonArray(invoice("4001", "ACME Ltda", "10.00", "2026-02-01")), uploadId));
		awaitFinalStatus(uploadId);

		this.pipeline.announce(this.pipeline.upload(invoiceKey(uploadId),
				jsonArray(invoice("4001", "ACME Ltda", "10.00", "2026-02-01"),
						invoice("4002", "ACME Ltda", "20.00", "2026-02-02")),
				uploadId));

		await().atMost(PATIENCE)
			.untilAsserted(() -> assertThat(this.pipeline.statusEvents(uploadId))
				.filteredOn((event) -> "invoice-import".equals(event.step()) && event.outcome() != StepOutcome.STARTED)
				.extracting(UploadStatusEvent::reason)
				.containsExactly("1 accepted, 0 duplicates", "1 accepted, 1 duplicates"));
		assertThat(count("SELECT count(*) FROM invoices WHERE upload_id = ?", uploadId)).isEqualTo(2);
		assertThat(count("SELECT count(*) FROM invoice_imports", null)).isEqualTo(1);
	}

	@Test
	void repeatedNumberWithAnotherAmountIsCountedAsAConflictAndTheOriginalIsKept() {
		UUID first = UUID.randomUUID();
		this.pipeline.announce(this.pipeline.upload(invoiceKey(first),
				jsonArray(invoice("3001", "ACME Ltda", "100.00", "2026-02-01"),
						invoice("3002", "ACME Ltda", "200.00", "2026-02-02")),
				first));
		assertThat(awaitFinalStatus(first).status()).isEqualTo(UploadStatus.COMPLETED);

		UUID second = UUID.randomUUID();
		this.pipeline.announce(this.pipeline.upload(invoiceKey(second),
				jsonArray(invoice("3001", "ACME Ltda", "999.99", "2026-02-01"),
						invoice("3002", "ACME Ltda", "200.00", "2026-02-02"),
						invoice("3003", "ACME Ltda", "300.00", "2026-02-03")),
				second));
		UploadStatusEvent outcome = awaitFinalStatus(second);

		assertThat(outcome.status()).isEqualTo(UploadStatus.COMPLETED_WITH_ERRORS);
		assertThat(outcome.outcome()).isEqualTo(StepOutcome.SUCCEEDED);
		assertThat(outcome.reason()).isEqualTo("1 accepted, 1 duplicates, 1 conflicts, 0 rejected");
		JsonNode summary = this.api.get("/api/invoices/imports/" + second, TestApiKeys.READER).body();
		assertThat(summary.get("accepted").asInt()).isEqualTo(1);
		assertThat(summary.get("duplicates").asInt()).isEqualTo(1);
		assertThat(summary.get("conflicts").asInt()).isEqualTo(1);
		assertThat(summary.get("errors").get(0).get("index").asInt()).isZero();
		assertThat(summary.get("errors").get(0).get("value").asString()).isEqualTo("3001");
		assertThat(summary.get("errors").get(0).get("message").asString()).startsWith("conflict");
		Map<String, Object> original = this.jdbc.sql("SELECT amount, upload_id FROM invoices WHERE number = '3001'")
			.query()
			.singleRow();
		assertThat(original.get("amount")).asString().isEqualTo("100.00");
		assertThat(original.get("upload_id")).isEqualTo(first);
		assertThat(count("SELECT count(*) FROM invoices", null)).isEqualTo(3);
	}

	@Test
	void partlyInvalidFileStoresTheValidInvoicesAndReportsEveryError() {
		UUID uploadId = UUID.randomUUID();
		this.pipeline.announce(
				this.pipeline.upload(invoiceKey(uploadId), InvoiceFiles.twoValidAndOneInvalidInvoice(), uploadId));

		UploadStatusEvent outcome = awaitFinalStatus(uploadId);

		assertThat(outcome.status()).isEqualTo(UploadStatus.COMPLETED_WITH_ERRORS);
		assertThat(outcome.reason()).isEqualTo("2 accepted, 0 duplicates, 0 conflicts, 1 rejected");
		JsonNode summary = this.api.get("/api/invoices/imports/" + uploadId, TestApiKeys.READER).body();
		assertThat(summary.get("rejected").asInt()).isEqualTo(1);
		assertThat(summary.get("errors").valueStream()
			.map((error) -> error.get("index").asInt() + ":" + error.get("field").asString()))
			.containsExactlyInAnyOrder("2:customer", "2:valor");
		assertThat(count("SELECT count(*) FROM invoices WHERE upload_id = ?", uploadId)).isEqualTo(2);
	}

	@Test
	void fileThatIsNeitherJsonCsvNorXmlIsRejectedOnceAndNotRetried() {
		UUID uploadId = UUID.randomUUID();
		this.pipeline.announce(this.pipeline.upload("invoices/2026/03/" + uploadId + "/export.json",
				InvoiceFiles.aPdfFile(), uploadId));

		UploadStatusEvent outcome = awaitFinalStatus(uploadId);
		await().atMost(PATIENCE).until(this.pipeline::invoicesQueueIsSettled);

		assertThat(outcome.status()).isEqualTo(UploadStatus.REJECTED);
		assertThat(outcome.outcome()).isEqualTo(StepOutcome.REJECTED);
		assertThat(outcome.reason()).isEqualTo("unsupported_format");
		assertThat(this.pipeline.deadLetters()).isZero();
		JsonNode summary = this.api.get("/api/invoices/imports/" + uploadId, TestApiKeys.READER).body();
		assertThat(summary.get("status").asString()).isEqualTo("REJECTED");
		assertThat(summary.get("errors").get(0).get("message").asString()).startsWith("Not JSON, NF-e XML or CSV");
	}

	@Test
	void everyRejectedFileHasAnErrorReportLinkedFromItsImport() {
		Map<String, String> files = new java.util.LinkedHashMap<>();
		files.put("invoices/2026/03/%s/export.json", InvoiceFiles.aPdfFile());
		files.put("invoices/2026/03/%s/empty.json", "[]");
		files.put("invoices/2026/03/%s/header-only.csv", "numero;cliente;valor;data\n");
		files.put("invoices/2026/03/%s/invalid.json", InvoiceFiles.onlyInvalidInvoices());
		files.put(InvoiceServiceTest.STRICT_FEED + "%s/feed.json", InvoiceFiles.twoValidAndOneInvalidInvoice());
		Map<UUID, String> uploads = new java.util.LinkedHashMap<>();
		files.forEach((key, content) -> {
			UUID uploadId = UUID.randomUUID();
			uploads.put(uploadId, key);
			this.pipeline.announce(this.pipeline.upload(key.formatted(uploadId), content, uploadId));
		});

		uploads.forEach((uploadId, key) -> {
			UploadStatusEvent outcome = awaitFinalStatus(uploadId);
			assertThat(outcome.status()).as(key).isEqualTo(UploadStatus.REJECTED);
			JsonNode summary = this.api.get("/api/imports/" + uploadId, TestApiKeys.READER).body();
			String reportKey = summary.get("errorReportKey").asString();
			assertThat(reportKey).as(key).isEqualTo("reports/invoices/" + uploadId + "/errors.csv");
			String[] report = EsteiraInfrastructure.shared()
				.s3Client()
				.getObjectAsBytes((request) -> request.bucket("esteira-output").key(reportKey))
				.asUtf8String()
				.split("\r?\n");
			assertThat(report).as(key).hasSize((int) summary.get("totalErrors").asLong() + 1);
			assertThat(report[0]).isEqualTo("index,line,path,field,value,message");
			// The last line names the whole file (no index, no line) and says why it was refused.
			String fileError = report[report.length - 1];
			assertThat(fileError).as(key).startsWith(",,,,,");
			if (!"unsupported_format".equals(outcome.reason())) {
				assertThat(fileError).as(key).contains("file rejected: " + outcome.reason());
			}
		});
		assertThat(this.pipeline.deadLetters()).isZero();
		assertThat(count("SELECT count(*) FROM invoices", null)).isZero();
	}

	@Test
	void fileWithoutAnyValidInvoiceIsRejected() {
		UUID uploadId = UUID.randomUUID();
		this.pipeline
			.announce(this.pipeline.upload(invoiceKey(uploadId), InvoiceFiles.onlyInvalidInvoices(), uploadId));

		UploadStatusEvent outcome = awaitFinalStatus(uploadId);

		assertThat(outcome.status()).isEqualTo(UploadStatus.REJECTED);
		assertThat(outcome.reason()).isEqualTo("no valid invoices");
		assertThat(count("SELECT count(*) FROM invoices", null)).isZero();
	}

	@Test
	void fileThatBreaksOffHalfWayLeavesNoInvoiceBehind() {
		UUID uploadId = UUID.randomUUID();
		StringBuilder file = new StringBuilder("[");
		for (int i = 0; i < 1_200; i++) {
			file.append(invoice("T-" + i, "ACME Ltda", "10.00", "2026-02-01")).append(",\n");
		}
		file.append("{\"number\": \"T-last\", \"cust");
		this.pipeline.announce(this.pipeline.upload(invoiceKey(uploadId), file.toString(), uploadId));

		UploadStatusEvent outcome = awaitFinalStatus(uploadId);

		assertThat(outcome.status()).isEqualTo(UploadStatus.REJECTED);
		assertThat(outcome.reason()).isEqualTo("unsupported_format");
		assertThat(count("SELECT count(*) FROM invoices", null)).isZero();
		assertThat(this.pipeline.statusEvents(uploadId)).extracting(UploadStatusEvent::status)
			.containsExactly(UploadStatus.PROCESSING, UploadStatus.REJECTED);
	}

	@Test
	void objectWithoutUploadIdIsImportedUnderItsNameBasedId() {
		String key = "invoices/2026/03/dropped-by-erp-" + UUID.randomUUID() + ".json";
		this.pipeline.announce(this.pipeline.put(TestPipeline.UPLOADS_BUCKET, key,
				InvoiceFiles.threeValidInvoices().getBytes(StandardCharsets.UTF_8), Map.of()));
		UUID nameBased = UUID.nameUUIDFromBytes((TestPipeline.UPLOADS_BUCKET + "/" + key).getBytes(StandardCharsets.UTF_8));

		assertThat(awaitFinalStatus(nameBased).status()).isEqualTo(UploadStatus.COMPLETED);
		assertThat(count("SELECT count(*) FROM invoices WHERE upload_id = ?", nameBased)).isEqualTo(3);
	}

	@Test
	void eventsForOtherBucketsAreAcknowledgedAndIgnored() {
		UUID uploadId = UUID.randomUUID();
		this.pipeline.announce(this.pipeline.put("esteira-output", invoiceKey(uploadId),
				InvoiceFiles.threeValidInvoices().getBytes(StandardCharsets.UTF_8),
				Map.of("esteira-upload-id", uploadId.toString())));

		await().atMost(PATIENCE).until(this.pipeline::invoicesQueueIsSettled);

		assertThat(count("SELECT count(*) FROM invoice_imports", null)).isZero();
		assertThat(this.pipeline.statusEvents(uploadId)).isEmpty();
		assertThat(this.pipeline.deadLetters()).isZero();
	}

	@Test
	void malformedMessageEndsInTheDeadLetterQueueAndTheListenerKeepsWorking() {
		this.pipeline.send("this is not an S3 event");
		this.pipeline.send("{\"Records\": [{\"eventName\": \"ObjectCreated:Put\"}]}");

		await().atMost(Duration.ofSeconds(40)).until(() -> this.pipeline.deadLetters() == 2);

		UUID uploadId = UUID.randomUUID();
		this.pipeline.announce(this.pipeline.upload(invoiceKey(uploadId), InvoiceFiles.threeValidInvoices(), uploadId));
		assertThat(awaitFinalStatus(uploadId).status()).isEqualTo(UploadStatus.COMPLETED);
	}

	@Test
	void s3TestEventIsAcknowledged() {
		this.pipeline.send("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":\"2026-03-01T00:00:00Z\","
				+ "\"Bucket\":\"esteira-uploads\",\"RequestId\":\"X\",\"HostId\":\"Y\"}");

		await().atMost(PATIENCE).until(this.pipeline::invoicesQueueIsSettled);

		assertThat(this.pipeline.deadLetters()).isZero();
	}

	private UploadStatusEvent awaitFinalStatus(UUID uploadId) {
		return this.pipeline.awaitFinalStatus(uploadId, PATIENCE);
	}

	private long count(String sql, Object param) {
		JdbcClient.StatementSpec statement = this.jdbc.sql(sql);
		if (param != null) {
			statement = statement.param(param);
		}
		return statement.query(Long.class).single();
	}

	private static String invoiceKey(UUID uploadId) {
		return "invoices/2026/03/" + uploadId + "/invoices.json";
	}

}
