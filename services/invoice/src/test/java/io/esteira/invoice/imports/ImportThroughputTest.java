package io.esteira.invoice.imports;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import javax.sql.DataSource;

import com.sun.management.GarbageCollectionNotificationInfo;

import io.esteira.invoice.InvoiceServiceTest;
import io.esteira.invoice.TestPipeline;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadMetadata;
import io.esteira.contracts.event.UploadStatusEvent;
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
 * {@code services/invoice/bench/run.sh import} (1,000,000 rows, the test JVM capped at 256 MB of heap). Prints one
 * line per measure, and the most heap in use after a collection during the two imports.
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

		long heapAfterGc;
		double importSeconds;
		double reimportSeconds;
		UploadStatusEvent imported;
		UploadStatusEvent reimported;
		try (HeapAfterGc heap = new HeapAfterGc()) {
			UUID first = UUID.randomUUID();
			long started = System.nanoTime();
			announce(first, csv);
			imported = awaitFinalStatus(first);
			importSeconds = (System.nanoTime() - started) / 1e9;

			UUID again = UUID.randomUUID();
			started = System.nanoTime();
			announce(again, csv);
			reimported = awaitFinalStatus(again);
			reimportSeconds = (System.nanoTime() - started) / 1e9;
			heapAfterGc = heap.max();
		}

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
		System.out.printf("benchmark heap: max %d MB (the whole test JVM: service, embedded SQS, the file itself);"
				+ " at most %d MB in use after a collection during the import and re-import%n",
				Runtime.getRuntime().maxMemory() >> 20, heapAfterGc >> 20);
	}

	/**
	 * Rows/s of a raw COPY of the same rows into a table shaped like {@code invoices}: a regular table, written to
	 * the WAL like {@code invoices} (the anchor), or a temporary one (no WAL, session-local buffers: the anchor of
	 * the figures measured before, kept for comparison). The rows go through a temporary file, so that the heap
	 * holds the file once.
	 */
	private double copyAnchor(byte[] csv, boolean temporary) throws SQLException, IOException {
		Path rows = Files.createTempFile("copy-anchor", ".tsv");
		try (Connection connection = this.dataSource.getConnection()) {
			connection.createStatement().execute("DROP TABLE IF EXISTS copy_anchor");
			connection.createStatement()
				.execute("CREATE " + (temporary ? "TEMPORARY " : "")
						+ "TABLE copy_anchor (LIKE invoices INCLUDING ALL)");
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(new ByteArrayInputStream(csv), StandardCharsets.UTF_8));
					Writer out = Files.newBufferedWriter(rows)) {
				lines.readLine();
				for (String line = lines.readLine(); line != null; line = lines.readLine()) {
					String[] f = line.split(";");
					out.write("1\t" + f[0] + "\t" + f[1] + "\t" + f[2] + "\t" + f[3].replace(".", "").replace(',', '.')
							+ "\t2026-03-01\tBRL\t" + UUID.randomUUID() + "\t2026-03-01T00:00:00Z\n");
				}
			}
			long started = System.nanoTime();
			long copied;
			try (InputStream in = new BufferedInputStream(Files.newInputStream(rows), 1 << 16)) {
				copied = connection.unwrap(PGConnection.class)
					.getCopyAPI()
					.copyIn("COPY copy_anchor (series, number, customer, customer_document, amount, issue_date,"
							+ " currency, upload_id, created_at) FROM STDIN", in);
			}
			double seconds = (System.nanoTime() - started) / 1e9;
			connection.createStatement().execute("DROP TABLE copy_anchor");
			assertThat(copied).isEqualTo(ROWS);
			return copied / seconds;
		}
		finally {
			Files.deleteIfExists(rows);
		}
	}

	private static byte[] csv(int rows) {
		ByteArrayOutputStream csv = new ByteArrayOutputStream(rows * 56);
		csv.writeBytes("numero;cliente;cnpj;valor;data\n".getBytes(StandardCharsets.UTF_8));
		for (int i = 1; i <= rows; i++) {
			csv.writeBytes((i + ";Cliente " + (i % 997) + ";11222333000181;" + (i % 100_000 + 1) + ",25;01/03/2026\n")
				.getBytes(StandardCharsets.UTF_8));
		}
		return csv.toByteArray();
	}

	/** The most heap in use right after any collection while open: what the JVM really keeps alive. */
	private static final class HeapAfterGc implements AutoCloseable, NotificationListener {

		private final AtomicLong max = new AtomicLong();

		HeapAfterGc() {
			for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
				((NotificationEmitter) collector).addNotificationListener(this, null, null);
			}
		}

		@Override
		public void handleNotification(Notification notification, Object handback) {
			if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
				GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
					.from((CompositeData) notification.getUserData());
				long used = 0;
				for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
					MemoryUsage after = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
					if (pool.getType() == MemoryType.HEAP && after != null) {
						used += after.getUsed();
					}
				}
				this.max.accumulateAndGet(used, Math::max);
			}
		}

		long max() {
			return this.max.get();
		}

		@Override
		public void close() throws ListenerNotFoundException {
			for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
				((NotificationEmitter) collector).removeNotificationListener(this);
			}
		}

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
