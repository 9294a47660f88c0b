package io.esteira.invoice.imports;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.esteira.invoice.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The error report: bounded in rows, bytes and cell length, and safe to open in a spreadsheet. */
class ErrorReportTest {

	@Test
	void formulaInARejectedAmountComesOutNeutralizedAndQuoted() {
		ErrorReport report = report(Map.of());
		report.add(ImportError.of(0, 2L, null, "valor", "=HYPERLINK(\"http://x\",\"y\")",
				"must be a decimal number like 1234.56"));

		String csv = new String(report.bytes(), StandardCharsets.UTF_8);

		assertThat(csv).contains(",valor,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",must be a decimal");
		assertThat(rows(report).get(1).getField(4)).isEqualTo("'=HYPERLINK(\"http://x\",\"y\")");
	}

	@ParameterizedTest(name = "a cell starting with {0}")
	@ValueSource(strings = { "=1+1", "+1+1", "-1+1", "@SUM(A1)", "\tcmd", "\rcmd" })
	void everyCellThatCouldStartAFormulaGetsALeadingQuote(String hostile) {
		ErrorReport report = report(Map.of());
		report.add(ImportError.of(0, 2L, hostile, hostile, hostile, hostile));

		assertThat(rows(report).get(1).getFields()).containsExactly("0", "2", "'" + hostile, "'" + hostile,
				"'" + hostile, "'" + hostile);
	}

	@Test
	void plainCellsAreLeftAsTheyAre() {
		ErrorReport report = report(Map.of());
		report.add(ImportError.of(3, 4L, "/NFe/infNFe", "cliente", "ACME; \"Ltda\", 1+1=2", "is required"));

		assertThat(rows(report).get(1).getFields()).containsExactly("3", "4", "/NFe/infNFe", "cliente",
				"ACME; \"Ltda\", 1+1=2", "is required");
	}

	@Test
	void recordErrorsBeyondMaxErrorsAreCountedInOneTruncationLineAndTheFileErrorsStayLast() {
		ErrorReport report = report(Map.of("error-report.max-errors", "3"));
		for (int i = 0; i < 10; i++) {
			report.add(ImportError.of(i, (long) i + 2, null, "amount", null, "is required"));
		}
		report.add(ImportError.of(null, null, null, "file rejected: no valid invoices"));

		List<CsvRecord> rows = rows(report);

		assertThat(report.count()).isEqualTo(11);
		assertThat(rows).hasSize(1 + 3 + 1 + 1);
		assertThat(rows.get(0).getFields()).containsExactly(ErrorReport.HEADER);
		assertThat(rows.subList(1, 4)).extracting((row) -> row.getField(0)).containsExactly("0", "1", "2");
		assertThat(rows.get(4).getField(5)).isEqualTo("error report truncated: 7 more errors not listed; the report "
				+ "lists the first 3 (esteira.invoices.error-report.max-errors)");
		assertThat(rows.get(5).getField(5)).isEqualTo("file rejected: no valid invoices");
	}

	@Test
	void recordErrorsThatWouldPassMaxSizeAreCountedNotListed() {
		ErrorReport report = report(Map.of("error-report.max-size", "16KB", "error-report.max-cell-length", "20"));
		for (int i = 0; i < 2000; i++) {
			report.add(ImportError.of(i, (long) i + 2, null, "amount", "x".repeat(50), "must be a decimal number"));
		}
		report.add(ImportError.of(null, null, null, "file rejected: no valid invoices"));

		byte[] bytes = report.bytes();
		List<CsvRecord> rows = rows(report);

		assertThat(bytes.length).isLessThanOrEqualTo(16 * 1024);
		assertThat(rows.get(rows.size() - 2).getField(5)).startsWith("error report truncated: ")
			.endsWith("the report is kept under 16384 bytes (esteira.invoices.error-report.max-size)");
		assertThat(rows.getLast().getField(5)).isEqualTo("file rejected: no v…");
	}

	@Test
	void cellsAreCutToMaxCellLength() {
		ErrorReport report = report(Map.of("error-report.max-cell-length", "40"));
		report.add(ImportError.of(0, 2L, "/a".repeat(500), "f".repeat(500), "v".repeat(500), "m".repeat(500)));

		assertThat(rows(report).get(1).getFields()).allSatisfy((cell) -> assertThat(cell).hasSizeLessThanOrEqualTo(40))
			.contains("m".repeat(39) + "…");
	}

	@Test
	void resetForgetsEverything() {
		ErrorReport report = report(Map.of("error-report.max-errors", "1"));
		report.add(ImportError.of(0, 2L, null, "amount", null, "is required"));
		report.add(ImportError.of(1, 3L, null, "amount", null, "is required"));

		report.reset();
		report.add(ImportError.of(null, null, null, "Not JSON, NF-e XML or CSV"));

		assertThat(report.count()).isEqualTo(1);
		assertThat(rows(report)).extracting((row) -> row.getField(5)).containsExactly("message",
				"Not JSON, NF-e XML or CSV");
	}

	private static ErrorReport report(Map<String, String> settings) {
		return new ErrorReport(TestSettings.invoiceProperties(settings).errorReport());
	}

	private static List<CsvRecord> rows(ErrorReport report) {
		return CsvReader.builder().ofCsvRecord(new String(report.bytes(), StandardCharsets.UTF_8)).stream().toList();
	}

}
