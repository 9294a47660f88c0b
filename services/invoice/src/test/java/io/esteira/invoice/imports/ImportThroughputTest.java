package io.esteira.invoice.imports;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.esteira.invoice.InvoiceServiceTest;
import io.esteira.invoice.TestPipeline;
import io.esteira.shared.event.StepOutcome;
import io.esteira.shared.event.UploadMetadata;
import io.esteira.shared.event.UploadStatusEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The import's speed next to a raw {@code COPY} of the same rows into an identical table (same defaults, checks and
 * indexes, written to the WAL: the anchor; a temporary table's COPY is printed too), then a second import of the same
 * file
 * (all duplicates). Runs small in the build (25 000 rows, 1.3 MB: a large file, counts asserted); for the benchmark:
 * {@code ./mvnw -B -o -pl services/invoice verify -Dtest=ImportThroughputTest -Dbenchmark.rows=1000000}. Prints one
 * line per measure.
 */
@InvoiceServiceTest
class ImportThroughputTest {

	private static final int ROWS = Integer.getInteger("benchmark.rows", 25_000);

	private final TestPipeline pipeline = new TestPipeline();

	private final JdbcClient jdbc;

	private final DataSource dataSource;

	ImportThroughputTest(JdbcClient jdbc, DataSource dataSource) {
		this.jdbc = jdbc;
		this.dataSource = dataSource;
	}

	@BeforeEach
	void cleanSlate() {
		EsteiraInfrastructure.shared().purgeQueues();
		this.jdbc.sql("TRUNCATE invoices, invoice_imports").update();
	}

	@Test
	void csvImportKeepsPaceWithCopyAndReimportFindsOnlyDuplicates() throws Exception {
		byte[] csv = csv(ROWS);
		double copyRate = copyAnchor(csv, false);
		double temporaryCopyRate = copyAnchor(csv, true);

		UUID first = UUID.randomUUID();
		long started = System.nanoTime();
		announce(first, csv);
		UploadStatusEvent imported = awaitFinalStatus(first);
		double importSeconds = (System.nanoTime() - started) / 1e9;

		UUID again = UUID.randomUUID();
		started = System.nanoTime();
		announce(again, csv);
		UploadStatusEvent reimported = awaitFinalStatus(again);
		double reimportSeconds = (System.nanoTime() - started) / 1e9;

		assertThat(imported.reason()).isEqualTo(ROWS + " accepted, 0 duplicates");
		assertThat(reimported.reason()).isEqualTo("0 accepted, " + ROWS + " duplicates");
		assertThat(this.jdbc.sql("SELECT count(*) FROM invoices").query(Long.class).single()).isEqualTo(ROWS);
		System.out.printf("benchmark rows=%d bytes=%d%n", ROWS, csv.length);
		System.out.printf("benchmark COPY into an identical table: %.0f rows/s%n", copyRate);
		System.out.printf("benchmark COPY into an identical temporary table (no WAL): %.0f rows/s%n",
				temporaryCopyRate);
		System.out.printf("benchmark import, S3 event to committed rows: %.0f rows/s (%.2fx COPY)%n",
				ROWS / importSeconds, ROWS / importSeconds / copyRate);
		System.out.printf("benchmark re-import, all duplicates: %.0f rows/s (%.2fx COPY)%n", ROWS / reimportSeconds,
				ROWS / reimportSeconds / copyRate);
		System.out.printf("benchmark against the temporary table's COPY: import %.2fx, re-import %.2fx%n",
				ROWS / importSeconds / temporaryCopyRate, ROWS / reimportSeconds / temporaryCopyRate);
	}

	/**
	 * Rows/s of a raw COPY of the same rows into a table shaped like {@code invoices}: a regular table, written to
	 * the WAL like {@code invoices} (the anchor), or a temporary one (no WAL, session-local buffers: the anchor of
	 * the figures measured before, kept for comparison).
	 */
	private double copyAnchor(byte[] csv, boolean temporary) throws SQLException, IOException {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.createStatement().execute("DROP TABLE IF EXISTS copy_anchor");
			connection.createStatement()
				.execute("CREATE " + (temporary ? "TEMPORARY " : "")
						+ "TABLE copy_anchor (LIKE invoices INCLUDING ALL)");
			String rows = new String(csv, StandardCharsets.UTF_8).lines()
				.skip(1)
				.map((line) -> {
					String[] f = line.split(";");
					return "1\t" + f[0] + "\t" + f[1] + "\t" + f[2] + "\t" + f[3].replace(".", "").replace(',', '.') + "\t"
							+ "2026-03-01\tBRL\t" + UUID.randomUUID() + "\t2026-03-01T00:00:00Z";
				})
				.reduce(new StringBuilder(), (all, line) -> all.append(line).append('\n'), StringBuilder::append)
				.toString();
			long started = System.nanoTime();
			long copied = connection.unwrap(PGConnection.class)
				.getCopyAPI()
				.copyIn("COPY copy_anchor (series, number, customer, customer_document, amount, issue_date, currency,"
						+ " upload_id, created_at) FROM STDIN",
						new ByteArrayInputStream(rows.getBytes(StandardCharsets.UTF_8)));
			double seconds = (System.nanoTime() - started) / 1e9;
			connection.createStatement().execute("DROP TABLE copy_anchor");
			assertThat(copied).isEqualTo(ROWS);
			return copied / seconds;
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
	}

	private static byte[] csv(int rows) {
		StringBuilder csv = new StringBuilder("numero;cliente;cnpj;valor;data\n");
		for (int i = 1; i <= rows; i++) {
			csv.append(i).append(";Cliente ").append(i % 997).append(";11222333000181;")
				.append(i % 100_000 + 1).append(",25;01/03/2026\n");
		}
		return csv.toString().getBytes(StandardCharsets.UTF_8);
	}

	private void announce(UUID uploadId, byte[] content) {
		this.pipeline.announce(this.pipeline.put(TestPipeline.UPLOADS_BUCKET,
				"invoices/bench/" + uploadId + "/invoices.csv", content,
				Map.of(UploadMetadata.UPLOAD_ID, uploadId.toString())));
	}

	private UploadStatusEvent awaitFinalStatus(UUID uploadId) {
		return await().atMost(Duration.ofMinutes(10))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.pipeline.statusEvents(uploadId)
				.stream()
				.filter((event) -> "invoice-import".equals(event.step()) && event.outcome() != StepOutcome.STARTED)
				.toList(), (events) -> !events.isEmpty())
			.getFirst();
	}

}
