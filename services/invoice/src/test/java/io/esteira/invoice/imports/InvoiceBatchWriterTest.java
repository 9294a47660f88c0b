package io.esteira.invoice.imports;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import io.esteira.invoice.InvoiceServiceTest;
import io.esteira.invoice.TestSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Both ways {@link InvoiceBatchWriter} stores a batch: {@code COPY} while an import has found nothing stored, and
 * {@code INSERT ... ON CONFLICT} when a batch breaks a unique constraint or the import has met stored invoices.
 */
@InvoiceServiceTest
class InvoiceBatchWriterTest {

	private static final LocalDate ISSUED = LocalDate.of(2026, 3, 1);

	private final InvoiceBatchWriter writer;

	private final TransactionTemplate transactions;

	private final JdbcClient jdbc;

	InvoiceBatchWriterTest(InvoiceBatchWriter writer, TransactionTemplate transactions, JdbcClient jdbc) {
		this.writer = writer;
		this.transactions = transactions;
		this.jdbc = jdbc;
	}

	@BeforeEach
	void cleanSlate() {
		this.jdbc.sql("TRUNCATE invoices, invoice_imports").update();
	}

	@Test
	void copiedTextKeepsEveryCharacterCopyEscapes() {
		String awkward = "Tab\there, back\\slash \\N, new\nline\r, \"quoted\"; ação";
		ParsedRecord.Valid withItems = new ParsedRecord.Valid(1, 2L, "1", "2", "Itens Ltda", "11222333000181",
				"11444777000161", new BigDecimal("30.00"), "BRL", ISSUED, ISSUED.plusDays(30), null, "100",
				List.of(new ParsedRecord.Item("Parafuso\t3/8\\\"", new BigDecimal("3"), new BigDecimal("10.00"),
						new BigDecimal("30.00"))));
		ImportTally tally = aTally();

		write(List.of(invoice(0, "1", awkward, "10.00"), withItems), tally);

		assertThat(tally.accepted()).isEqualTo(2);
		assertThat(this.jdbc.sql("SELECT customer FROM invoices WHERE number = '1'").query(String.class).single())
			.isEqualTo(awkward);
		assertThat(this.jdbc
			.sql("SELECT issuer_key, customer_document, due_date, access_key, authorization_status,"
					+ " items->0->>'description' AS item FROM invoices WHERE number = '2'")
			.query((row, n) -> List.of(row.getString(1), row.getString(2), row.getString(3),
					String.valueOf(row.getString(4)), row.getString(5), row.getString(6)))
			.single()).containsExactly("11444777000161", "11222333000181", "2026-03-31", "null", "100",
					"Parafuso\t3/8\\\"");
		assertThat(this.jdbc.sql("SELECT issuer_key FROM invoices WHERE number = '1'").query(String.class).single())
			.isEqualTo("default");
	}

	@Test
	void batchWithAStoredInvoiceIsRolledBackToItsSavepointAndInsertedRowByRow() {
		write(List.of(invoice(0, "1", "Acme", "10.00"), invoice(1, "2", "Acme", "20.00")), aTally());
		ImportTally tally = aTally();

		// New, then the same as stored, then stored with another amount: COPY fails on the second row.
		write(List.of(invoice(0, "3", "Acme", "30.00"), invoice(1, "1", "Acme", "10.00"),
				invoice(2, "2", "Acme", "99.00")), tally);
		// The import has met stored invoices: a fresh batch goes the INSERT way, and is stored all the same.
		write(List.of(invoice(3, "4", "Acme", "40.00")), tally);

		assertThat(tally.accepted()).isEqualTo(2);
		assertThat(tally.duplicates()).isEqualTo(1);
		assertThat(tally.conflicts()).isEqualTo(1);
		assertThat(this.jdbc.sql("SELECT number, amount FROM invoices ORDER BY number")
			.query((row, n) -> tuple(row.getString(1), row.getBigDecimal(2)))
			.list()).containsExactly(tuple("1", new BigDecimal("10.00")), tuple("2", new BigDecimal("20.00")),
					tuple("3", new BigDecimal("30.00")), tuple("4", new BigDecimal("40.00")));
	}

	@Test
	void keyRepeatedInsideAFreshBatchIsStoredOnceAndComparedWithItsFirst() {
		ImportTally tally = aTally();

		write(List.of(invoice(0, "1", "Acme", "10.00"), invoice(1, "1", "Acme", "10.00"),
				invoice(2, "1", "Acme", "11.00")), tally);

		assertThat(tally.accepted()).isEqualTo(1);
		assertThat(tally.duplicates()).isEqualTo(1);
		assertThat(tally.conflicts()).isEqualTo(1);
		assertThat(this.jdbc.sql("SELECT count(*) FROM invoices").query(Long.class).single()).isEqualTo(1);
	}

	private void write(List<ParsedRecord.Valid> batch, ImportTally tally) {
		this.transactions.executeWithoutResult((status) -> this.writer.write(batch, "default", "default",
				UUID.randomUUID(), Instant.parse("2026-03-02T10:00:00Z"), tally));
	}

	/** A tally keeping 10 errors, with a report as the service makes it. */
	private static ImportTally aTally() {
		return new ImportTally(10, new ErrorReport(TestSettings.invoiceProperties().errorReport()));
	}

	private static ParsedRecord.Valid invoice(int index, String number, String customer, String amount) {
		return new ParsedRecord.Valid(index, "1", number, customer, new BigDecimal(amount), "BRL", ISSUED);
	}

}
