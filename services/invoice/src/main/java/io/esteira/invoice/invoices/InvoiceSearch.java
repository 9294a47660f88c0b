package io.esteira.invoice.invoices;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.esteira.invoice.brazil.BrazilianDocuments;

/**
 * Filters of the invoice listing; each is optional.
 *
 * @param customer part of the customer's name, case-insensitive
 * @param from earliest issue date, inclusive
 * @param to latest issue date, inclusive
 * @param customerDocument the customer's CPF/CNPJ, punctuation allowed
 * @param minAmount smallest amount, inclusive
 * @param maxAmount largest amount, inclusive
 * @param uploadId the upload (import) that stored the invoices
 */
record InvoiceSearch(String customer, LocalDate from, LocalDate to, String customerDocument, BigDecimal minAmount,
		BigDecimal maxAmount, UUID uploadId) {

	InvoiceSearch(String customer, LocalDate from, LocalDate to) {
		this(customer, from, to, null, null, null, null);
	}

	InvoiceSearch {
		checkDate("from", from);
		checkDate("to", to);
		checkAmount("minAmount", minAmount);
		checkAmount("maxAmount", maxAmount);
		if (from != null && to != null && from.isAfter(to)) {
			throw new InvalidInvoiceQueryException("'from' (" + from + ") is after 'to' (" + to + ")");
		}
		if (minAmount != null && maxAmount != null && minAmount.compareTo(maxAmount) > 0) {
			throw new InvalidInvoiceQueryException(
					"'minAmount' (" + minAmount + ") is greater than 'maxAmount' (" + maxAmount + ")");
		}
		customerDocument = (customerDocument != null && !customerDocument.isBlank())
				? BrazilianDocuments.normalize(customerDocument) : null;
		customer = (customer != null && !customer.isBlank()) ? customer.strip() : null;
	}

	/**
	 * Adds the filters, as SQL conditions over {@code invoices}, to {@code conditions}, and their values, as named
	 * parameters, to {@code params}. Values are never written into the SQL.
	 */
	void addConditions(List<String> conditions, Map<String, Object> params) {
		if (this.customer != null) {
			// PostgreSQL's LIKE escapes with a backslash by default.
			conditions.add("lower(customer) LIKE :customer");
			params.put("customer", "%" + escapeLike(this.customer) + "%");
		}
		if (this.from != null) {
			conditions.add("issue_date >= :from");
			params.put("from", this.from);
		}
		if (this.to != null) {
			conditions.add("issue_date <= :to");
			params.put("to", this.to);
		}
		if (this.customerDocument != null) {
			conditions.add("customer_document = :customerDocument");
			params.put("customerDocument", this.customerDocument);
		}
		if (this.minAmount != null) {
			conditions.add("amount >= :minAmount");
			params.put("minAmount", this.minAmount);
		}
		if (this.maxAmount != null) {
			conditions.add("amount <= :maxAmount");
			params.put("maxAmount", this.maxAmount);
		}
		if (this.uploadId != null) {
			conditions.add("upload_id = :uploadId");
			params.put("uploadId", this.uploadId);
		}
	}

	/** A date PostgreSQL can compare: years 1 to 9999 (a stored invoice has no other). */
	private static void checkDate(String name, LocalDate date) {
		if (date != null && (date.getYear() < 1 || date.getYear() > 9999)) {
			throw new InvalidInvoiceQueryException("'" + name + "' must be between 0001-01-01 and 9999-12-31");
		}
	}

	/** An amount an invoice can have: less than 10^13, at most 2 decimal places (numeric(15,2)). */
	private static void checkAmount(String name, BigDecimal amount) {
		if (amount != null
				&& (amount.abs().compareTo(InvoiceView.MAX_AMOUNT) >= 0 || amount.stripTrailingZeros().scale() > 2)) {
			throw new InvalidInvoiceQueryException(
					"'" + name + "' must be less than 10000000000000 with at most 2 decimal places");
		}
	}

	private static String escapeLike(String value) {
		return value.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
	}

}
