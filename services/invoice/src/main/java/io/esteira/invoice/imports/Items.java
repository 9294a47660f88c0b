package io.esteira.invoice.imports;

import java.math.BigDecimal;

/** Validation of an invoice's lines, shared by the JSON and NF-e readers. */
final class Items {

	private Items() {
	}

	/** The item, or {@code null} after recording its errors on {@code raw}. */
	static ParsedRecord.Item item(RecordValidator validator, RawRecord raw, String where, String description,
			RawValue quantity, RawValue unitPrice, RawValue total) {
		long errorsBefore = raw.errorCount();
		if (description == null || description.isBlank()) {
			raw.error(where + ".description", description, "is required");
		}
		else if (description.indexOf('\u0000') >= 0) {
			raw.error(where + ".description", description, "must not contain NUL characters");
		}
		BigDecimal quantityValue = number(validator, raw, quantity, 4, false);
		BigDecimal unitPriceValue = number(validator, raw, unitPrice, 10, false);
		BigDecimal totalValue = number(validator, raw, total, 2, true);
		if (total == null) {
			raw.error(where + ".total", null, "is required");
		}
		if (raw.errorCount() > errorsBefore) {
			return null;
		}
		return new ParsedRecord.Item(description.strip(), quantityValue, unitPriceValue, totalValue.setScale(2));
	}

	private static BigDecimal number(RecordValidator validator, RawRecord raw, RawValue value, int maxScale,
			boolean positive) {
		if (value == null || value.text() == null) {
			return null;
		}
		BigDecimal number = validator.decimal(raw, value, "must be a decimal number");
		if (number == null) {
			return null;
		}
		if (positive ? number.signum() <= 0 : number.signum() < 0) {
			raw.error(value, positive ? "must be greater than 0" : "must not be negative");
			return null;
		}
		if (number.stripTrailingZeros().scale() > maxScale || number.abs().compareTo(RecordValidator.MAX_AMOUNT) >= 0) {
			raw.error(value, "must have at most " + maxScale + " decimal places and be less than 10^13");
			return null;
		}
		return number;
	}

}
