package io.esteira.invoice.imports;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.esteira.invoice.HostileFiles;
import io.esteira.invoice.NfeFixtures;
import io.esteira.invoice.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Each limit on what an invoice file may hold ({@code esteira.invoices.limits.*}), in each format it applies to: the
 * file is refused with a reason naming the limit, as soon as the limit is passed and without holding what lies
 * beyond it. The huge inputs are generated while they are read.
 */
class InputLimitsTest {

	private static final Clock MARCH_10_2026 = Clock.fixed(Instant.parse("2026-03-10T12:00:00Z"), ZoneOffset.UTC);

	private static final String VALID_JSON = "{\"number\": \"1\", \"customer\": \"ACME\", \"amount\": 1, "
			+ "\"date\": \"2026-03-01\"}";

	private static final String CSV_HEADER = "number,customer,amount,date\n";

	// Every format: size and records

	@Test
	void fileLargerThanMaxFileSizeIsRefusedOnceThatManyBytesAreRead() {
		HostileFiles.Generated file = new HostileFiles.Generated(CSV_HEADER, "1,ACME,1.00,2026-03-01\n", 200_000, "");
		CountingStream counted = new CountingStream(file.open());

		assertThatLimit(() -> parse(Map.of("limits.max-file-size", "1MB"), counted))
			.isEqualTo("file larger than 1048576 bytes (esteira.invoices.limits.max-file-size)");
		// At most one read's buffer beyond the limit (reading the first megabyte decides the CSV's encoding).
		assertThat(counted.read).isLessThanOrEqualTo(2L * 1024 * 1024);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			JSON array | [$,$,$,$]
			one JSON object after another | $ $ $ $
			NDJSON | $\\n$\\n$\\n$\\n
			CSV | csv
			NF-e XML | xml
			""")
	void fileWithMoreRecordsThanMaxRecordsIsRefused(String format, String template) {
		String file = switch (template) {
			case "csv" -> CSV_HEADER + "1,ACME,1.00,2026-03-01\n".repeat(4);
			case "xml" -> "<nfeProc>" + "<NFe/>".repeat(4) + "</nfeProc>";
			default -> template.replace("\\n", "\n").replace("$", VALID_JSON);
		};
		List<ParsedRecord> records = new ArrayList<>();

		assertThatLimit(() -> parse(Map.of("limits.max-records", "3"), stream(file), records))
			.isEqualTo("more than 3 invoices in the file (esteira.invoices.limits.max-records)");
		assertThat(records).as(format).hasSize(3);
	}

	// NF-e XML

	@Test
	void nfeTextNodeOfTwoHundredMillionCharactersIsRefusedWithoutBeingHeld() {
		HostileFiles.Generated nfe = HostileFiles.anNfeWithATextNodeOf(200_000_000);
		CountingStream counted = new CountingStream(nfe.open());

		assertThatLimit(() -> parse(Map.of(), counted))
			.isEqualTo("text node longer than 65536 characters (esteira.invoices.limits.max-text-length)");
		assertThat(counted.read).isLessThan(1024 * 1024);
	}

	@Test
	void nfeTextNodeSplitByCommentsCountsAsOneNode() {
		String nfe = "<NFe><infNFe><ide><natOp>" + "aaaa<!---->".repeat(600) + "</natOp></ide></infNFe></NFe>";

		assertThatLimit(() -> parse(Map.of("limits.max-text-length", "2048"), stream(nfe)))
			.isEqualTo("text node longer than 2048 characters (esteira.invoices.limits.max-text-length)");
	}

	/** The JDK's parser gathers each of these whole before reporting it: they are bounded before it reads them. */
	static Stream<Arguments> markup() {
		return Stream.of(arguments("attribute value", "<NFe><infNFe Id=\"", "a>", "\"/></NFe>", "XML tag"),
				arguments("attribute value in single quotes", "<NFe><infNFe Id='", "a>", "'/></NFe>", "XML tag"),
				arguments("comment", "<NFe><!--", "a>", "--></NFe>", "XML comment"),
				arguments("comment opened by <!-->", "<NFe><!-->", "a>", "--></NFe>", "XML comment"),
				arguments("CDATA section", "<NFe><x><![CDATA[", "a>", "]]></x></NFe>", "XML CDATA section"),
				arguments("processing instruction", "<NFe><?pi ", "a>", "?></NFe>", "XML processing instruction"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("markup")
	void nfeMarkupLongerThanMaxTextLengthIsRefusedBeforeTheParserGathersIt(String what, String prefix, String unit,
			String suffix, String kind) {
		HostileFiles.Generated file = new HostileFiles.Generated(prefix, unit, 100_000_000, suffix);
		CountingStream counted = new CountingStream(file.open());

		assertThatLimit(() -> parse(Map.of(), counted))
			.isEqualTo(kind + " longer than 65536 characters (esteira.invoices.limits.max-text-length)");
		assertThat(counted.read).as(what).isLessThan(1024 * 1024);
	}

	@Test
	void nfeElementNameLongerThanTheJdkLimitIsRefused() {
		HostileFiles.Generated file = new HostileFiles.Generated("<NFe><a", "a", 100_000_000, "/></NFe>");

		assertThatExceptionOfType(UnsupportedFormatException.class).isThrownBy(() -> parse(Map.of(), file.open()))
			.withMessageStartingWith("Not valid NF-e XML")
			.withMessageContaining("\"1,000\" limit");
	}

	@Test
	void nfeDoctypeIsRefusedBeforeItsInternalSubsetIsRead() {
		// A comment holding '>' inside the internal subset: a guard ending the DOCTYPE at the first '>' would miss it.
		HostileFiles.Generated file = new HostileFiles.Generated("<!DOCTYPE NFe [<!-- ", "a>", 100_000_000,
				" -->]><NFe/>");
		CountingStream counted = new CountingStream(file.open());

		assertThatExceptionOfType(UnsupportedFormatException.class).isThrownBy(() -> parse(Map.of(), counted))
			.withMessage("XML with a DTD (DOCTYPE) is not accepted");
		assertThat(counted.read).isLessThan(1024 * 1024);
	}

	@Test
	void nfeNestedDeeperThanMaxDepthIsRefused() {
		String nfe = "<NFe>" + "<a>".repeat(20) + "</a>".repeat(20) + "</NFe>";

		assertThatLimit(() -> parse(Map.of("limits.max-depth", "16"), stream(nfe)))
			.isEqualTo("nesting depth over 16 levels (esteira.invoices.limits.max-depth)");
	}

	@Test
	void nfeWithMoreElementsThanMaxElementsIsRefused() {
		String nfe = "<NFe><infNFe>" + "<x/>".repeat(100) + "</infNFe></NFe>";

		assertThatLimit(() -> parse(Map.of("limits.max-elements", "50"), stream(nfe)))
			.isEqualTo("more than 50 XML elements (esteira.invoices.limits.max-elements)");
	}

	@Test
	void nfeWithMoreItemsThanMaxItemsIsRefused() {
		String item = "<det><prod><xProd>x</xProd><vProd>1.00</vProd></prod></det>";
		String nfe = NfeFixtures.anNfe().xml().replaceFirst("<det ", item.repeat(3) + "<det ");

		assertThatLimit(() -> parse(Map.of("limits.max-items", "4"), stream(nfe)))
			.isEqualTo("invoice 0 has more than 4 items (esteira.invoices.limits.max-items)");
		assertThat(records(Map.of("limits.max-items", "5"), nfe)).singleElement()
			.isInstanceOf(ParsedRecord.Valid.class);
	}

	@Test
	void nfeAmountLongerThanMaxNumberLengthIsARecordErrorNotParsed() {
		String nfe = NfeFixtures.anNfe().xml().replace("<vNF>1500.00</vNF>", "<vNF>1" + "0".repeat(60_000) + "</vNF>");

		assertThat(messages(records(Map.of(), nfe))).containsExactly("must be a number of at most 100 characters");
	}

	// JSON

	@Test
	void jsonInvoiceWithOneMillionItemsIsRefusedAtItemTenThousandAndOne() {
		HostileFiles.Generated json = HostileFiles.aJsonInvoiceWithItems(1_000_000);
		CountingStream counted = new CountingStream(json.open());

		assertThatLimit(() -> parse(Map.of(), counted))
			.isEqualTo("invoice 0 has more than 10000 items (esteira.invoices.limits.max-items)");
		// The first line (up to max-record-length) is looked at for NDJSON, then 10,001 items of 12 bytes are read.
		assertThat(counted.read).isLessThan(2 * 1024 * 1024);
	}

	static Stream<Arguments> jsonValues() {
		return Stream.of(
				arguments("string value", "{\"number\": \"1\", \"customer\": \"@\"}",
						"JSON string longer than 2048 characters (esteira.invoices.limits.max-text-length)"),
				arguments("field name", "{\"@\": 1}",
						"JSON field name longer than 2048 characters (esteira.invoices.limits.max-text-length)"),
				arguments("number", "{\"amount\": 1#}",
						"number longer than 100 characters (esteira.invoices.limits.max-number-length)"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("jsonValues")
	void jsonValueBeyondItsLimitIsRefusedInAnArrayAndInNdjson(String what, String invoice, String reason) {
		String hostile = invoice.replace("@", "x".repeat(3000)).replace("#", "0".repeat(200));
		Map<String, String> limits = Map.of("limits.max-text-length", "2048");

		assertThatLimit(() -> parse(limits, stream("[" + VALID_JSON + ", " + hostile + "]"))).as(what)
			.isEqualTo(reason);
		assertThatLimit(() -> parse(limits, stream(VALID_JSON + "\n" + hostile + "\n"))).as(what).isEqualTo(reason);
	}

	@Test
	void jsonNestedDeeperThanMaxDepthIsRefused() {
		String json = "[{\"number\": " + "[".repeat(20) + "]".repeat(20) + "}]";

		assertThatLimit(() -> parse(Map.of("limits.max-depth", "16"), stream(json)))
			.isEqualTo("nesting depth over 16 levels (esteira.invoices.limits.max-depth)");
	}

	@Test
	void ndjsonLineLongerThanMaxRecordLengthIsRejectedOnItsOwn() {
		String file = VALID_JSON + "\n{\"customer\": \"" + "x".repeat(3000) + "\"}\n" + VALID_JSON + "\n";

		List<ParsedRecord> records = records(Map.of("limits.max-record-length", "2048"), file);

		assertThat(records).hasSize(3);
		assertThat(messages(records)).containsExactly(
				"The line is longer than 2048 bytes (esteira.invoices.limits.max-record-length)");
	}

	@Test
	void jsonRecordNamingAFieldAHundredThousandTimesKeepsItsFirstHundredErrors() {
		HostileFiles.Generated json = new HostileFiles.Generated("[{\"number\": \"1\"", ", \"amount\": 1", 100_000,
				"}]");

		List<ParsedRecord> records = new ArrayList<>();
		parse(Map.of(), json.open(), records);

		List<String> messages = messages(records);
		assertThat(messages).hasSize(RawRecord.MAX_ERRORS + 1)
			.endsWith((100_000 - 1 + 2 - RawRecord.MAX_ERRORS) + " more errors in this record, not listed");
	}

	// CSV

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			unquoted field | 1,
			quoted field | 1,"
			unclosed quote | 1,"a
			""")
	void csvFieldLongerThanMaxTextLengthIsRefusedWithoutBeingHeld(String what, String start) {
		HostileFiles.Generated csv = new HostileFiles.Generated(CSV_HEADER + start, "x", 200_000_000,
				"\",1.00,2026-03-01\n");
		CountingStream counted = new CountingStream(csv.open());

		assertThatLimit(() -> parse(Map.of(), counted))
			.isEqualTo("CSV field longer than 65536 characters (esteira.invoices.limits.max-text-length)");
		assertThat(counted.read).as(what).isLessThan(2 * 1024 * 1024);
	}

	@Test
	void csvRecordLongerThanMaxRecordLengthIsRefused() {
		String csv = CSV_HEADER + ("1," + "x".repeat(1000) + ",1.00,2026-03-01" + ",y".repeat(1500) + "\n");

		assertThatLimit(() -> parse(Map.of("limits.max-text-length", "1024", "limits.max-record-length", "2048"),
				stream(csv)))
			.isEqualTo("CSV record longer than 2048 characters (esteira.invoices.limits.max-record-length)");
	}

	@Test
	void csvAmountLongerThanMaxNumberLengthIsARecordErrorNotParsed() {
		String csv = "numero;cliente;valor;data\n1;ACME;1" + ".000".repeat(10_000) + ",00;01/03/2026\n";

		assertThat(messages(records(Map.of(), csv))).containsExactly("must be a number of at most 100 characters");
	}

	private static String parseReason(ThrowingRunnable parse) {
		try {
			parse.run();
		}
		catch (InputLimitExceededException ex) {
			return ex.getMessage();
		}
		throw new AssertionError("no limit was exceeded");
	}

	private static org.assertj.core.api.AbstractStringAssert<?> assertThatLimit(ThrowingRunnable parse) {
		return assertThat(parseReason(parse));
	}

	private static void parse(Map<String, String> limits, InputStream file) {
		parse(limits, file, new ArrayList<>());
	}

	private static void parse(Map<String, String> limits, InputStream file, List<ParsedRecord> records) {
		new InvoiceFileParser(MARCH_10_2026, TestSettings.invoiceProperties(limits)).parse(file, records::add);
	}

	private static List<ParsedRecord> records(Map<String, String> limits, String file) {
		List<ParsedRecord> records = new ArrayList<>();
		parse(limits, stream(file), records);
		return records;
	}

	private static List<String> messages(List<ParsedRecord> records) {
		return records.stream()
			.filter(ParsedRecord.Rejected.class::isInstance)
			.flatMap((record) -> ((ParsedRecord.Rejected) record).errors().stream())
			.map(ImportError::message)
			.toList();
	}

	private static InputStream stream(String file) {
		return new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8));
	}

	@FunctionalInterface
	private interface ThrowingRunnable {

		void run();

	}

	/** Counts the bytes the parser took. */
	private static final class CountingStream extends java.io.FilterInputStream {

		private long read;

		CountingStream(InputStream in) {
			super(in);
		}

		@Override
		public int read() throws java.io.IOException {
			int b = super.read();
			this.read += (b >= 0) ? 1 : 0;
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws java.io.IOException {
			int n = super.read(buffer, offset, length);
			this.read += Math.max(n, 0);
			return n;
		}

	}

}
