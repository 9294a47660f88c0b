package io.esteira.invoice.imports;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** One record of an invoice file after validation: either an invoice to store or the reasons it was rejected. */
public sealed interface ParsedRecord {

	/** Position of the record in the file (0-based). */
	int index();

	/**
	 * A valid invoice.
	 *
	 * @param amount positive, scale 2
	 * @param currency ISO 4217 code, upper case
	 */
	record Valid(int index, String series, String number, String customer, BigDecimal amount, String currency,
			LocalDate issueDate) implements ParsedRecord {
	}

	/** A record with at least one error; {@code errors} holds all of them. */
	record Rejected(int index, List<ImportError> errors) implements ParsedRecord {
	}

}
