package io.esteira.invoice.imports;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.function.Consumer;

import javax.xml.stream.XMLInputFactory;

import io.esteira.invoice.config.InvoiceProperties;
import io.esteira.invoice.config.InvoiceProperties.Limits;
import tools.jackson.core.json.JsonFactory;

import org.springframework.stereotype.Component;

/**
 * Reads an invoice file one record at a time, so memory does not grow with the file, and hands each record to a
 * consumer as {@link ParsedRecord.Valid} or {@link ParsedRecord.Rejected} (with all its errors, see
 * {@link RecordValidator}). The format is decided from the content, whatever the file is called:
 * <ul>
 * <li>first non-blank character {@code [} or {@code {}: JSON ({@link JsonInvoiceReader});</li>
 * <li>{@code <}: NF-e XML ({@link NfeXmlReader});</li>
 * <li>text whose first line names the invoice columns: CSV ({@link CsvInvoiceReader});</li>
 * <li>anything else (binary, empty, other text) throws {@link UnsupportedFormatException}.</li>
 * </ul>
 * A file that breaks off or turns out malformed half-way throws too; records already handed over stay handed over,
 * so the caller decides what to undo.
 * <p>
 * Every input is bounded ({@code esteira.invoices.limits.*}, {@link Limits}): the file's size and its number of
 * records here, the rest in each reader. A file beyond a limit throws {@link InputLimitExceededException} (an
 * {@link UnsupportedFormatException}) as soon as it is seen, without reading further.
 */
@Component
public class InvoiceFileParser {

	/** How many leading bytes are looked at to decide the format. */
	private static final int SNIFF = 8 * 1024;

	private final Clock clock;

	private final Limits limits;

	private final JsonFactory json;

	private final XMLInputFactory xml;

	public InvoiceFileParser(Clock clock, InvoiceProperties properties) {
		this.clock = clock;
		this.limits = properties.limits();
		this.json = JsonInvoiceReader.factory(this.limits);
		this.xml = NfeXmlReader.secureFactory(this.limits);
	}

	/** The formats this parser reads. */
	public enum Format {

		JSON, CSV, XML

	}

	/**
	 * Parses a whole file, handing each record to {@code records} as soon as it is read.
	 * @return how many records the file holds
	 * @throws UnsupportedFormatException when the file is not a JSON, CSV or NF-e XML invoice file
	 * @throws UncheckedIOException when reading the stream fails (a transient error, worth a retry)
	 */
	public int parse(InputStream file, Consumer<ParsedRecord> records) {
		return parse(file, records, (format) -> {
		});
	}

	/** As {@link #parse(InputStream, Consumer)}, telling {@code detected} the format before the first record. */
	public int parse(InputStream file, Consumer<ParsedRecord> records, Consumer<Format> detected) {
		LocalDate latestDate = LocalDate.now(this.clock).plusDays(1);
		int maxNumber = this.limits.maxNumberLength();
		Consumer<ParsedRecord> counted = counted(records);
		try {
			BufferedInputStream input = new BufferedInputStream(new SizeLimited(file, this.limits), 64 * 1024);
			skipUtf8ByteOrderMark(input);
			Format format = detect(input);
			detected.accept(format);
			return switch (format) {
				case JSON -> new JsonInvoiceReader(this.json, this.limits,
						new RecordValidator(latestDate, false, maxNumber)).read(input, counted);
				case XML -> new NfeXmlReader(this.xml, this.limits, new RecordValidator(latestDate, false, maxNumber))
					.read(input, counted);
				case CSV -> new CsvInvoiceReader(this.limits, new RecordValidator(latestDate, true, maxNumber))
					.read(input, counted);
			};
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the invoice file", ex);
		}
	}

	/** Hands records on, until one more than {@code max-records}. */
	private Consumer<ParsedRecord> counted(Consumer<ParsedRecord> records) {
		long max = this.limits.maxRecords();
		long[] count = { 0 };
		return (record) -> {
			if (++count[0] > max) {
				throw InputLimitExceededException.records(max);
			}
			records.accept(record);
		};
	}

	private static void skipUtf8ByteOrderMark(BufferedInputStream input) throws IOException {
		input.mark(3);
		byte[] start = input.readNBytes(3);
		if (!(start.length == 3 && (start[0] & 0xff) == 0xEF && (start[1] & 0xff) == 0xBB
				&& (start[2] & 0xff) == 0xBF)) {
			input.reset();
		}
	}

	private static Format detect(BufferedInputStream input) throws IOException {
		input.mark(SNIFF);
		byte[] head = input.readNBytes(SNIFF);
		input.reset();
		int first = 0;
		while (first < head.length && Character.isWhitespace(head[first])) {
			first++;
		}
		if (first == head.length) {
			throw new UnsupportedFormatException("The file is empty");
		}
		for (byte b : head) {
			// Control characters other than tab and line breaks: binary, not an invoice file.
			if ((b >= 0 && b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7f) {
				throw new UnsupportedFormatException("The file is binary, not JSON, CSV or NF-e XML");
			}
		}
		return switch (head[first]) {
			case '[', '{' -> Format.JSON;
			case '<' -> Format.XML;
			default -> {
				if (!looksLikeCsvHeader(head, first)) {
					throw new UnsupportedFormatException(
							"Not JSON, NF-e XML or CSV with a header naming the invoice columns");
				}
				yield Format.CSV;
			}
		};
	}

	/** Whether the first line names at least two invoice columns, split at {@code ;} or {@code ,}. */
	private static boolean looksLikeCsvHeader(byte[] head, int from) {
		int end = from;
		while (end < head.length && head[end] != '\n' && head[end] != '\r') {
			end++;
		}
		return knownColumns(new String(head, from, end - from, StandardCharsets.UTF_8)) >= 2
				|| knownColumns(new String(head, from, end - from, CsvInvoiceReader.WINDOWS_1252)) >= 2;
	}

	private static long knownColumns(String line) {
		return Arrays.stream(line.split("[;,]"))
			.map((name) -> name.strip().replace("\"", ""))
			.filter((name) -> InvoiceField.named(name) != null)
			.count();
	}

	/**
	 * The file, failing once more than {@code max-file-size} bytes are read: the import checks the object's size
	 * before reading, this holds whatever the size said.
	 */
	private static final class SizeLimited extends FilterInputStream {

		private final long max;

		private long read;

		SizeLimited(InputStream in, Limits limits) {
			super(in);
			this.max = limits.maxFileSize().toBytes();
		}

		@Override
		public int read() throws IOException {
			int b = super.read();
			if (b >= 0) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = super.read(buffer, offset, length);
			if (n > 0) {
				count(n);
			}
			return n;
		}

		@Override
		public long skip(long n) throws IOException {
			long skipped = super.skip(n);
			count(skipped);
			return skipped;
		}

		@Override
		public boolean markSupported() {
			return false;
		}

		private void count(long n) {
			this.read += n;
			if (this.read > this.max) {
				throw InputLimitExceededException.fileSize(this.max);
			}
		}

	}

}
