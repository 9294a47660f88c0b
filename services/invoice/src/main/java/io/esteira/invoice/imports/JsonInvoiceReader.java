package io.esteira.invoice.imports;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;

import io.esteira.invoice.config.InvoiceProperties.Limits;

/**
 * Reads JSON invoice files with Jackson's streaming parser, one record at a time: an array of invoice objects, one
 * object, or newline-delimited JSON (NDJSON: one object per line, recognised by a first line that holds a whole
 * object). NDJSON lines are independent, so a line that is not valid JSON, not an object, or longer than
 * {@code max-record-length} bytes is rejected on its own, with its line number, and the other lines are read; in an
 * array or a multi-line object, broken JSON makes the whole file unsupported. Nesting deeper than {@code max-depth},
 * strings and names longer than {@code max-text-length}, numbers longer than {@code max-number-length} (Jackson's
 * {@link StreamReadConstraints}) and invoices with more than {@code max-items} items reject the whole file
 * ({@link InputLimitExceededException}), NDJSON or not. {@code items}/{@code itens} is an array of objects with
 * {@code description}/{@code descricao}, {@code quantity}/{@code quantidade}, {@code unitPrice}/{@code valorUnitario}
 * and {@code total}/{@code valorTotal}.
 */
final class JsonInvoiceReader {

	private final JsonFactory json;

	private final Limits limits;

	private final RecordValidator validator;

	/** @param json from {@link #factory(Limits)}, with the same limits */
	JsonInvoiceReader(JsonFactory json, Limits limits, RecordValidator validator) {
		this.json = json;
		this.limits = limits;
		this.validator = validator;
	}

	/** A parser factory whose {@link StreamReadConstraints} are the limits: what one record may hold in memory. */
	static JsonFactory factory(Limits limits) {
		return JsonFactory.builder()
			.streamReadConstraints(StreamReadConstraints.builder()
				.maxStringLength(limits.maxTextLength())
				.maxNameLength(limits.maxTextLength())
				.maxNumberLength(limits.maxNumberLength())
				.maxNestingDepth(limits.maxDepth())
				.build())
			.build();
	}

	int read(InputStream file, Consumer<ParsedRecord> records) {
		BufferedInputStream input = (file instanceof BufferedInputStream buffered) ? buffered
				: new BufferedInputStream(file);
		try {
			if (firstLineIsAWholeObject(input)) {
				return readLines(input, records);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the invoice file", ex);
		}
		try (JsonParser parser = this.json.createParser(input)) {
			JsonToken first = parser.nextToken();
			int count = 0;
			if (first == JsonToken.START_ARRAY) {
				JsonToken token;
				while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
					if (token == null) {
						throw new UnsupportedFormatException("The array of invoices is not closed");
					}
					records.accept(readRecord(parser, count++, line(parser)));
				}
				if (parser.nextToken() != null) {
					throw new UnsupportedFormatException(
							"Unexpected content after the invoices at " + where(parser.currentTokenLocation()));
				}
			}
			else if (first == JsonToken.START_OBJECT) {
				// One object over several lines, or several such objects one after the other.
				JsonToken token = first;
				while (token != null) {
					if (token != JsonToken.START_OBJECT) {
						throw new UnsupportedFormatException("Expected another invoice object at "
								+ where(parser.currentTokenLocation()) + ", found " + describe(token));
					}
					records.accept(readRecord(parser, count++, line(parser)));
					token = parser.nextToken();
				}
			}
			else {
				throw new UnsupportedFormatException((first != null)
						? "Expected a JSON array of invoices or one invoice object, found " + describe(first)
						: "The file is empty");
			}
			return count;
		}
		catch (JacksonIOException ex) {
			throw new UncheckedIOException("Could not read the invoice file", (ex.getCause() instanceof IOException io)
					? io : new IOException(ex.getMessage(), ex));
		}
		catch (StreamConstraintsException ex) {
			throw limitExceeded(ex);
		}
		catch (JacksonException ex) {
			throw new UnsupportedFormatException(
					"Not valid JSON: " + ex.getOriginalMessage() + " at " + where(ex.getLocation()), ex);
		}
	}

	/**
	 * Whether the file is newline-delimited: its first non-blank line holds one whole JSON object and nothing else.
	 * Leaves the stream where it was.
	 */
	private boolean firstLineIsAWholeObject(BufferedInputStream input) throws IOException {
		input.mark(this.limits.maxRecordLength() + 2);
		try {
			Line line;
			do {
				// Not read past its limit: the mark must hold (a minified array is one long line).
				line = Line.next(input, this.limits.maxRecordLength(), false);
			}
			while (line != null && !line.tooLong() && line.isBlank());
			if (line == null || line.tooLong()) {
				return false;
			}
			try (JsonParser parser = this.json.createParser(line.bytes(), 0, line.length())) {
				if (parser.nextToken() != JsonToken.START_OBJECT) {
					return false;
				}
				parser.skipChildren();
				return parser.nextToken() == null;
			}
			catch (JacksonException ex) {
				return false;
			}
		}
		finally {
			input.reset();
		}
	}

	/** NDJSON: each non-blank line is one invoice, read and judged on its own. */
	private int readLines(BufferedInputStream input, Consumer<ParsedRecord> records) throws IOException {
		int count = 0;
		long lineNumber = 0;
		Line line;
		while ((line = Line.next(input, this.limits.maxRecordLength(), true)) != null) {
			lineNumber++;
			if (!line.tooLong() && line.isBlank()) {
				continue;
			}
			records.accept(readLine(line, count++, lineNumber));
		}
		return count;
	}

	private ParsedRecord readLine(Line line, int index, long lineNumber) {
		if (line.tooLong()) {
			return rejected(index, lineNumber, "The line is longer than " + this.limits.maxRecordLength() + " bytes ("
					+ Limits.key(InputLimitExceededException.MAX_RECORD_LENGTH) + ")");
		}
		try (JsonParser parser = this.json.createParser(line.bytes(), 0, line.length())) {
			JsonToken token = parser.nextToken();
			if (token != JsonToken.START_OBJECT) {
				return rejected(index, lineNumber,
						"Expected an invoice object, found " + ((token != null) ? describe(token) : "nothing"));
			}
			ParsedRecord record = readRecord(parser, index, lineNumber);
			if (parser.nextToken() != null) {
				return rejected(index, lineNumber, "Unexpected content after the invoice at column "
						+ parser.currentTokenLocation().getColumnNr());
			}
			return record;
		}
		catch (JacksonIOException ex) {
			throw new UncheckedIOException("Could not read the invoice file",
					(ex.getCause() instanceof IOException io) ? io : new IOException(ex.getMessage(), ex));
		}
		catch (StreamConstraintsException ex) {
			// A hostile line, not a broken one: the whole file is rejected, as in an array.
			throw limitExceeded(ex);
		}
		catch (JacksonException ex) {
			TokenStreamLocation location = ex.getLocation();
			return rejected(index, lineNumber, "Not valid JSON: " + ex.getOriginalMessage()
					+ ((location != null) ? " at line " + lineNumber + ", column " + location.getColumnNr() : ""));
		}
	}

	private static ParsedRecord rejected(int index, long lineNumber, String message) {
		RawRecord raw = new RawRecord(index, lineNumber);
		raw.error(null, null, message);
		return new ParsedRecord.Rejected(index, raw.errors());
	}

	/** The limit a Jackson constraint stands for, from its message (which names the constraint's getter). */
	private InputLimitExceededException limitExceeded(StreamConstraintsException ex) {
		String message = String.valueOf(ex.getOriginalMessage());
		if (message.contains("getMaxNestingDepth")) {
			return InputLimitExceededException.depth(this.limits.maxDepth());
		}
		if (message.contains("getMaxNumberLength")) {
			return InputLimitExceededException.numberLength(this.limits.maxNumberLength());
		}
		if (message.contains("getMaxNameLength")) {
			return InputLimitExceededException.textLength("JSON field name", this.limits.maxTextLength());
		}
		if (message.contains("getMaxStringLength")) {
			return InputLimitExceededException.textLength("JSON string", this.limits.maxTextLength());
		}
		return new InputLimitExceededException(message, InputLimitExceededException.MAX_TEXT_LENGTH);
	}

	private static long line(JsonParser parser) {
		return parser.currentTokenLocation().getLineNr();
	}

	private ParsedRecord readRecord(JsonParser parser, int index, long line) {
		RawRecord raw = new RawRecord(index, line);
		if (parser.currentToken() != JsonToken.START_OBJECT) {
			String value = valueText(parser);
			parser.skipChildren();
			raw.error(null, value, "must be an invoice object");
			return new ParsedRecord.Rejected(index, raw.errors());
		}
		String name;
		while ((name = parser.nextName()) != null) {
			JsonToken token = parser.nextToken();
			if (isItems(name) && token == JsonToken.START_ARRAY) {
				readItems(parser, raw, name);
				continue;
			}
			InvoiceField field = InvoiceField.named(name);
			if (field == null) {
				parser.skipChildren();
				continue;
			}
			String text = valueText(parser);
			if (token.isStructStart()) {
				raw.error(name, text, "must be a single value, not an object or an array");
				raw.reported.add(field);
				parser.skipChildren();
			}
			else if (token != JsonToken.VALUE_NULL) {
				raw.put(field, new RawValue(name, kind(token), text, null));
			}
		}
		return this.validator.validate(raw);
	}

	private void readItems(JsonParser parser, RawRecord raw, String itemsName) {
		int position = 0;
		JsonToken token;
		while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
			if (position == this.limits.maxItems()) {
				throw InputLimitExceededException.items(this.limits.maxItems(), raw.index);
			}
			String where = itemsName + "[" + position++ + "]";
			if (token != JsonToken.START_OBJECT) {
				raw.error(where, valueText(parser), "must be an item object");
				parser.skipChildren();
				continue;
			}
			String description = null;
			RawValue quantity = null;
			RawValue unitPrice = null;
			RawValue total = null;
			String name;
			while ((name = parser.nextName()) != null) {
				JsonToken valueToken = parser.nextToken();
				if (valueToken.isStructStart()) {
					parser.skipChildren();
					continue;
				}
				RawValue value = new RawValue(where + "." + name, kind(valueToken), valueText(parser), null);
				switch (name.toLowerCase(Locale.ROOT)) {
					case "description", "descricao", "descrição", "produto", "xprod" -> description = value.text();
					case "quantity", "quantidade", "qcom" -> quantity = value;
					case "unitprice", "valorunitario", "vuncom" -> unitPrice = value;
					case "total", "valortotal", "vprod", "amount", "valor" -> total = value;
					default -> {
					}
				}
			}
			ParsedRecord.Item item = Items.item(this.validator, raw, where, description, quantity, unitPrice, total);
			if (item != null) {
				raw.items.add(item);
			}
		}
	}

	private static boolean isItems(String name) {
		return name.equalsIgnoreCase("items") || name.equalsIgnoreCase("itens");
	}

	private static RawValue.Kind kind(JsonToken token) {
		return switch (token) {
			case VALUE_STRING -> RawValue.Kind.STRING;
			case VALUE_NUMBER_INT -> RawValue.Kind.INTEGER;
			case VALUE_NUMBER_FLOAT -> RawValue.Kind.DECIMAL;
			default -> RawValue.Kind.OTHER;
		};
	}

	/** The current value as text: the literal for scalars, a marker for objects and arrays. */
	private static String valueText(JsonParser parser) {
		JsonToken token = parser.currentToken();
		return switch (token) {
			case START_OBJECT -> "{…}";
			case START_ARRAY -> "[…]";
			case VALUE_NULL -> null;
			default -> parser.getString();
		};
	}

	private static String describe(JsonToken token) {
		return switch (token) {
			case VALUE_STRING -> "a string";
			case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
			case VALUE_TRUE, VALUE_FALSE -> "a boolean";
			case VALUE_NULL -> "null";
			case START_ARRAY -> "an array";
			default -> token.name();
		};
	}

	/**
	 * One line of an NDJSON file, without its line break ({@code \n} or {@code \r\n}); a line longer than
	 * {@code maxBytes} is only said to be too long, and read to its end when {@code skipLongLine}.
	 */
	private record Line(byte[] bytes, int length, boolean tooLong) {

		static @Nullable Line next(InputStream input, int maxBytes, boolean skipLongLine) throws IOException {
			byte[] buffer = new byte[256];
			int length = 0;
			boolean tooLong = false;
			int b = input.read();
			if (b < 0) {
				return null;
			}
			while (b >= 0 && b != '\n') {
				if (length == maxBytes) {
					tooLong = true;
					if (!skipLongLine) {
						break;
					}
				}
				else {
					if (length == buffer.length) {
						buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, maxBytes));
					}
					buffer[length++] = (byte) b;
				}
				b = input.read();
			}
			if (!tooLong && length > 0 && buffer[length - 1] == '\r') {
				length--;
			}
			return new Line(buffer, length, tooLong);
		}

		boolean isBlank() {
			for (int i = 0; i < this.length; i++) {
				if (!Character.isWhitespace(this.bytes[i])) {
					return false;
				}
			}
			return true;
		}

	}

	private static String where(TokenStreamLocation location) {
		return (location != null) ? "line " + location.getLineNr() + ", column " + location.getColumnNr()
				: "an unknown position";
	}

}
