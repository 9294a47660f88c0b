package io.esteira.invoice.imports;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
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

/**
 * Transient failures of the import (here the database refusing the invoices' insert, through a trigger that fails for
 * chosen customers) are retried with the step's backoff through SQS visibility; the last failed attempt records the
 * import FAILED and leaves the message to the dead-letter queue; a newer event for the same object (ingest's redrive)
 * runs a FAILED import again, once. The test properties give step {@code invoice-import} 3 attempts (the kit's queues
 * move a message to the DLQ after 3 receives), 1 s then 2 s apart, without jitter.
 */
@InvoiceServiceTest
class ImportRetryIntegrationTest {

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	/** Invoices of this customer fail to insert on the first two attempts (a sequence counts them). */
	private static final String FAILS_TWICE = "Fails twice Ltda";

	/** Invoices of this customer fail to insert as long as the trigger exists. */
	private static final String FAILS_ALWAYS = "Fails always Ltda";

	private final TestPipeline pipeline = new TestPipeline();

	private final JdbcClient jdbc;

	private final TestApi api;

	private final MeterRegistry meters;

	ImportRetryIntegrationTest(JdbcClient jdbc, @LocalServerPort int port, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.api = new TestApi(port);
		this.meters = meters;
	}

	@BeforeEach
	void cleanSlateAndAFailingDatabase() {
		this.pipeline.settleAndPurgeQueues();
		this.jdbc.sql("TRUNCATE invoices, invoice_imports").update();
		this.jdbc.sql("CREATE SEQUENCE IF NOT EXISTS test_insert_failures").update();
		this.jdbc.sql("ALTER SEQUENCE test_insert_failures RESTART").update();
		this.jdbc.sql("""
				CREATE OR REPLACE FUNCTION test_fail_insert() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN
				  IF NEW.customer = '%s' THEN
				    RAISE EXCEPTION 'database unavailable (test)' USING ERRCODE = '55P03';
				  END IF;
				  IF NEW.customer = '%s' THEN
				    IF nextval('test_insert_failures') <= 2 THEN
				      RAISE EXCEPTION 'database unavailable (test)' USING ERRCODE = '55P03';
				    END IF;
				  END IF;
				  RETURN NEW;
				END $$""".formatted(FAILS_ALWAYS, FAILS_TWICE)).update();
		this.jdbc.sql("CREATE OR REPLACE TRIGGER test_fail_insert BEFORE INSERT ON invoices FOR EACH ROW"
				+ " EXECUTE FUNCTION test_fail_insert()").update();
	}

	@AfterEach
	void databaseWorksAgain() {
		this.jdbc.sql("DROP TRIGGER IF EXISTS test_fail_insert ON invoices").update();
	}

	@Test
	void transientFailureIsRetriedWithBackoffAndThenImportedOnce() {
		UUID uploadId = UUID.randomUUID();
		long started = System.nanoTime();
		this.pipeline.announce(this.pipeline.upload(key(uploadId), jsonArray(invoice("R-1", FAILS_TWICE, "10.00",
				"2026-02-01"), invoice("R-2", "ACME Ltda", "20.00", "2026-02-01")), uploadId));

		UploadStatusEvent outcome = awaitFinalStatus(uploadId);
		Duration took = Duration.ofNanos(System.nanoTime() - started);

		assertThat(outcome.status()).isEqualTo(UploadStatus.COMPLETED);
		assertThat(outcome.reason()).isEqualTo("2 accepted, 0 duplicates");
		assertThat(outcome.attempt()).isEqualTo(3);
		// Two failed attempts, 1 s and then 2 s of visibility before the next delivery.
		assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
		// The failed attempts' status events were rolled back with them: the timeline gets the run that worked.
		assertThat(this.pipeline.statusEvents(uploadId)).extracting(UploadStatusEvent::status,
				UploadStatusEvent::attempt)
			.containsExactly(tuple(UploadStatus.PROCESSING, 3),
					tuple(UploadStatus.COMPLETED, 3));
		assertThat(count()).isEqualTo(2);
		await().atMost(PATIENCE).until(this.pipeline::invoicesQueueIsSettled);
		assertThat(this.pipeline.deadLetters()).isZero();
	}

	@Test
	void exhaustedRetriesRecordTheImportFailedAndLeaveTheMessageInTheDeadLetterQueue() {
		UUID uploadId = UUID.randomUUID();
		S3ObjectEvent original = this.pipeline.upload(key(uploadId), jsonArray(invoice("F-1", FAILS_ALWAYS, "10.00",
				"2026-02-01"), invoice("F-2", "ACME Ltda", "20.00", "2026-02-01")), uploadId);
		this.pipeline.announce(original);

		UploadStatusEvent failed = awaitFinalStatus(uploadId);

		assertThat(failed.status()).isEqualTo(UploadStatus.FAILED);
		assertThat(failed.outcome()).isEqualTo(StepOutcome.FAILED);
		assertThat(failed.attempt()).isEqualTo(3);
		assertThat(failed.reason()).startsWith("transient failure, retries exhausted:")
			.contains("database unavailable (test)");
		assertThat(failed.bucket()).isEqualTo(TestPipeline.UPLOADS_BUCKET);
		assertThat(failed.key()).isEqualTo(original.key());
		await().atMost(PATIENCE).until(() -> this.pipeline.deadLetters() == 1);
		assertThat(count()).isZero();
		JsonNode summary = this.api.get("/api/imports/" + uploadId, TestApiKeys.READER).body();
		assertThat(summary.get("status").asString()).isEqualTo("FAILED");
		assertThat(summary.get("errors").get(0).get("message").asString()).isEqualTo(failed.reason());

		// The cause is fixed, then ingest's redrive sends a newer event for the same object: imported, once.
		this.jdbc.sql("DROP TRIGGER test_fail_insert ON invoices").update();
		this.pipeline.announce(newerEventFor(original));
		UploadStatusEvent redriven = awaitStatusAfter(uploadId, failed);
		assertThat(redriven.status()).isEqualTo(UploadStatus.COMPLETED);
		assertThat(redriven.reason()).isEqualTo("2 accepted, 0 duplicates");
		assertThat(count()).isEqualTo(2);

		// A duplicate of the completed import's event changes nothing and reports nothing.
		this.pipeline.announce(newerEventFor(original));
		await().atMost(PATIENCE).until(this.pipeline::invoicesQueueIsSettled);
		assertThat(this.pipeline.statusEvents(uploadId)).extracting(UploadStatusEvent::status)
			.containsExactly(UploadStatus.FAILED, UploadStatus.PROCESSING, UploadStatus.COMPLETED);
		assertThat(count()).isEqualTo(2);
		assertThat(this.api.get("/api/imports/" + uploadId, TestApiKeys.READER).body().get("accepted").asInt())
			.isEqualTo(2);
	}

	@Test
	void objectDroppedByAnotherSystemIsNamedOnItsStatusEvents() {
		String key = "invoices/nightly/export-" + UUID.randomUUID() + ".json";
		this.pipeline.announce(this.pipeline.put(TestPipeline.UPLOADS_BUCKET, key,
				InvoiceFiles.threeValidInvoices().getBytes(StandardCharsets.UTF_8), Map.of()));
		UUID nameBased = UUID
			.nameUUIDFromBytes((TestPipeline.UPLOADS_BUCKET + "/" + key).getBytes(StandardCharsets.UTF_8));

		assertThat(awaitFinalStatus(nameBased).status()).isEqualTo(UploadStatus.COMPLETED);
		assertThat(this.pipeline.statusEvents(nameBased)).hasSize(2)
			.allSatisfy((event) -> {
				assertThat(event.bucket()).isEqualTo(TestPipeline.UPLOADS_BUCKET);
				assertThat(event.key()).isEqualTo(key);
			});
	}

	@Test
	void rowsAreCountedByOutcomeOnceTheImportCommitted() {
		Map<String, Double> before = rowCounts();
		String file = InvoiceFiles.twoValidAndOneInvalidInvoice();
		UUID first = UUID.randomUUID();
		this.pipeline.announce(this.pipeline.upload(key(first), file, first));
		assertThat(awaitFinalStatus(first).status()).isEqualTo(UploadStatus.COMPLETED_WITH_ERRORS);
		UUID again = UUID.randomUUID();
		this.pipeline.announce(this.pipeline.upload(key(again), file, again));
		assertThat(awaitFinalStatus(again).status()).isEqualTo(UploadStatus.COMPLETED_WITH_ERRORS);

		await().atMost(PATIENCE).untilAsserted(() -> assertThat(increase(before, rowCounts())).isEqualTo(
				Map.of("accepted", 2.0, "duplicate", 2.0, "conflict", 0.0, "rejected", 2.0)));
	}

	private Map<String, Double> rowCounts() {
		return Map.of("accepted", rows("accepted"), "duplicate", rows("duplicate"), "conflict", rows("conflict"),
				"rejected", rows("rejected"));
	}

	private double rows(String outcome) {
		return this.meters.get("esteira.invoice.rows").tag("outcome", outcome).counter().count();
	}

	private static Map<String, Double> increase(Map<String, Double> before, Map<String, Double> after) {
		return Map.of("accepted", after.get("accepted") - before.get("accepted"), "duplicate",
				after.get("duplicate") - before.get("duplicate"), "conflict",
				after.get("conflict") - before.get("conflict"), "rejected",
				after.get("rejected") - before.get("rejected"));
	}

	/**
	 * The same object's event as ingest's redrive sends it ({@code RedriveSender}): a new {@code ObjectCreated:Put}
	 * for the original object, without a sequencer (the import does not order by it: a FAILED import runs again,
	 * a finished one stays finished).
	 */
	private static S3ObjectEvent newerEventFor(S3ObjectEvent original) {
		return new S3ObjectEvent("ObjectCreated:Put", Instant.now(), original.bucket(), original.key(),
				original.size(), original.eTag(), null, null);
	}

	private long count() {
		return this.jdbc.sql("SELECT count(*) FROM invoices").query(Long.class).single();
	}

	private static String key(UUID uploadId) {
		return "invoices/2026/03/" + uploadId + "/invoices.json";
	}

	private UploadStatusEvent awaitFinalStatus(UUID uploadId) {
		return await().atMost(PATIENCE)
			.until(() -> importEvents(uploadId), (events) -> !events.isEmpty())
			.getFirst();
	}

	private UploadStatusEvent awaitStatusAfter(UUID uploadId, UploadStatusEvent previous) {
		return await().atMost(PATIENCE)
			.until(() -> importEvents(uploadId), (events) -> events.size() > 1)
			.stream()
			.filter((event) -> !event.eventId().equals(previous.eventId()))
			.findFirst()
			.orElseThrow();
	}

	private List<UploadStatusEvent> importEvents(UUID uploadId) {
		return this.pipeline.statusEvents(uploadId)
			.stream()
			.filter((event) -> InvoiceImportService.IMPORT_STEP.equals(event.step()) && event.outcome() != StepOutcome.STARTED)
			.toList();
	}

}
