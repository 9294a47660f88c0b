package io.esteira.invoice.imports;

import java.io.InputStream;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import io.esteira.invoice.brazil.BrazilianDocuments;
import io.esteira.invoice.config.InvoiceProperties.Limits;

/**
 * Reads NF-e XML (layout 4.00) with StAX, streaming: a {@code nfeProc} (the NF-e with its authorisation protocol) or a
 * bare {@code NFe}. DTDs and external entities are refused: a file declaring a DTD is unsupported, so an XXE payload
 * is never resolved.
 * <p>
 * Bounded ({@link Limits}): text nodes (their chunks gathered here) up to {@code max-text-length} characters; tags,
 * comments, CDATA sections and processing instructions up to as many bytes ({@link XmlMarkupGuard}, before the
 * parser, which gathers those whole); nesting up to {@code max-depth} ({@code jdk.xml.maxElementDepth}); at most
 * {@code max-elements} elements per file and {@code max-items} {@code det} per NF-e. Beyond one, the file is rejected
 * ({@link InputLimitExceededException}). The JDK's own limits stay on: names up to 1000 characters, 200 attributes
 * per element, entity expansion (DTDs are refused before any entity could be declared).
 * <p>
 * Taken from the XML: the access key ({@code infNFe/@Id}, check digit verified, and consistent with {@code cUF},
 * the month of {@code dhEmi}, the issuer's CNPJ/CPF, {@code mod}, {@code serie}, {@code nNF}, {@code tpEmis} and
 * {@code cNF}), {@code emit/CNPJ|CPF}, {@code dest/CNPJ|CPF} and {@code dest/xNome} (the customer), {@code nNF},
 * {@code serie}, {@code dhEmi}, {@code vNF}, the first {@code dup/dVenc} (due date), the items
 * ({@code det/prod/xProd, qCom, vUnCom, vProd}) and the authorisation status ({@code protNFe/infProt/cStat}).
 * Errors name the XML path of the offending element. An NFC-e ({@code mod} 65) without {@code dest/xNome} is a sale
 * to an unidentified consumer: its customer is {@value #UNIDENTIFIED_CONSUMER}, with no document unless
 * {@code dest/CPF|CNPJ} is there; an NF-e (model 55) must name its recipient.
 */
final class NfeXmlReader {

	/** The customer of an NFC-e that names none. */
	static final String UNIDENTIFIED_CONSUMER = "Consumidor final";

	private static final String CONSUMER_INVOICE_MODEL = "65";

	private static final DateTimeFormatter YYMM = DateTimeFormatter.ofPattern("yyMM");

	private static final String MAX_ELEMENT_DEPTH = "jdk.xml.maxElementDepth";

	private final XMLInputFactory factory;

	private final Limits limits;

	private final RecordValidator validator;

	/** @param factory from {@link #secureFactory(Limits)}, with the same limits */
	NfeXmlReader(XMLInputFactory factory, Limits limits, RecordValidator validator) {
		this.factory = factory;
		this.limits = limits;
		this.validator = validator;
	}

	/** A StAX factory without DTDs or external entities, and with the JDK's limits pinned ({@code limits.maxDepth}). */
	static XMLInputFactory secureFactory(Limits limits) {
		XMLInputFactory factory = XMLInputFactory.newFactory();
		factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
		factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
		factory.setProperty(MAX_ELEMENT_DEPTH, Integer.toString(limits.maxDepth()));
		// The JDK's defaults, pinned so that a jaxp.properties cannot loosen them.
		factory.setProperty("jdk.xml.maxXMLNameLimit", "1000");
		factory.setProperty("jdk.xml.elementAttributeLimit", "200");
		factory.setProperty("jdk.xml.entityExpansionLimit", "2500");
		return factory;
	}

	int read(InputStream file, Consumer<ParsedRecord> records) {
		XMLStreamReader xml = null;
		try {
			xml = this.factory.createXMLStreamReader(new XmlMarkupGuard(file, this.limits.maxTextLength()));
			List<String> path = new ArrayList<>();
			Nfe current = null;
			ItemBuilder item = null;
			int count = 0;
			long elements = 0;
			StringBuilder text = new StringBuilder();
			while (xml.hasNext()) {
				int event = xml.next();
				switch (event) {
					case XMLStreamConstants.DTD -> throw new UnsupportedFormatException(
							"XML with a DTD (DOCTYPE) is not accepted");
					case XMLStreamConstants.ENTITY_REFERENCE -> throw new UnsupportedFormatException(
							"XML entity references are not accepted: &" + xml.getLocalName() + ";");
					case XMLStreamConstants.START_ELEMENT -> {
						if (++elements > this.limits.maxElements()) {
							throw InputLimitExceededException.elements(this.limits.maxElements());
						}
						String name = xml.getLocalName();
						if (path.isEmpty() && !name.equals("nfeProc") && !name.equals("NFe")) {
							throw new UnsupportedFormatException(
									"XML root element <" + name + "> is not nfeProc or NFe");
						}
						path.add(name);
						text.setLength(0);
						if (name.equals("NFe")) {
							if (current != null) {
								records.accept(current.validate(this.validator));
							}
							current = new Nfe(count++, (long) xml.getLocation().getLineNumber());
						}
						else if (name.equals("infNFe") && current != null) {
							String id = xml.getAttributeValue(null, "Id");
							if (id != null) {
								current.value("infNFe/@Id", "/" + String.join("/", path) + "/@Id", id);
							}
						}
						else if (name.equals("det") && current != null) {
							if (current.itemCount == this.limits.maxItems()) {
								throw InputLimitExceededException.items(this.limits.maxItems(), current.raw.index);
							}
							item = new ItemBuilder("/" + String.join("/", path) + "[" + current.itemCount++ + "]");
						}
					}
					case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
						// The parser hands a long text over in chunks; gathered, it must stay within the limit.
						if (text.length() + xml.getTextLength() > this.limits.maxTextLength()) {
							throw InputLimitExceededException.textLength("text node", this.limits.maxTextLength());
						}
						text.append(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
					}
					case XMLStreamConstants.END_ELEMENT -> {
						String full = "/" + String.join("/", path);
						String value = text.toString().strip();
						if (current != null) {
							if (item != null && path.size() >= 2 && path.get(path.size() - 2).equals("prod")) {
								item.put(path.getLast(), full, value);
							}
							else if (item != null && path.getLast().equals("det")) {
								ParsedRecord.Item done = item.build(this.validator, current.raw);
								if (done != null) {
									current.raw.items.add(done);
								}
								item = null;
							}
							else {
								current.element(relative(path), full, value);
							}
						}
						path.removeLast();
						text.setLength(0);
					}
					default -> {
					}
				}
			}
			if (current != null) {
				records.accept(current.validate(this.validator));
			}
			if (count == 0) {
				throw new UnsupportedFormatException("The XML holds no NFe element");
			}
			return count;
		}
		catch (XMLStreamException ex) {
			throw unsupported(ex);
		}
		finally {
			if (xml != null) {
				try {
					xml.close();
				}
				catch (XMLStreamException ex) {
					// nothing left to release
				}
			}
		}
	}

	/** Why the parser stopped: a limit of ours (from the guard, or the JDK's depth limit), or malformed XML. */
	private UnsupportedFormatException unsupported(XMLStreamException ex) {
		UnsupportedFormatException ours = UnsupportedFormatException.in(ex);
		if (ours != null) {
			return ours;
		}
		String message = String.valueOf(ex.getMessage());
		if (message.contains(MAX_ELEMENT_DEPTH)) {
			return InputLimitExceededException.depth(this.limits.maxDepth());
		}
		return new UnsupportedFormatException("Not valid NF-e XML: " + message, ex);
	}

	/** The last two element names ({@code ide/nNF}, {@code emit/CNPJ}, {@code infProt/cStat}). */
	private static String relative(List<String> path) {
		return (path.size() >= 2) ? path.get(path.size() - 2) + "/" + path.getLast() : path.getLast();
	}

	/** One NF-e as it is read: its elements by relative path, checked for consistency at the end. */
	private static final class Nfe {

		final RawRecord raw;

		final Map<String, RawValue> elements = new HashMap<>();

		int itemCount;

		Nfe(int index, Long line) {
			this.raw = new RawRecord(index, line);
		}

		void value(String name, String path, String text) {
			this.elements.putIfAbsent(name, new RawValue(name, RawValue.Kind.STRING, text, path));
		}

		void element(String relative, String path, String text) {
			switch (relative) {
				case "ide/cUF", "ide/mod", "ide/serie", "ide/nNF", "ide/dhEmi", "ide/dEmi", "ide/cNF", "ide/tpEmis",
						"emit/CNPJ", "emit/CPF", "dest/CNPJ", "dest/CPF", "dest/idEstrangeiro", "dest/xNome",
						"ICMSTot/vNF", "dup/dVenc", "infProt/cStat", "infProt/chNFe" ->
					value(relative, path, text);
				default -> {
				}
			}
		}

		ParsedRecord validate(RecordValidator validator) {
			map("ide/nNF", InvoiceField.NUMBER);
			map("ide/serie", InvoiceField.SERIES);
			map("dest/xNome", InvoiceField.CUSTOMER);
			if (!this.elements.containsKey("dest/xNome") && isConsumerInvoice()) {
				// An NFC-e may leave out its recipient (a sale to an unidentified consumer); an NF-e may not, so
				// model 55 without dest/xNome stays "customer is required".
				this.raw.put(InvoiceField.CUSTOMER, RawValue.string("dest/xNome", UNIDENTIFIED_CONSUMER));
			}
			map("ICMSTot/vNF", InvoiceField.AMOUNT);
			map(this.elements.containsKey("dest/CNPJ") ? "dest/CNPJ" : "dest/CPF", InvoiceField.CUSTOMER_DOCUMENT);
			map(this.elements.containsKey("emit/CNPJ") ? "emit/CNPJ" : "emit/CPF", InvoiceField.ISSUER_DOCUMENT);
			map("dup/dVenc", InvoiceField.DUE_DATE);
			LocalDate issued = issueDate();
			RawValue id = this.elements.get("infNFe/@Id");
			if (id == null) {
				this.raw.error("infNFe/@Id", null, "is required (the access key)");
			}
			else {
				String key = id.text().startsWith("NFe") ? id.text().substring(3) : id.text();
				this.raw.put(InvoiceField.ACCESS_KEY, new RawValue(id.name(), RawValue.Kind.STRING, key, id.path()));
				if (BrazilianDocuments.isValidAccessKey(key)) {
					consistent(id, key.substring(0, 2), "ide/cUF", 2);
					if (issued != null && !key.substring(2, 6).equals(issued.format(YYMM))) {
						this.raw.error(id, "year and month " + key.substring(2, 6) + " do not match ide/dhEmi "
								+ issued);
					}
					consistent(id, key.substring(20, 22), "ide/mod", 2);
					consistent(id, key.substring(34, 35), "ide/tpEmis", 1);
					consistent(id, key.substring(35, 43), "ide/cNF", 8);
					RawValue chNFe = this.elements.get("infProt/chNFe");
					if (chNFe != null && !chNFe.text().equals(key)) {
						this.raw.error(chNFe, "does not match the access key " + key);
					}
				}
			}
			RawValue cStat = this.elements.get("infProt/cStat");
			if (cStat != null) {
				this.raw.authorizationStatus = cStat.text();
			}
			return validator.validate(this.raw);
		}

		private void consistent(RawValue id, String fromKey, String element, int width) {
			RawValue value = this.elements.get(element);
			if (value == null) {
				return;
			}
			String padded = "0".repeat(Math.max(0, width - value.text().length())) + value.text();
			if (!padded.equals(fromKey)) {
				this.raw.error(id, "has " + fromKey + " where " + element + " is " + value.text());
			}
		}

		private LocalDate issueDate() {
			RawValue value = this.elements.containsKey("ide/dhEmi") ? this.elements.get("ide/dhEmi")
					: this.elements.get("ide/dEmi");
			if (value == null) {
				return null;
			}
			LocalDate date;
			try {
				date = (value.text().length() > 10) ? OffsetDateTime.parse(value.text()).toLocalDate()
						: LocalDate.parse(value.text());
			}
			catch (DateTimeParseException ex) {
				this.raw.error(value, "must be a date-time like 2026-03-10T10:00:00-03:00");
				this.raw.reported.add(InvoiceField.DATE);
				return null;
			}
			this.raw.put(InvoiceField.DATE, new RawValue(value.name(), RawValue.Kind.STRING, date.toString(),
					value.path()));
			return date;
		}

		/** Model 65: an NFC-e, the consumer invoice of retail sales. */
		private boolean isConsumerInvoice() {
			RawValue model = this.elements.get("ide/mod");
			return model != null && CONSUMER_INVOICE_MODEL.equals(model.text().strip());
		}

		private void map(String element, InvoiceField field) {
			RawValue value = this.elements.get(element);
			if (value != null) {
				this.raw.put(field, value);
			}
		}

	}

	/** The {@code prod} values of one {@code det}. */
	private static final class ItemBuilder {

		private final String path;

		private final Map<String, RawValue> values = new HashMap<>();

		ItemBuilder(String path) {
			this.path = path;
		}

		/** Keeps the four values an item is made of; any other element of {@code prod} is not held. */
		void put(String name, String fullPath, String text) {
			switch (name) {
				case "xProd", "qCom", "vUnCom", "vProd" ->
					this.values.put(name, new RawValue("prod/" + name, RawValue.Kind.STRING, text, fullPath));
				default -> {
				}
			}
		}

		ParsedRecord.Item build(RecordValidator validator, RawRecord raw) {
			RawValue description = this.values.get("xProd");
			return Items.item(validator, raw, this.path, (description != null) ? description.text() : null,
					this.values.get("qCom"), this.values.get("vUnCom"), this.values.get("vProd"));
		}

	}

}
