package io.esteira.invoice.imports;

import io.esteira.invoice.config.InvoiceProperties.Limits;

/**
 * The file breaks one of the limits on what an invoice file may hold ({@code esteira.invoices.limits.*}): it is
 * rejected as a whole, never retried. The message says what was too large and names the setting, e.g. {@code text
 * node longer than 65536 characters (esteira.invoices.limits.max-text-length)}.
 */
public class InputLimitExceededException extends UnsupportedFormatException {

	static final String MAX_FILE_SIZE = "max-file-size";

	static final String MAX_TEXT_LENGTH = "max-text-length";

	static final String MAX_NUMBER_LENGTH = "max-number-length";

	static final String MAX_DEPTH = "max-depth";

	static final String MAX_ELEMENTS = "max-elements";

	static final String MAX_ITEMS = "max-items";

	static final String MAX_RECORDS = "max-records";

	static final String MAX_RECORD_LENGTH = "max-record-length";

	/**
	 * @param what what was too large, e.g. {@code text node longer than 65536 characters}
	 * @param setting the limit's name under {@code esteira.invoices.limits}, e.g. {@code max-text-length}
	 */
	InputLimitExceededException(String what, String setting) {
		super(what + " (" + Limits.key(setting) + ")");
	}

	static InputLimitExceededException fileSize(long maxBytes) {
		return new InputLimitExceededException("file larger than " + maxBytes + " bytes", MAX_FILE_SIZE);
	}

	/** @param what the kind of value: {@code text node}, {@code JSON string}, {@code CSV field} ... */
	static InputLimitExceededException textLength(String what, int maxCharacters) {
		return new InputLimitExceededException(what + " longer than " + maxCharacters + " characters",
				MAX_TEXT_LENGTH);
	}

	static InputLimitExceededException numberLength(int maxCharacters) {
		return new InputLimitExceededException("number longer than " + maxCharacters + " characters",
				MAX_NUMBER_LENGTH);
	}

	static InputLimitExceededException depth(int maxDepth) {
		return new InputLimitExceededException("nesting depth over " + maxDepth + " levels", MAX_DEPTH);
	}

	static InputLimitExceededException elements(long maxElements) {
		return new InputLimitExceededException("more than " + maxElements + " XML elements", MAX_ELEMENTS);
	}

	static InputLimitExceededException items(int maxItems, long recordIndex) {
		return new InputLimitExceededException(
				"invoice " + recordIndex + " has more than " + maxItems + " items", MAX_ITEMS);
	}

	static InputLimitExceededException records(long maxRecords) {
		return new InputLimitExceededException("more than " + maxRecords + " invoices in the file", MAX_RECORDS);
	}

	static InputLimitExceededException recordLength(String what, int maxLength) {
		return new InputLimitExceededException(what + " longer than " + maxLength + " characters",
				MAX_RECORD_LENGTH);
	}

}
