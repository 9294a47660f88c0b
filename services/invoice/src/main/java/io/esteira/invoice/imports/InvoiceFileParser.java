package io.esteira.invoice.imports;

import java.io.InputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.json.JsonFactory;

import org.springframework.stereotype.Component;

/**
 * Reads an invoice file — a JSON array of invoice objects, or a single object — one record at a time with Jackson's
 * streaming parser, so memory does not grow with the file. Each record is validated on its own and handed to a
 * consumer as {@link ParsedRecord.Valid} or {@link ParsedRecord.Rejected} (with all its errors).
 * <p>
 * Fields, in English or Portuguese (names are case-insensitive; unknown fields are ignored):
 * <ul>
 * <li>{@code number}/{@code numero}: string or integer, required;</li>
 * <li>{@code customer}/{@code cliente}: string, required;</li>
 * <li>{@code amount}/{@code valor}: JSON number or a string like {@code 1234.56}, required, greater than 0, at most
 * two decimal places, less than 10<sup>13</sup>; read as {@link BigDecimal} from the text, never through
 * {@code double};</li>
 * <li>{@code date}/{@code data}/{@code dataEmissao}: {@code yyyy-MM-dd} or {@code dd/MM/yyyy}, a real calendar date,
 * not after tomorrow (the injected clock's date);</li>
 * <li>{@code series}/{@code serie}: string or integer, default {@code 1};</li>
 * <li>{@code currency}/{@code moeda}: three letters, default {@code BRL}.</li>
 * </ul>
 * A file that is not JSON, is truncated, or has another shape throws {@link UnsupportedFormatException}; records
 * already handed over stay handed over, so the caller decides what to undo.
 */
@Component
public class InvoiceFileParser {

	static final String DEFAULT_SERIES = "1";

	static final String DEFAULT_CURRENCY = "BRL";

	static final BigDecimal MAX_AMOUNT = new BigDecimal("10000000000000");

	private static final int MAX_NUMBER_LENGTH = 60;

	private static final int MAX_SERIES_LENGTH = 10;

	private static final int MAX_CUSTOMER_LENGTH = 200;

	/** Bounds what one record may hold in memory; a file breaking them is not an invoice file. */
	private static final JsonFactory JSON = JsonFactory.builder()
		.streamReadConstraints(StreamReadConstraints.builder()
			.maxStringLength(64 * 1024)
			.maxNameLength(1024)
			.maxNumberLength(100)
			.maxNestingDepth(64)
			.build())
		.build();

	private static final Pattern DECIMAL = Pattern.compile("[+-]?\\d+(\\.\\d+)?");

	private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

	private static final Pattern BRAZILIAN_DATE = Pattern.compile("\\d{2}/\\d{2}/\\d{4}");

	private static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");

	private static final DateTimeFormatter ISO_FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd")
		.withResolverStyle(ResolverStyle.STRICT);

	private static final DateTimeFormatter BRAZILIAN_FORMAT = DateTimeFormatter.ofPattern("dd/MM/uuuu")
		.withResolverStyle(ResolverStyle.STRICT);

	private final Clock clock;

	public InvoiceFileParser(Clock clock) {
		this.clock = clock;
	}

	/**
	 * Parses a whole file, handing each record to {@code records} as soon as it is read.
	 * @return how many records the file holds
	 * @throws UnsupportedFormatException when the file is not a JSON array of objects or a single object
	 * @throws UncheckedIOException when reading the stream fails (a transient error, worth a retry)
	 */
	public int parse(InputStream file, Consumer<ParsedRecord> records) {
		LocalDate latestDate = LocalDate.now(this.clock).plusDays(1);
		try (JsonParser parser = JSON.createParser(file)) {
			JsonToken first = parser.nextToken();
			int count;
			if (first == JsonToken.START_ARRAY) {
				count = 0;
				JsonToken token;
				while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
					if (token == null) {
						throw new UnsupportedFormatException("The array of invoices is not closed");
					}
					records.accept(readRecord(parser, count++, latestDate));
				}
			}
			else if (first == JsonToken.START_OBJECT) {
				records.accept(readRecord(parser, 0, latestDate));
				count = 1;
			}
			else {
				throw new UnsupportedFormatException((first != null)
						? "Expected a JSON array of invoices or one invoice object, found " + describe(first)
						: "The file is empty");
			}
			if (parser.nextToken() != null) {
				throw new UnsupportedFormatException("Unexpected content after the invoices at "
						+ where(parser.currentTokenLocation()));
			}
			return count;
		}
		catch (JacksonIOException ex) {
			throw new UncheckedIOException("Could not read the invoice file", (ex.getCause() instanceof IOException io)
					? io : new IOException(ex.getMessage(), ex));
		}
		catch (JacksonException ex) {
			throw new UnsupportedFormatException(
					"Not valid JSON: " + ex.getOriginalMessage() + " at " + where(ex.getLocation()), ex);
		}
	}

	private ParsedRecord readRecord(JsonParser parser, int index, LocalDate latestDate) {
		if (parser.currentToken() != JsonToken.START_OBJECT) {
			String value = valueText(parser);
			parser.skipChildren();
			return new ParsedRecord.Rejected(index,
					List.of(ImportError.of(index, null, value, "must be an invoice object")));
		}
		Map<Field, RawValue> values = new EnumMap<>(Field.class);
		// Fields given in a form that is already reported (nested): not "required" on top of that.
		Set<Field> reported = EnumSet.noneOf(Field.class);
		List<ImportError> errors = new ArrayList<>();
		String name;
		while ((name = parser.nextName()) != null) {
			JsonToken token = parser.nextToken();
			Field field = Field.named(name);
			if (field == null) {
				parser.skipChildren();
				continue;
			}
			String text = valueText(parser);
			if (token.isStructStart()) {
				errors.add(ImportError.of(index, name, text, "must be a single value, not an object or an array"));
				reported.add(field);
				parser.skipChildren();
			}
			else if (values.containsKey(field)) {
				errors.add(ImportError.of(index, name, text,
						"is given more than once (also as '" + values.get(field).name() + "')"));
			}
			else if (token != JsonToken.VALUE_NULL) {
				values.put(field, new RawValue(name, token, text));
			}
		}
		for (Field field : Field.values()) {
			if (field.required && !values.containsKey(field) && !reported.contains(field)) {
				errors.add(ImportError.of(index, field.canonicalName(), null, "is required"));
			}
		}
		String number = identifier(index, values.get(Field.NUMBER), null, MAX_NUMBER_LENGTH, errors);
		String series = identifier(index, values.get(Field.SERIES), DEFAULT_SERIES, MAX_SERIES_LENGTH, errors);
		String customer = customer(index, values.get(Field.CUSTOMER), errors);
		BigDecimal amount = amount(index, values.get(Field.AMOUNT), errors);
		String currency = currency(index, values.get(Field.CURRENCY), errors);
		LocalDate issueDate = issueDate(index, values.get(Field.DATE), latestDate, errors);
		if (!errors.isEmpty()) {
			return new ParsedRecord.Rejected(index, List.copyOf(errors));
		}
		return new ParsedRecord.Valid(index, series, number, customer, amount, currency, issueDate);
	}

	private static String identifier(int index, RawValue raw, String fallback, int maxLength,
			List<ImportError> errors) {
		if (raw == null) {
			return fallback;
		}
		if (raw.token() != JsonToken.VALUE_STRING && raw.token() != JsonToken.VALUE_NUMBER_INT) {
			errors.add(ImportError.of(index, raw.name(), raw.text(), "must be a string or an integer"));
			return null;
		}
		return text(index, raw, maxLength, errors);
	}

	private static String customer(int index, RawValue raw, List<ImportError> errors) {
		if (raw == null) {
			return null;
		}
		if (raw.token() != JsonToken.VALUE_STRING) {
			errors.add(ImportError.of(index, raw.name(), raw.text(), "must be a string"));
			return null;
		}
		return text(index, raw, MAX_CUSTOMER_LENGTH, errors);
	}

	private static String text(int index, RawValue raw, int maxLength, List<ImportError> errors) {
		String value = raw.text().strip();
		if (value.isEmpty()) {
			errors.add(ImportError.of(index, raw.name(), raw.text(), "must not be blank"));
			return null;
		}
		if (value.length() > maxLength) {
			errors.add(ImportError.of(index, raw.name(), raw.text(), "must be at most " + maxLength + " characters"));
			return null;
		}
		return value;
	}

	private static BigDecimal amount(int index, RawValue raw, List<ImportError> errors) {
		if (raw == null) {
			return null;
		}
		BigDecimal amount;
		if (raw.token() == JsonToken.VALUE_NUMBER_INT || raw.token() == JsonToken.VALUE_NUMBER_FLOAT) {
			amount = new BigDecimal(raw.text());
		}
		else if (raw.token() == JsonToken.VALUE_STRING && DECIMAL.matcher(raw.text().strip()).matches()) {
			amount = new BigDecimal(raw.text().strip());
		}
		else {
			errors.add(ImportError.of(index, raw.name(), raw.text(), "must be a decimal number like 1234.56"));
			return null;
		}
		if (amount.signum() <= 0) {
			errors.add(ImportError.of(index, raw.name(), raw.text(), "must be greater than 0"));
			return null;
		}
		if (amount.stripTrailingZeros().scale() > 2) {
			errors.add(ImportError.of(index, raw.name(), raw.text(), "must have at most 2 decimal places"));
			return null;
		}
		if (amount.compareTo(MAX_AMOUNT) >= 0) {
			errors.add(ImportError.of(index, raw.name(), raw.text(), "must be less than " + MAX_AMOUNT));
			return null;
		}
		return amount.setScale(2);
	}

	private static String currency(int index, RawValue raw, List<ImportError> errors) {
		if (raw == null) {
			return DEFAULT_CURRENCY;
		}
		if (raw.token() != JsonToken.VALUE_STRING || !CURRENCY.matcher(raw.text().strip()).matches()) {
			errors.add(ImportError.of(index, raw.name(), raw.text(), "must be a 3-letter currency code like BRL"));
			return null;
		}
		return raw.text().strip().toUpperCase(Locale.ROOT);
	}

	private static LocalDate issueDate(int index, RawValue raw, LocalDate latestDate, List<ImportError> errors) {
		if (raw == null) {
			return null;
		}
		String text = (raw.token() == JsonToken.VALUE_STRING) ? raw.text().strip() : "";
		DateTimeFormatter format = ISO_DATE.matcher(text).matches() ? ISO_FORMAT
				: BRAZILIAN_DATE.matcher(text).matches() ? BRAZILIAN_FORMAT : null;
		if (format == null) {
			errors.add(ImportError.of(index, raw.name(), raw.text(), "must be a date as yyyy-MM-dd or dd/MM/yyyy"));
			return null;
		}
		LocalDate date;
		try {
			date = LocalDate.parse(text, format);
		}
		catch (DateTimeParseException ex) {
			errors.add(ImportError.of(index, raw.name(), raw.text(), "is not a valid calendar date"));
			return null;
		}
		if (date.isAfter(latestDate)) {
			errors.add(ImportError.of(index, raw.name(), raw.text(), "must not be after " + latestDate));
			return null;
		}
		return date;
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
			default -> token.name();
		};
	}

	private static String where(TokenStreamLocation location) {
		return (location != null) ? "line " + location.getLineNr() + ", column " + location.getColumnNr()
				: "an unknown position";
	}

	/** A value as the file has it, before validation. */
	private record RawValue(String name, JsonToken token, String text) {
	}

	/** The fields of an invoice and the names files use for them. */
	private enum Field {

		NUMBER(true, "number", "numero", "número"), CUSTOMER(true, "customer", "cliente"),
		AMOUNT(true, "amount", "valor"), DATE(true, "date", "data", "dataemissao", "dataemissão"),
		SERIES(false, "series", "serie", "série"), CURRENCY(false, "currency", "moeda");

		private final boolean required;

		private final String[] names;

		Field(boolean required, String... names) {
			this.required = required;
			this.names = names;
		}

		String canonicalName() {
			return this.names[0];
		}

		private static final Map<String, Field> BY_NAME = new HashMap<>();

		static {
			for (Field field : values()) {
				for (String name : field.names) {
					BY_NAME.put(name, field);
				}
			}
		}

		static Field named(String name) {
			return BY_NAME.get(name.toLowerCase(Locale.ROOT));
		}

	}

}
