package io.esteira.invoice.imports;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.esteira.invoice.brazil.BrazilianDocuments;
import io.esteira.invoice.invoices.InvoiceView;

/**
 * Validates one {@link RawRecord}, whatever format it came from, collecting every error:
 * <ul>
 * <li>{@code number}: required, at most 60 characters; {@code series}: default {@code 1}, at most 10;
 * {@code customer}: required, at most 200;</li>
 * <li>{@code amount}: greater than 0, at most two decimals, less than 10<sup>13</sup>, read as {@link BigDecimal}
 * from the text; {@code 1234.56} always, {@code 1.234,56} too when the format allows Brazilian decimals (CSV);</li>
 * <li>{@code date}: {@code yyyy-MM-dd} or strict {@code dd/MM/yyyy}, not after tomorrow; {@code dueDate}: same
 * formats, not before the issue date;</li>
 * <li>{@code currency}: an ISO 4217 code, default {@code BRL};</li>
 * <li>{@code customerDocument}, {@code issuerDocument}: a CPF (11 digits) or CNPJ (14 characters, alphanumeric from
 * July 2026) with valid check digits, punctuation allowed;</li>
 * <li>{@code accessKey}: 44 digits with a valid check digit, consistent with the issuer document, series and number
 * (which, when missing, are taken from the key).</li>
 * </ul>
 */
final class RecordValidator {

	static final String DEFAULT_SERIES = "1";

	static final String DEFAULT_CURRENCY = "BRL";

	static final BigDecimal MAX_AMOUNT = InvoiceView.MAX_AMOUNT;

	private static final int MAX_NUMBER_LENGTH = 60;

	private static final int MAX_SERIES_LENGTH = 10;

	private static final int MAX_CUSTOMER_LENGTH = 200;

	private static final Pattern DECIMAL = Pattern.compile("[+-]?\\d+(\\.\\d+)?");

	/** {@code 1.234,56}, {@code 1234,56}, {@code -10,5}: comma decimals, dots only as thousands separators. */
	private static final Pattern BRAZILIAN_DECIMAL = Pattern.compile("[+-]?(\\d{1,3}(\\.\\d{3})+|\\d+)(,\\d+)?");

	private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

	private static final Pattern BRAZILIAN_DATE = Pattern.compile("\\d{2}/\\d{2}/\\d{4}");

	private static final Pattern DIGITS = Pattern.compile("\\d{1,9}");

	private static final Pattern THREE_LETTERS = Pattern.compile("[A-Z]{3}");

	private static final Set<String> CURRENCIES = Currency.getAvailableCurrencies()
		.stream()
		.map(Currency::getCurrencyCode)
		.collect(Collectors.toUnmodifiableSet());

	private static final DateTimeFormatter ISO_FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd")
		.withResolverStyle(ResolverStyle.STRICT);

	private static final DateTimeFormatter BRAZILIAN_FORMAT = DateTimeFormatter.ofPattern("dd/MM/uuuu")
		.withResolverStyle(ResolverStyle.STRICT);

	private final LocalDate latestDate;

	private final boolean brazilianDecimals;

	private final int maxNumberLength;

	/**
	 * @param latestDate the latest acceptable issue date (tomorrow)
	 * @param brazilianDecimals whether amounts may be written {@code 1.234,56} (CSV), not only {@code 1234.56}
	 * @param maxNumberLength numbers written longer than this are errors, never parsed (parsing and scaling a number
	 * of 60,000 digits costs a third of a second)
	 */
	RecordValidator(LocalDate latestDate, boolean brazilianDecimals, int maxNumberLength) {
		this.latestDate = latestDate;
		this.brazilianDecimals = brazilianDecimals;
		this.maxNumberLength = maxNumberLength;
	}

	ParsedRecord validate(RawRecord raw) {
		for (InvoiceField field : InvoiceField.values()) {
			if (field.required() && !raw.values.containsKey(field) && !raw.reported.contains(field)
					&& !(raw.values.containsKey(InvoiceField.ACCESS_KEY) && field == InvoiceField.NUMBER)) {
				raw.error(field.canonicalName(), null, "is required");
			}
		}
		String number = identifier(raw, InvoiceField.NUMBER, null, MAX_NUMBER_LENGTH);
		String series = identifier(raw, InvoiceField.SERIES, DEFAULT_SERIES, MAX_SERIES_LENGTH);
		String customer = text(raw, InvoiceField.CUSTOMER, MAX_CUSTOMER_LENGTH);
		String customerDocument = document(raw, InvoiceField.CUSTOMER_DOCUMENT);
		String issuerDocument = document(raw, InvoiceField.ISSUER_DOCUMENT);
		BigDecimal amount = amount(raw);
		String currency = currency(raw);
		LocalDate issueDate = date(raw, InvoiceField.DATE);
		if (issueDate != null && issueDate.isAfter(this.latestDate)) {
			raw.error(raw.values.get(InvoiceField.DATE), "must not be after " + this.latestDate);
		}
		LocalDate dueDate = date(raw, InvoiceField.DUE_DATE);
		if (dueDate != null && issueDate != null && dueDate.isBefore(issueDate)) {
			raw.error(raw.values.get(InvoiceField.DUE_DATE), "must not be before the issue date " + issueDate);
		}
		String accessKey = null;
		RawValue key = raw.values.get(InvoiceField.ACCESS_KEY);
		if (key != null) {
			accessKey = key.text().strip().replace(" ", "");
			if (accessKey.startsWith("NFe")) {
				accessKey = accessKey.substring(3);
			}
			if (!BrazilianDocuments.isValidAccessKey(accessKey)) {
				raw.error(key, accessKey.matches("\\d{44}") ? "has a wrong check digit"
						: "must be an NF-e access key of 44 digits");
				accessKey = null;
			}
			else {
				String keyIssuer = accessKey.substring(6, 20);
				String keySeries = String.valueOf(Integer.parseInt(accessKey.substring(22, 25)));
				String keyNumber = String.valueOf(Integer.parseInt(accessKey.substring(25, 34)));
				if (issuerDocument == null && !raw.values.containsKey(InvoiceField.ISSUER_DOCUMENT)) {
					issuerDocument = keyIssuer.startsWith("000") && BrazilianDocuments.isValidCpf(keyIssuer.substring(3))
							&& !BrazilianDocuments.isValidCnpj(keyIssuer) ? keyIssuer.substring(3) : keyIssuer;
				}
				else if (issuerDocument != null && !keyIssuer.equals(leftPad(issuerDocument, 14))) {
					raw.error(key, "does not match the issuer document " + issuerDocument);
				}
				series = consistent(raw, key, series, keySeries, "series",
						!raw.values.containsKey(InvoiceField.SERIES));
				number = consistent(raw, key, number, keyNumber, "number",
						!raw.values.containsKey(InvoiceField.NUMBER));
			}
		}
		if (raw.errorCount() > 0) {
			return new ParsedRecord.Rejected(raw.index, raw.errors());
		}
		return new ParsedRecord.Valid(raw.index, raw.line, series, number, customer, customerDocument,
				issuerDocument, amount, currency, issueDate, dueDate, accessKey, raw.authorizationStatus,
				List.copyOf(raw.items));
	}

	/** The key's value when the file gives none or the same number (leading zeros aside); an error otherwise. */
	private static String consistent(RawRecord raw, RawValue key, String given, String fromKey, String what,
			boolean missing) {
		if (missing || given == null) {
			return fromKey;
		}
		if (!DIGITS.matcher(given).matches() || Integer.parseInt(given) != Integer.parseInt(fromKey)) {
			raw.error(key, "does not match the " + what + " " + given);
		}
		return fromKey;
	}

	private static String leftPad(String document, int length) {
		return "0".repeat(Math.max(0, length - document.length())) + document;
	}

	private static String identifier(RawRecord raw, InvoiceField field, String fallback, int maxLength) {
		RawValue value = raw.values.get(field);
		if (value == null) {
			return fallback;
		}
		if (value.kind() != RawValue.Kind.STRING && value.kind() != RawValue.Kind.INTEGER) {
			raw.error(value, "must be a string or an integer");
			return null;
		}
		return text(raw, value, maxLength);
	}

	private static String text(RawRecord raw, InvoiceField field, int maxLength) {
		RawValue value = raw.values.get(field);
		if (value == null) {
			return null;
		}
		if (value.kind() != RawValue.Kind.STRING) {
			raw.error(value, "must be a string");
			return null;
		}
		return text(raw, value, maxLength);
	}

	private static String text(RawRecord raw, RawValue value, int maxLength) {
		String text = value.text().strip();
		if (text.isEmpty()) {
			raw.error(value, "must not be blank");
			return null;
		}
		if (text.length() > maxLength) {
			raw.error(value, "must be at most " + maxLength + " characters");
			return null;
		}
		return text;
	}

	private static String document(RawRecord raw, InvoiceField field) {
		RawValue value = raw.values.get(field);
		if (value == null || value.text().isBlank()) {
			return null;
		}
		String document = BrazilianDocuments.normalize(value.text());
		if (document.length() == 11) {
			if (!BrazilianDocuments.isValidCpf(document)) {
				raw.error(value, "is not a valid CPF (check digits)");
				return null;
			}
		}
		else if (document.length() == 14) {
			if (!BrazilianDocuments.isValidCnpj(document)) {
				raw.error(value, "is not a valid CNPJ (check digits)");
				return null;
			}
		}
		else {
			raw.error(value, "must be a CPF (11 digits) or a CNPJ (14 characters)");
			return null;
		}
		return document;
	}

	private BigDecimal amount(RawRecord raw) {
		RawValue value = raw.values.get(InvoiceField.AMOUNT);
		if (value == null) {
			return null;
		}
		BigDecimal amount = decimal(raw, value, this.brazilianDecimals
				? "must be a decimal number like 1234.56 or 1.234,56" : "must be a decimal number like 1234.56");
		if (amount == null) {
			return null;
		}
		if (amount.signum() <= 0) {
			raw.error(value, "must be greater than 0");
			return null;
		}
		if (amount.stripTrailingZeros().scale() > 2) {
			raw.error(value, "must have at most 2 decimal places");
			return null;
		}
		if (amount.compareTo(MAX_AMOUNT) >= 0) {
			raw.error(value, "must be less than " + MAX_AMOUNT);
			return null;
		}
		return amount.setScale(2);
	}

	/**
	 * The value as a decimal, or {@code null} after recording on {@code raw} that it is not one this format accepts
	 * ({@code invalid}) or that it is too long to be read.
	 */
	BigDecimal decimal(RawRecord raw, RawValue value, String invalid) {
		String text = value.text().strip();
		if (text.length() > this.maxNumberLength) {
			raw.error(value, "must be a number of at most " + this.maxNumberLength + " characters");
			return null;
		}
		BigDecimal number = decimal(value.kind(), text);
		if (number == null) {
			raw.error(value, invalid);
		}
		return number;
	}

	private BigDecimal decimal(RawValue.Kind kind, String text) {
		return switch (kind) {
			case INTEGER, DECIMAL -> new BigDecimal(text);
			case STRING -> {
				if (DECIMAL.matcher(text).matches()) {
					yield new BigDecimal(text);
				}
				if (this.brazilianDecimals && BRAZILIAN_DECIMAL.matcher(text).matches()) {
					yield new BigDecimal(text.replace(".", "").replace(',', '.'));
				}
				yield null;
			}
			case OTHER -> null;
		};
	}

	private static String currency(RawRecord raw) {
		RawValue value = raw.values.get(InvoiceField.CURRENCY);
		if (value == null || (value.kind() == RawValue.Kind.STRING && value.text().isBlank())) {
			return DEFAULT_CURRENCY;
		}
		String code = value.text().strip().toUpperCase(Locale.ROOT);
		if (value.kind() != RawValue.Kind.STRING || !THREE_LETTERS.matcher(code).matches()) {
			raw.error(value, "must be a 3-letter currency code like BRL");
			return null;
		}
		if (!CURRENCIES.contains(code)) {
			raw.error(value, "is not an ISO 4217 currency code");
			return null;
		}
		return code;
	}

	private static LocalDate date(RawRecord raw, InvoiceField field) {
		RawValue value = raw.values.get(field);
		if (value == null) {
			return null;
		}
		String text = (value.kind() == RawValue.Kind.STRING) ? value.text().strip() : "";
		DateTimeFormatter format = ISO_DATE.matcher(text).matches() ? ISO_FORMAT
				: BRAZILIAN_DATE.matcher(text).matches() ? BRAZILIAN_FORMAT : null;
		if (format == null) {
			raw.error(value, "must be a date as yyyy-MM-dd or dd/MM/yyyy");
			return null;
		}
		try {
			return LocalDate.parse(text, format);
		}
		catch (DateTimeParseException ex) {
			raw.error(value, "is not a valid calendar date");
			return null;
		}
	}

}
