package io.esteira.invoice.imports;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.CsvRecordHandler;

import io.esteira.invoice.config.InvoiceProperties.Limits;

/**
 * Reads CSV invoice files with FastCSV, one row at a time. The header row names the columns with the same English or
 * Portuguese names as JSON ({@code numero;cliente;valor;data}); unknown columns are ignored. The delimiter is
 * {@code ;} or {@code ,}, whichever the header line has more of outside quotes; fields may be quoted and then hold
 * delimiters, quotes ({@code ""}) and line breaks. Amounts may be {@code 1234.56} or {@code 1.234,56}.
 * <p>
 * Encoding: UTF-8, with or without a byte-order mark; when the first megabyte is not valid UTF-8, Windows-1252 (the
 * Latin-1 superset Excel writes in Brazil). Errors name the line each row starts on.
 * <p>
 * Bounded by FastCSV's own limits: a field longer than {@code max-text-length} characters, or a record longer than
 * {@code max-record-length}, rejects the file ({@link InputLimitExceededException}); FastCSV's buffer never holds
 * more than one field.
 */
final class CsvInvoiceReader {

	/** How much of the file decides the encoding. */
	static final int ENCODING_SAMPLE = 1024 * 1024;

	static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

	private static final int MAX_HEADER_LINE = 64 * 1024;

	private final Limits limits;

	private final RecordValidator validator;

	CsvInvoiceReader(Limits limits, RecordValidator validator) {
		this.limits = limits;
		this.validator = validator;
	}

	/** @param file a stream that supports {@code mark}, positioned after any UTF-8 byte-order mark */
	int read(InputStream file, Consumer<ParsedRecord> records) {
		try {
			Charset charset = detectCharset(file);
			BufferedReader text = new BufferedReader(new InputStreamReader(file, charset), 64 * 1024);
			char delimiter = detectDelimiter(text);
			CsvRecordHandler handler = CsvRecordHandler.builder()
				.maxFieldSize(this.limits.maxTextLength())
				// FastCSV wants a record to have room for a field at least.
				.maxRecordSize(Math.max(this.limits.maxRecordLength(), this.limits.maxTextLength()))
				.build();
			CsvReader<CsvRecord> csv = CsvReader.builder()
				.fieldSeparator(delimiter)
				.quoteCharacter('"')
				.skipEmptyLines(true)
				.allowMissingFields(true)
				.allowExtraFields(true)
				// Room for one field at its limit (FastCSV compacts its buffer from the current field's start).
				.maxBufferSize(2 * this.limits.maxTextLength() + 64 * 1024)
				.build(handler, text);
			Iterator<CsvRecord> rows = csv.iterator();
			if (!rows.hasNext()) {
				throw new UnsupportedFormatException("The file is empty");
			}
			CsvRecord header = rows.next();
			Map<InvoiceField, Integer> columns = columns(header);
			int count = 0;
			while (rows.hasNext()) {
				CsvRecord row = rows.next();
				RawRecord raw = new RawRecord(count++, row.getStartingLineNumber());
				columns.forEach((field, column) -> {
					if (column < row.getFieldCount() && !row.getField(column).isBlank()) {
						raw.put(field, RawValue.string(header.getField(column).strip(), row.getField(column)));
					}
				});
				records.accept(this.validator.validate(raw));
			}
			return count;
		}
		catch (CsvParseException ex) {
			throw unsupported(ex);
		}
		catch (UncheckedIOException ex) {
			if (ex.getCause() instanceof CharacterCodingException) {
				throw new UnsupportedFormatException("Not valid CSV: " + ex.getMessage(), ex);
			}
			throw ex;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the invoice file", ex);
		}
	}

	/** The limit FastCSV's exception stands for (its message says which), or malformed CSV. */
	private UnsupportedFormatException unsupported(CsvParseException ex) {
		UnsupportedFormatException ours = UnsupportedFormatException.in(ex);
		if (ours != null) {
			return ours;
		}
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			String detail = String.valueOf(cause.getMessage());
			if (detail.contains("max field size") || detail.contains("maximum buffer size")) {
				return InputLimitExceededException.textLength("CSV field", this.limits.maxTextLength());
			}
			if (detail.contains("max record size")) {
				return InputLimitExceededException.recordLength("CSV record", this.limits.maxRecordLength());
			}
		}
		String cause = (ex.getCause() != null) ? ": " + ex.getCause().getMessage() : "";
		return new UnsupportedFormatException("Not valid CSV: " + ex.getMessage() + cause, ex);
	}

	private static Map<InvoiceField, Integer> columns(CsvRecord header) {
		Map<InvoiceField, Integer> columns = new EnumMap<>(InvoiceField.class);
		for (int i = 0; i < header.getFieldCount(); i++) {
			InvoiceField field = InvoiceField.named(header.getField(i));
			if (field != null && columns.putIfAbsent(field, i) != null) {
				throw new UnsupportedFormatException("The CSV header names " + field.canonicalName() + " twice ('"
						+ header.getField(columns.get(field)) + "' and '" + header.getField(i) + "')");
			}
		}
		List<String> missing = new ArrayList<>();
		for (InvoiceField field : InvoiceField.values()) {
			if (field.required() && !columns.containsKey(field)
					&& !(field == InvoiceField.NUMBER && columns.containsKey(InvoiceField.ACCESS_KEY))) {
				missing.add(field.canonicalName());
			}
		}
		if (!missing.isEmpty()) {
			throw new UnsupportedFormatException("The CSV header (line 1) has no column for " + String.join(", ", missing));
		}
		return columns;
	}

	/** UTF-8 when the first megabyte decodes as UTF-8 (a sequence cut at the sample's end is fine), else Windows-1252. */
	static Charset detectCharset(InputStream file) throws IOException {
		file.mark(ENCODING_SAMPLE);
		byte[] sample = file.readNBytes(ENCODING_SAMPLE);
		file.reset();
		CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT);
		ByteBuffer bytes = ByteBuffer.wrap(sample);
		var result = decoder.decode(bytes, java.nio.CharBuffer.allocate(sample.length), sample.length < ENCODING_SAMPLE);
		return result.isError() ? WINDOWS_1252 : StandardCharsets.UTF_8;
	}

	/** {@code ;} when the header line has more semicolons than commas outside quotes, {@code ,} otherwise. */
	private static char detectDelimiter(BufferedReader text) throws IOException {
		text.mark(MAX_HEADER_LINE);
		int semicolons = 0;
		int commas = 0;
		boolean quoted = false;
		for (int i = 0, c; i < MAX_HEADER_LINE && (c = text.read()) != -1; i++) {
			if (c == '"') {
				quoted = !quoted;
			}
			else if (!quoted && (c == '\n' || c == '\r')) {
				break;
			}
			else if (!quoted && c == ';') {
				semicolons++;
			}
			else if (!quoted && c == ',') {
				commas++;
			}
		}
		text.reset();
		return (semicolons > commas) ? ';' : ',';
	}

}
