package io.esteira.invoice.imports;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import io.esteira.invoice.TestSettings;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

class InvoiceFileParserTest {

	/** "Today" for every test: tomorrow is 2026-03-11. */
	private static final Clock MARCH_10_2026 = Clock.fixed(Instant.parse("2026-03-10T12:00:00Z"), ZoneOffset.UTC);

	private final InvoiceFileParser parser = new InvoiceFileParser(MARCH_10_2026, TestSettings.invoiceProperties());

	@Test
	void readsEnglishFieldsFromAnArray() {
		List<ParsedRecord> records = parse("""
				[
				  {"number": "1001", "customer": "ACME Ltda", "amount": 1234.56, "date": "2026-03-01"},
				  {"number": 1002, "customer": "Padaria Pão Quente", "amount": "99.90", "date": "2026-02-28",
				   "series": "7", "currency": "usd"}
				]
				""");

		assertThat(records).usingRecursiveFieldByFieldElementComparatorIgnoringFields("line").containsExactly(
				new ParsedRecord.Valid(0, "1", "1001", "ACME Ltda", new BigDecimal("1234.56"), "BRL",
						LocalDate.of(2026, 3, 1)),
				new ParsedRecord.Valid(1, "7", "1002", "Padaria Pão Quente", new BigDecimal("99.90"), "USD",
						LocalDate.of(2026, 2, 28)));
	}

	@Test
	void readsPortugueseFieldsWithBrazilianDates() {
		List<ParsedRecord> records = parse("""
				[{"numero": "NF-77", "cliente": "Oficina do Zé", "valor": "10", "dataEmissao": "05/03/2026",
				  "serie": 2, "moeda": "BRL"},
				 {"Numero": "NF-78", "Cliente": "Oficina do Zé", "Valor": 0.5, "data": "2026-03-11"}]
				""");

		assertThat(records).usingRecursiveFieldByFieldElementComparatorIgnoringFields("line").containsExactly(
				new ParsedRecord.Valid(0, "2", "NF-77", "Oficina do Zé", new BigDecimal("10.00"), "BRL",
						LocalDate.of(2026, 3, 5)),
				new ParsedRecord.Valid(1, "1", "NF-78", "Oficina do Zé", new BigDecimal("0.50"), "BRL",
						LocalDate.of(2026, 3, 11)));
	}

	@Test
	void acceptsASingleInvoiceObject() {
		List<ParsedRecord> records = parse("""
				{"numero": "1", "cliente": "ACME", "valor": 1, "data": "01/03/2026"}
				""");

		assertThat(records).singleElement().isInstanceOf(ParsedRecord.Valid.class);
	}

	@Test
	void amountIsReadExactlyNeverThroughDouble() {
		List<ParsedRecord> records = parse("""
				[{"number": "1", "customer": "A", "amount": 9999999999999.99, "date": "2026-03-01"},
				 {"number": "2", "customer": "A", "amount": 0.1, "date": "2026-03-01"},
				 {"number": "3", "customer": "A", "amount": 1.50, "date": "2026-03-01"}]
				""");

		assertThat(records).extracting((record) -> ((ParsedRecord.Valid) record).amount())
			.containsExactly(new BigDecimal("9999999999999.99"), new BigDecimal("0.10"), new BigDecimal("1.50"));
	}

	@Test
	void impossibleCalendarDateIsRejected() {
		assertThat(errorsOf(parse(anInvoiceWith("date", "data", "\"31/02/2026\""))))
			.containsExactly(tuple(0, "data", "31/02/2026", "is not a valid calendar date"));
		assertThat(errorsOf(parse(anInvoiceWith("date", "date", "\"2026-02-29\""))))
			.containsExactly(tuple(0, "date", "2026-02-29", "is not a valid calendar date"));
	}

	@Test
	void datesInOtherFormatsAreRejected() {
		assertThat(errorsOf(parse(anInvoiceWith("date", "date", "\"3/1/2026\""))))
			.containsExactly(tuple(0, "date", "3/1/2026", "must be a date as yyyy-MM-dd or dd/MM/yyyy"));
		assertThat(errorsOf(parse(anInvoiceWith("date", "date", "20260301"))))
			.containsExactly(tuple(0, "date", "20260301", "must be a date as yyyy-MM-dd or dd/MM/yyyy"));
	}

	@Test
	void dateAfterTomorrowIsRejected() {
		assertThat(parse(anInvoiceWith("date", "date", "\"2026-03-11\""))).singleElement()
			.isInstanceOf(ParsedRecord.Valid.class);
		assertThat(errorsOf(parse(anInvoiceWith("date", "date", "\"12/03/2026\""))))
			.containsExactly(tuple(0, "date", "12/03/2026", "must not be after 2026-03-11"));
	}

	@Test
	void zeroAndNegativeAmountsAreRejected() {
		assertThat(errorsOf(parse(anInvoiceWith("amount", "amount", "0"))))
			.containsExactly(tuple(0, "amount", "0", "must be greater than 0"));
		assertThat(errorsOf(parse(anInvoiceWith("amount", "valor", "\"-10.00\""))))
			.containsExactly(tuple(0, "valor", "-10.00", "must be greater than 0"));
	}

	@Test
	void amountsWithMoreThanTwoDecimalsOrInAnotherNotationAreRejected() {
		assertThat(errorsOf(parse(anInvoiceWith("amount", "amount", "10.005"))))
			.containsExactly(tuple(0, "amount", "10.005", "must have at most 2 decimal places"));
		assertThat(errorsOf(parse(anInvoiceWith("amount", "valor", "\"1.234,56\""))))
			.containsExactly(tuple(0, "valor", "1.234,56", "must be a decimal number like 1234.56"));
		assertThat(errorsOf(parse(anInvoiceWith("amount", "amount", "true"))))
			.containsExactly(tuple(0, "amount", "true", "must be a decimal number like 1234.56"));
	}

	@Test
	void everyErrorOfARecordIsCollected() {
		List<ParsedRecord> records = parse("""
				[{"numero": "  ", "valor": -1, "data": "31/02/2026", "moeda": "REAL", "serie": 1.5}]
				""");

		assertThat(errorsOf(records)).containsExactlyInAnyOrder(tuple(0, "numero", "  ", "must not be blank"),
				tuple(0, "customer", null, "is required"), tuple(0, "valor", "-1", "must be greater than 0"),
				tuple(0, "data", "31/02/2026", "is not a valid calendar date"),
				tuple(0, "moeda", "REAL", "must be a 3-letter currency code like BRL"),
				tuple(0, "serie", "1.5", "must be a string or an integer"));
	}

	@Test
	void missingRequiredFieldsAreNamedInEnglish() {
		assertThat(errorsOf(parse("[{}]"))).containsExactlyInAnyOrder(tuple(0, "number", null, "is required"),
				tuple(0, "customer", null, "is required"), tuple(0, "amount", null, "is required"),
				tuple(0, "date", null, "is required"));
	}

	@Test
	void nestedValuesAndNonObjectsAreRejectedWhileTheRestOfTheFileIsRead() {
		List<ParsedRecord> records = parse("""
				[
				  {"number": {"value": [1, 2, {"deep": []}]}, "customer": "ACME", "amount": 1, "date": "2026-03-01"},
				  42,
				  [{"number": "1"}],
				  "garbage",
				  {"number": "5", "customer": "ACME", "amount": 1, "date": "2026-03-01",
				   "lines": [{"sku": "A", "qty": 1}], "notes": {"free": "text"}}
				]
				""");

		assertThat(records).hasSize(5);
		assertThat(errorsOf(records.subList(0, 4))).containsExactly(
				tuple(0, "number", "{…}", "must be a single value, not an object or an array"),
				tuple(1, null, "42", "must be an invoice object"), tuple(2, null, "[…]", "must be an invoice object"),
				tuple(3, null, "garbage", "must be an invoice object"));
		assertThat(records.get(4)).isInstanceOf(ParsedRecord.Valid.class);
	}

	@Test
	void aFieldGivenTwiceIsRejected() {
		List<ParsedRecord> records = parse("""
				{"number": "1", "customer": "ACME", "amount": 10, "valor": 2, "date": "2026-03-01"}
				""");

		assertThat(errorsOf(records))
			.containsExactly(tuple(0, "valor", "2", "is given more than once (also as 'amount')"));
	}

	@Test
	void filesThatAreNotAJsonArrayOfInvoicesAreUnsupported() {
		for (String file : List.of("", "numero;cliente;valor\n1;ACME;10,00\n", "\"just a string\"", "42",
				"[{\"number\": \"1\"", "[{\"number\": \"1\", \"customer\": \"A\", \"amount\": 1, \"date\": "
						+ "\"2026-03-01\"}] trailing",
				"[] []", "{\"number\": 1}}")) {
			assertThatExceptionOfType(UnsupportedFormatException.class).as(file).isThrownBy(() -> parse(file));
		}
	}

	@Test
	void binaryContentIsUnsupported() {
		byte[] png = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13 };
		assertThatExceptionOfType(UnsupportedFormatException.class)
			.isThrownBy(() -> this.parser.parse(new ByteArrayInputStream(png), (record) -> {
			}));
	}

	@Test
	void excessiveNestingIsUnsupported() {
		String deep = "[" + "[".repeat(200) + "]".repeat(200) + "]";
		assertThatExceptionOfType(UnsupportedFormatException.class).isThrownBy(() -> parse(deep));
	}

	@Test
	void recordsArriveWhileTheFileIsStillBeingRead() {
		int count = 200_000;
		GeneratedInvoiceFile file = new GeneratedInvoiceFile(count);
		int[] producedAtFirstRecord = { -1 };
		long[] valid = { 0 };

		int parsed = this.parser.parse(file, (record) -> {
			if (producedAtFirstRecord[0] < 0) {
				producedAtFirstRecord[0] = file.produced();
			}
			if (record instanceof ParsedRecord.Valid) {
				valid[0]++;
			}
		});

		assertThat(parsed).isEqualTo(count);
		assertThat(valid[0]).isEqualTo(count);
		assertThat(producedAtFirstRecord[0]).isLessThan(1_000);
	}

	private List<ParsedRecord> parse(String file) {
		List<ParsedRecord> records = new ArrayList<>();
		this.parser.parse(new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)), records::add);
		return records;
	}

	/** A valid invoice whose field {@code canonical} is replaced by {@code name: jsonValue}. */
	private static String anInvoiceWith(String canonical, String name, String jsonValue) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("number", "\"1\"");
		fields.put("customer", "\"ACME\"");
		fields.put("amount", "10");
		fields.put("date", "\"2026-03-01\"");
		fields.remove(canonical);
		fields.put(name, jsonValue);
		StringJoiner json = new StringJoiner(", ", "[{", "}]");
		fields.forEach((key, value) -> json.add("\"" + key + "\": " + value));
		return json.toString();
	}

	private static List<Tuple> errorsOf(List<ParsedRecord> records) {
		return records.stream()
			.flatMap((record) -> ((ParsedRecord.Rejected) record).errors().stream())
			.map((error) -> tuple(error.index(), error.field(), error.value(), error.message()))
			.toList();
	}

	/** A JSON array of invoices written while it is read, counting how many invoices it has produced so far. */
	private static final class GeneratedInvoiceFile extends InputStream {

		private final int count;

		private int produced = 0;

		private byte[] chunk = "[".getBytes(StandardCharsets.UTF_8);

		private int position = 0;

		private boolean closed = false;

		GeneratedInvoiceFile(int count) {
			this.count = count;
		}

		int produced() {
			return this.produced;
		}

		@Override
		public int read() {
			if (this.position == this.chunk.length && !advance()) {
				return -1;
			}
			return this.chunk[this.position++] & 0xff;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			if (this.position == this.chunk.length && !advance()) {
				return -1;
			}
			int n = Math.min(length, this.chunk.length - this.position);
			System.arraycopy(this.chunk, this.position, buffer, offset, n);
			this.position += n;
			return n;
		}

		private boolean advance() {
			if (this.closed) {
				return false;
			}
			if (this.produced == this.count) {
				this.chunk = "]".getBytes(StandardCharsets.UTF_8);
				this.closed = true;
			}
			else {
				this.chunk = (((this.produced > 0) ? "," : "") + "{\"numero\":\"" + this.produced
						+ "\",\"cliente\":\"Cliente " + (this.produced % 97) + "\",\"valor\":\""
						+ (this.produced + 1) + ".25\",\"data\":\"01/03/2026\"}\n")
					.getBytes(StandardCharsets.UTF_8);
				this.produced++;
			}
			this.position = 0;
			return true;
		}

	}

}
