package io.esteira.invoice.imports;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.esteira.invoice.NfeFixtures;
import io.esteira.invoice.TestSettings;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import static io.esteira.invoice.NfeFixtures.anNfe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/** CSV, NF-e XML and the Brazilian fields of JSON, through {@link InvoiceFileParser}'s content-based detection. */
class InvoiceFormatsTest {

	/** "Today" for every test: tomorrow is 2026-03-11. */
	private static final Clock MARCH_10_2026 = Clock.fixed(Instant.parse("2026-03-10T12:00:00Z"), ZoneOffset.UTC);

	private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

	private final InvoiceFileParser parser = new InvoiceFileParser(MARCH_10_2026, TestSettings.invoiceProperties());

	// CSV

	@Test
	void semicolonCsvWithBrazilianDecimalsAndDatesIsRead() {
		List<ParsedRecord> records = parse("""
				numero;serie;cliente;cpf;valor;data;vencimento;moeda
				1001;2;ACME Ltda;529.982.247-25;1.234,56;05/03/2026;05/04/2026;BRL
				1002;2;Padaria;;99,9;2026-03-01;;
				""".getBytes(StandardCharsets.UTF_8), InvoiceFileParser.Format.CSV);

		assertThat(valid(records)).extracting(ParsedRecord.Valid::number, ParsedRecord.Valid::series,
				ParsedRecord.Valid::amount, ParsedRecord.Valid::issueDate, ParsedRecord.Valid::dueDate,
				ParsedRecord.Valid::customerDocument, ParsedRecord.Valid::line)
			.containsExactly(
					tuple("1001", "2", new BigDecimal("1234.56"), LocalDate.of(2026, 3, 5), LocalDate.of(2026, 4, 5),
							"52998224725", 2L),
					tuple("1002", "2", new BigDecimal("99.90"), LocalDate.of(2026, 3, 1), null, null, 3L));
	}

	@Test
	void commaCsvWithQuotedDelimitersQuotesAndLineBreaksIsRead() {
		List<ParsedRecord> records = parse("""
				number,customer,amount,issueDate
				"1","ACME, Ltda",1234.56,2026-03-01
				"2","O ""Rei"" do
				Pão",10,2026-03-02
				3,Padaria,"5.00",2026-03-03
				""".getBytes(StandardCharsets.UTF_8), InvoiceFileParser.Format.CSV);

		assertThat(valid(records)).extracting(ParsedRecord.Valid::customer, ParsedRecord.Valid::line)
			.containsExactly(tuple("ACME, Ltda", 2L), tuple("O \"Rei\" do\nPão", 3L), tuple("Padaria", 5L));
	}

	@Test
	void utf8ByteOrderMarkIsSkipped() {
		byte[] bom = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };
		byte[] body = "número;cliente;valor;data\n1;José;10,00;01/03/2026\n".getBytes(StandardCharsets.UTF_8);
		byte[] file = new byte[bom.length + body.length];
		System.arraycopy(bom, 0, file, 0, bom.length);
		System.arraycopy(body, 0, file, bom.length, body.length);

		assertThat(valid(parse(file, InvoiceFileParser.Format.CSV))).singleElement()
			.extracting(ParsedRecord.Valid::customer)
			.isEqualTo("José");
	}

	@Test
	void windows1252IsReadWhenTheBytesAreNotUtf8() {
		byte[] file = "numero;cliente;valor;data\n1;Padaria Pão de Açúcar;10,00;01/03/2026\n".getBytes(WINDOWS_1252);

		assertThat(valid(parse(file, InvoiceFileParser.Format.CSV))).singleElement()
			.extracting(ParsedRecord.Valid::customer)
			.isEqualTo("Padaria Pão de Açúcar");
	}

	@Test
	void csvErrorsNameTheirLineAndEveryWrongField() {
		List<ParsedRecord> records = parse("""
				numero;cliente;valor;data;cnpj
				1;ACME;10,00;01/03/2026;11.222.333/0001-81
				2;ACME;-5,00;31/02/2026;11.222.333/0001-82
				3;;0;2026-13-01;123
				""".getBytes(StandardCharsets.UTF_8), InvoiceFileParser.Format.CSV);

		assertThat(records).hasSize(3);
		assertThat(errors(records)).containsExactly(
				tuple(1, 3L, "cnpj", "11.222.333/0001-82", "is not a valid CNPJ (check digits)"),
				tuple(1, 3L, "valor", "-5,00", "must be greater than 0"),
				tuple(1, 3L, "data", "31/02/2026", "is not a valid calendar date"),
				tuple(2, 4L, "customer", null, "is required"),
				tuple(2, 4L, "cnpj", "123", "must be a CPF (11 digits) or a CNPJ (14 characters)"),
				tuple(2, 4L, "valor", "0", "must be greater than 0"),
				tuple(2, 4L, "data", "2026-13-01", "is not a valid calendar date"));
	}

	@Test
	void csvWithoutTheRequiredColumnsIsUnsupported() {
		assertThatExceptionOfType(UnsupportedFormatException.class)
			.isThrownBy(() -> parse("numero;cliente;valor\n1;ACME;10,00\n".getBytes(StandardCharsets.UTF_8), null))
			.withMessageContaining("no column for date");
	}

	@Test
	void unclosedQuoteTakesTheRestOfTheFileIntoOneRejectedRow() {
		List<ParsedRecord> records = parse("numero;cliente;valor;data\n1;\"ACME;10,00;01/03/2026\n2;B;1;01/03/2026\n"
			.getBytes(StandardCharsets.UTF_8), InvoiceFileParser.Format.CSV);

		assertThat(records).singleElement().isInstanceOf(ParsedRecord.Rejected.class);
		assertThat(errors(records)).containsExactly(tuple(0, 2L, "amount", null, "is required"),
				tuple(0, 2L, "date", null, "is required"));
	}

	@Test
	void fiftyMegabyteCsvIsStreamedWithFlatHeap() {
		GeneratedCsv file = new GeneratedCsv(50L * 1024 * 1024);
		Runtime runtime = Runtime.getRuntime();
		System.gc();
		long baseline = runtime.totalMemory() - runtime.freeMemory();
		long[] peak = { 0 };
		int[] valid = { 0 };
		int records = this.parser.parse(file, (record) -> {
			if (record instanceof ParsedRecord.Valid) {
				valid[0]++;
			}
			if (valid[0] % 200_000 == 0) {
				System.gc();
				peak[0] = Math.max(peak[0], runtime.totalMemory() - runtime.freeMemory() - baseline);
			}
		});

		assertThat(file.bytesServed()).isGreaterThanOrEqualTo(50L * 1024 * 1024);
		assertThat(valid[0]).isEqualTo(records).isGreaterThan(900_000);
		// What the parser keeps alive does not grow with the file: well under the file's 50 MB.
		assertThat(peak[0]).isLessThan(16L * 1024 * 1024);
	}

	// JSON

	@Test
	void jsonCarriesDocumentsDueDateAndItems() {
		List<ParsedRecord> records = parse("""
				{"numero": "10", "cliente": "ACME", "documento": "12.ABC.345/01DE-35", "emitente": "11222333000181",
				 "valor": 30, "dataEmissao": "2026-03-01", "vencimento": "2026-03-31",
				 "itens": [{"descricao": "Café", "quantidade": 2, "valorUnitario": 15, "valorTotal": "30.00"}]}
				{"number": "11", "customer": "ACME", "customerDocument": "52998224725", "amount": 1,
				 "issueDate": "2026-03-01"}
				""".getBytes(StandardCharsets.UTF_8), InvoiceFileParser.Format.JSON);

		assertThat(valid(records)).hasSize(2);
		ParsedRecord.Valid first = valid(records).getFirst();
		assertThat(first.customerDocument()).isEqualTo("12ABC34501DE35");
		assertThat(first.issuerDocument()).isEqualTo("11222333000181");
		assertThat(first.dueDate()).isEqualTo(LocalDate.of(2026, 3, 31));
		assertThat(first.items()).containsExactly(
				new ParsedRecord.Item("Café", new BigDecimal("2"), new BigDecimal("15"), new BigDecimal("30.00")));
		assertThat(valid(records).get(1).customerDocument()).isEqualTo("52998224725");
	}

	@Test
	void invalidDocumentsCurrencyAndDueDateAreRejected() {
		List<ParsedRecord> records = parse("""
				[{"numero": "10", "cliente": "ACME", "cpf": "111.111.111-11", "emitente": "12ABC34501DE36",
				  "valor": 30, "data": "2026-03-05", "vencimento": "2026-03-01", "moeda": "XYZ"}]
				""".getBytes(StandardCharsets.UTF_8), InvoiceFileParser.Format.JSON);

		assertThat(errors(records)).extracting((error) -> error.toList().get(2), (error) -> error.toList().get(4))
			.containsExactly(tuple("cpf", "is not a valid CPF (check digits)"),
					tuple("emitente", "is not a valid CNPJ (check digits)"),
					tuple("moeda", "is not an ISO 4217 currency code"),
					tuple("vencimento", "must not be before the issue date 2026-03-05"));
	}

	@Test
	void jsonAccessKeyMustHaveItsCheckDigitAndMatchTheNumber() {
		String key = anNfe().accessKey();
		String wrongDigit = key.substring(0, 43) + ((key.charAt(43) - '0' + 1) % 10);
		List<ParsedRecord> records = parse(("[{\"chave\": \"" + key + "\", \"cliente\": \"A\", \"valor\": 1, "
				+ "\"data\": \"2026-03-05\"}, {\"chave\": \"" + wrongDigit + "\", \"numero\": \"1234\", \"cliente\": "
				+ "\"A\", \"valor\": 1, \"data\": \"2026-03-05\"}, {\"chave\": \"" + key + "\", \"numero\": \"77\", "
				+ "\"cliente\": \"A\", \"valor\": 1, \"data\": \"2026-03-05\"}]").getBytes(StandardCharsets.UTF_8),
				InvoiceFileParser.Format.JSON);

		assertThat(records.getFirst()).isInstanceOfSatisfying(ParsedRecord.Valid.class, (invoice) -> {
			assertThat(invoice.number()).isEqualTo("1234");
			assertThat(invoice.series()).isEqualTo("1");
			assertThat(invoice.issuerDocument()).isEqualTo(NfeFixtures.ISSUER_CNPJ);
		});
		assertThat(errors(records)).extracting((error) -> error.toList().get(4))
			.containsExactly("has a wrong check digit", "does not match the number 77");
	}

	@Test
	void deepJsonNestingIsUnsupportedWithoutExhaustingTheStack() {
		String deep = "[{\"numero\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}]";
		assertThatExceptionOfType(UnsupportedFormatException.class)
			.isThrownBy(() -> parse(deep.getBytes(StandardCharsets.UTF_8), null))
			.withMessageContaining("nesting depth");
	}

	@Test
	void aBrokenNdjsonLineIsRejectedWithItsLineNumberAndTheOtherLinesAreRead() {
		List<ParsedRecord> records = parse("""
				{"numero": "1", "cliente": "ACME", "valor": 10, "data": "2026-03-01"}
				{"numero": "2", "cliente": "ACME", "valor": 20, "data": "2026-03-01"

				{"numero": "3", "cliente": "ACME", "valor": 30, "data": "2026-03-01"}
				[1, 2]
				{"numero": "4", "cliente": "ACME", "valor": 40, "data": "2026-03-01"} {"numero": "5"}
				{"numero": "6", "cliente": "ACME", "valor": 60, "data": "2026-03-01"}
				""".getBytes(StandardCharsets.UTF_8), InvoiceFileParser.Format.JSON);

		assertThat(records).filteredOn(ParsedRecord.Valid.class::isInstance)
			.extracting((record) -> ((ParsedRecord.Valid) record).number())
			.containsExactly("1", "3", "6");
		assertThat(errors(records)).extracting((error) -> error.toList().get(0), (error) -> error.toList().get(1))
			.containsExactly(tuple(1, 2L), tuple(3, 5L), tuple(4, 6L));
		assertThat(errors(records)).extracting((error) -> (String) error.toList().get(4))
			.satisfiesExactly((message) -> assertThat(message).startsWith("Not valid JSON").contains("line 2"),
					(message) -> assertThat(message).isEqualTo("Expected an invoice object, found an array"),
					(message) -> assertThat(message).startsWith("Unexpected content after the invoice"));
	}

	@Test
	void anNdjsonLineOverTheLimitIsRejectedWithoutBeingKept() {
		int maxLine = TestSettings.invoiceProperties().limits().maxRecordLength();
		String huge = "{\"numero\": \"2\", \"cliente\": \"" + "x".repeat(maxLine) + "\"}";
		String file = "{\"numero\": \"1\", \"cliente\": \"ACME\", \"valor\": 10, \"data\": \"2026-03-01\"}\n" + huge
				+ "\n{\"numero\": \"3\", \"cliente\": \"ACME\", \"valor\": 30, \"data\": \"2026-03-01\"}\n";

		List<ParsedRecord> records = parse(file.getBytes(StandardCharsets.UTF_8), InvoiceFileParser.Format.JSON);

		assertThat(records).hasSize(3);
		assertThat(errors(records)).singleElement()
			.satisfies((error) -> assertThat(error.toList().get(1)).isEqualTo(2L))
			.satisfies((error) -> assertThat((String) error.toList().get(4)).startsWith("The line is longer than"));
	}

	@Test
	void brokenJsonInAnArrayStillMakesTheFileUnsupported() {
		assertThatExceptionOfType(UnsupportedFormatException.class)
			.isThrownBy(() -> parse("""
					[{"numero": "1", "cliente": "ACME", "valor": 10, "data": "2026-03-01"},
					 {"numero": "2", "cliente": "ACME", "valor": 20 "data": "2026-03-01"}]
					""".getBytes(StandardCharsets.UTF_8), null))
			.withMessageContaining("line 2");
	}

	// NF-e XML

	@Test
	void authorisedNfeIsReadWithItsKeyDocumentsItemsAndStatus() {
		List<ParsedRecord> records = parse(anNfe().xml().getBytes(StandardCharsets.UTF_8),
				InvoiceFileParser.Format.XML);

		ParsedRecord.Valid nfe = valid(records).getFirst();
		assertThat(nfe.accessKey()).isEqualTo(anNfe().accessKey());
		assertThat(nfe.number()).isEqualTo("1234");
		assertThat(nfe.series()).isEqualTo("1");
		assertThat(nfe.issuerDocument()).isEqualTo(NfeFixtures.ISSUER_CNPJ);
		assertThat(nfe.customerDocument()).isEqualTo(NfeFixtures.CUSTOMER_CPF);
		assertThat(nfe.customer()).isEqualTo("Oficina do Zé");
		assertThat(nfe.amount()).isEqualByComparingTo("1500.00");
		assertThat(nfe.issueDate()).isEqualTo(LocalDate.of(2026, 3, 5));
		assertThat(nfe.dueDate()).isEqualTo(LocalDate.of(2026, 4, 5));
		assertThat(nfe.authorizationStatus()).isEqualTo("100");
		assertThat(nfe.items()).containsExactly(
				new ParsedRecord.Item("Parafuso M6", new BigDecimal("1000.0000"), new BigDecimal("0.5000000000"),
						new BigDecimal("500.00")),
				new ParsedRecord.Item("Porca & arruela", new BigDecimal("2"), new BigDecimal("500.00"),
						new BigDecimal("1000.00")));
	}

	@Test
	void nfceWithoutRecipientIsAConsumerInvoiceWithoutDocument() {
		String nfce = anNfe().consumerInvoice().withoutRecipient().xml();

		ParsedRecord.Valid invoice = valid(parse(nfce.getBytes(StandardCharsets.UTF_8), InvoiceFileParser.Format.XML))
			.getFirst();

		assertThat(invoice.customer()).isEqualTo("Consumidor final");
		assertThat(invoice.customerDocument()).isNull();
		assertThat(invoice.accessKey().substring(20, 22)).as("model in the access key").isEqualTo("65");
		assertThat(invoice.amount()).isEqualByComparingTo("1500.00");
	}

	@Test
	void nfceNamingItsRecipientKeepsTheRecipient() {
		String nfce = anNfe().consumerInvoice().xml();

		ParsedRecord.Valid invoice = valid(parse(nfce.getBytes(StandardCharsets.UTF_8), InvoiceFileParser.Format.XML))
			.getFirst();

		assertThat(invoice.customer()).isEqualTo("Oficina do Zé");
		assertThat(invoice.customerDocument()).isEqualTo(NfeFixtures.CUSTOMER_CPF);
	}

	@Test
	void nfeWithoutRecipientIsStillRejected() {
		String nfe = anNfe().withoutRecipient().xml();

		List<ParsedRecord> records = parse(nfe.getBytes(StandardCharsets.UTF_8), InvoiceFileParser.Format.XML);

		assertThat(records).singleElement().isInstanceOfSatisfying(ParsedRecord.Rejected.class,
				(rejected) -> assertThat(rejected.errors()).extracting(ImportError::field, ImportError::message)
					.containsExactly(tuple("customer", "is required")));
	}

	@Test
	void bareNfeWithoutProtocolIsRead() {
		List<ParsedRecord> records = parse(anNfe().withNumber("42").withSeries("3").bare().xml()
			.getBytes(StandardCharsets.UTF_8), InvoiceFileParser.Format.XML);

		assertThat(valid(records)).singleElement().satisfies((nfe) -> {
			assertThat(nfe.number()).isEqualTo("42");
			assertThat(nfe.series()).isEqualTo("3");
			assertThat(nfe.authorizationStatus()).isNull();
		});
	}

	@Test
	void nfeWithABadCheckDigitIsRejectedWithTheXmlPath() {
		List<ParsedRecord> records = parse(NfeFixtures.anNfeWithBadCheckDigit().getBytes(StandardCharsets.UTF_8),
				InvoiceFileParser.Format.XML);

		assertThat(records).singleElement().isInstanceOf(ParsedRecord.Rejected.class);
		ImportError error = ((ParsedRecord.Rejected) records.getFirst()).errors().getFirst();
		assertThat(error.path()).isEqualTo("/nfeProc/NFe/infNFe/@Id");
		assertThat(error.message()).isEqualTo("has a wrong check digit");
	}

	@Test
	void nfeWhoseFieldsDisagreeWithItsKeyIsRejected() {
		List<ParsedRecord> records = parse(
				NfeFixtures.anNfeWhoseNumberDisagreesWithItsKey().getBytes(StandardCharsets.UTF_8),
				InvoiceFileParser.Format.XML);

		assertThat(errors(records)).extracting((error) -> error.toList().get(4))
			.containsExactly("does not match the number 9999");
		List<ParsedRecord> otherIssuer = parse(anNfe().withAccessKey(anNfe().accessKey())
			.withIssuer("12ABC34501DE35")
			.xml()
			.getBytes(StandardCharsets.UTF_8), InvoiceFileParser.Format.XML);
		assertThat(errors(otherIssuer)).extracting((error) -> error.toList().get(4))
			.containsExactly("does not match the issuer document 12ABC34501DE35");
	}

	@Test
	void xxePayloadIsRefusedAndNeverResolved() {
		List<ParsedRecord> records = new ArrayList<>();
		assertThatExceptionOfType(UnsupportedFormatException.class)
			.isThrownBy(() -> this.parser.parse(
					new ByteArrayInputStream(NfeFixtures.anNfeWithAnXxePayload().getBytes(StandardCharsets.UTF_8)),
					records::add))
			.withMessageContaining("DTD")
			.withMessageNotContaining("root:");
		assertThat(records).isEmpty();
	}

	@Test
	void xmlThatIsNotAnNfeIsUnsupported() {
		assertThatExceptionOfType(UnsupportedFormatException.class)
			.isThrownBy(() -> parse("<invoices><invoice/></invoices>".getBytes(StandardCharsets.UTF_8), null))
			.withMessageContaining("not nfeProc or NFe");
		assertThatExceptionOfType(UnsupportedFormatException.class)
			.isThrownBy(() -> parse("<nfeProc><NFe><infNFe>".getBytes(StandardCharsets.UTF_8), null));
	}

	/** A semicolon CSV of at least {@code size} bytes, generated while it is read. */
	private static final class GeneratedCsv extends java.io.InputStream {

		private final long size;

		private long served;

		private int row;

		private byte[] chunk = "numero;cliente;cnpj;valor;data\n".getBytes(StandardCharsets.UTF_8);

		private int position;

		GeneratedCsv(long size) {
			this.size = size;
		}

		long bytesServed() {
			return this.served;
		}

		@Override
		public int read() {
			byte[] one = new byte[1];
			return (read(one, 0, 1) == -1) ? -1 : one[0] & 0xff;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			if (this.position == this.chunk.length) {
				if (this.served >= this.size) {
					return -1;
				}
				this.row++;
				this.chunk = (this.row + ";Cliente " + (this.row % 97) + ";11.222.333/0001-81;1.234,56;01/03/2026\n")
					.getBytes(StandardCharsets.UTF_8);
				this.position = 0;
			}
			int n = Math.min(length, this.chunk.length - this.position);
			System.arraycopy(this.chunk, this.position, buffer, offset, n);
			this.position += n;
			this.served += n;
			return n;
		}

	}

	private List<ParsedRecord> parse(byte[] file, InvoiceFileParser.Format expected) {
		List<ParsedRecord> records = new ArrayList<>();
		InvoiceFileParser.Format[] detected = new InvoiceFileParser.Format[1];
		this.parser.parse(new ByteArrayInputStream(file), records::add, (format) -> detected[0] = format);
		if (expected != null) {
			assertThat(detected[0]).isEqualTo(expected);
		}
		return records;
	}

	private static List<ParsedRecord.Valid> valid(List<ParsedRecord> records) {
		assertThat(records).allSatisfy((record) -> assertThat(record).as(record.toString())
			.isInstanceOf(ParsedRecord.Valid.class));
		return records.stream().map(ParsedRecord.Valid.class::cast).toList();
	}

	private static List<Tuple> errors(List<ParsedRecord> records) {
		return records.stream()
			.filter(ParsedRecord.Rejected.class::isInstance)
			.flatMap((record) -> ((ParsedRecord.Rejected) record).errors().stream())
			.map((error) -> tuple(error.index(), error.line(), error.field(), error.value(), error.message()))
			.toList();
	}

}
