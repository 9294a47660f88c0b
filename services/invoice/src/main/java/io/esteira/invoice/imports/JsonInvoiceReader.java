package io.esteira.invoice.imports;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.function.Consumer;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads JSON invoice files with Jackson's streaming parser, one record at a time: an array of invoice objects, one
 * object, or newline-delimited objects. Nesting deeper than 64 levels, strings over 64 KiB and numbers over 100
 * digits make the file unsupported. {@code items}/{@code itens} is an array of objects with
 * {@code description}/{@code descricao}, {@code quantity}/{@code quantidade}, {@code unitPrice}/{@code valorUnitario}
 * and {@code total}/{@code valorTotal}.
 */
final class JsonInvoiceReader {

	/** Bounds what one record may hold in memory; a file breaking them is not an invoice file. */
	private static final JsonFactory JSON = JsonFactory.builder()
		.streamReadConstraints(StreamReadConstraints.builder()
			.maxStringLength(64 * 1024)
			.maxNameLength(1024)
			.maxNumberLength(100)
			.maxNestingDepth(64)
			.build())
		.build();

	private final RecordValidator validator;

	JsonInvoiceReader(RecordValidator validator) {
		this.validator = validator;
	}

	int read(InputStream file, Consumer<ParsedRecord> records) {
		try (JsonParser parser = JSON.createParser(file)) {
			JsonToken first = parser.nextToken();
			int count = 0;
			if (first == JsonToken.START_ARRAY) {
				JsonToken token;
				while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
					if (token == null) {
						throw new UnsupportedFormatException("The array of invoices is not closed");
					}
					records.accept(readRecord(parser, count++));
				}
				if (parser.nextToken() != null) {
					throw new UnsupportedFormatException(
							"Unexpected content after the invoices at " + where(parser.currentTokenLocation()));
				}
			}
			else if (first == JsonToken.START_OBJECT) {
				// One object, or newline-delimited JSON: objects one after the other.
				JsonToken token = first;
				while (token != null) {
					if (token != JsonToken.START_OBJECT) {
						throw new UnsupportedFormatException("Expected another invoice object at "
								+ where(parser.currentTokenLocation()) + ", found " + describe(token));
					}
					records.accept(readRecord(parser, count++));
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
		catch (JacksonException ex) {
			throw new UnsupportedFormatException(
					"Not valid JSON: " + ex.getOriginalMessage() + " at " + where(ex.getLocation()), ex);
		}
	}

	private ParsedRecord readRecord(JsonParser parser, int index) {
		Long line = (long) parser.currentTokenLocation().getLineNr();
		RawRecord raw = new RawRecord(index, line);
		if (parser.currentToken() != JsonToken.START_OBJECT) {
			String value = valueText(parser);
			parser.skipChildren();
			raw.error(null, value, "must be an invoice object");
			return new ParsedRecord.Rejected(index, raw.errors);
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

	private static String where(TokenStreamLocation location) {
		return (location != null) ? "line " + location.getLineNr() + ", column " + location.getColumnNr()
				: "an unknown position";
	}

}
