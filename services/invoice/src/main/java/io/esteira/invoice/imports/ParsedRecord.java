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
	 * @param line the line the record starts on, {@code null} when unknown
	 * @param series without leading zeros when the invoice has an access key
	 * @param customerDocument CPF or CNPJ without punctuation, or {@code null}
	 * @param issuerDocument the issuer's CPF or CNPJ without punctuation; {@code null} for the configured default
	 * issuer
	 * @param amount positive, scale 2
	 * @param currency ISO 4217 code, upper case
	 * @param dueDate not before the issue date, or {@code null}
	 * @param accessKey the NF-e access key (44 digits, check digit verified), or {@code null}
	 * @param authorizationStatus the NF-e's {@code cStat} (100 = authorised), or {@code null}
	 * @param items the invoice's lines (empty when the file gives none)
	 */
	record Valid(int index, Long line, String series, String number, String customer, String customerDocument,
			String issuerDocument, BigDecimal amount, String currency, LocalDate issueDate, LocalDate dueDate,
			String accessKey, String authorizationStatus, List<Item> items) implements ParsedRecord {

		/** A plain invoice: no documents, due date, access key or items. */
		Valid(int index, String series, String number, String customer, BigDecimal amount, String currency,
				LocalDate issueDate) {
			this(index, null, series, number, customer, null, null, amount, currency, issueDate, null, null, null,
					List.of());
		}

	}

	/**
	 * One line of an invoice.
	 *
	 * @param quantity how many, up to 4 decimals; {@code null} when not given
	 * @param unitPrice price per unit, up to 10 decimals; {@code null} when not given
	 * @param total the line's value, 2 decimals
	 */
	record Item(String description, BigDecimal quantity, BigDecimal unitPrice, BigDecimal total) {
	}

	/** A record with at least one error; {@code errors} holds all of them. */
	record Rejected(int index, List<ImportError> errors) implements ParsedRecord {
	}

}
