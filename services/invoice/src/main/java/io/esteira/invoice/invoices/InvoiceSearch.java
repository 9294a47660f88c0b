package io.esteira.invoice.invoices;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.esteira.invoice.brazil.BrazilianDocuments;

import jakarta.persistence.criteria.Predicate;

import org.springframework.data.jpa.domain.Specification;

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

	Specification<Invoice> toSpecification() {
		return (root, query, cb) -> {
			List<Predicate> predicates = new ArrayList<>();
			if (this.customer != null) {
				predicates.add(cb.like(cb.lower(root.get("customer")), "%" + escapeLike(this.customer) + "%", '\\'));
			}
			if (this.from != null) {
				predicates.add(cb.greaterThanOrEqualTo(root.get("issueDate"), this.from));
			}
			if (this.customerDocument != null) {
				predicates.add(cb.equal(root.get("customerDocument"), this.customerDocument));
			}
			if (this.minAmount != null) {
				predicates.add(cb.greaterThanOrEqualTo(root.get("amount"), this.minAmount));
			}
			if (this.maxAmount != null) {
				predicates.add(cb.lessThanOrEqualTo(root.get("amount"), this.maxAmount));
			}
			if (this.uploadId != null) {
				predicates.add(cb.equal(root.get("uploadId"), this.uploadId));
			}
			if (this.to != null) {
				predicates.add(cb.lessThanOrEqualTo(root.get("issueDate"), this.to));
			}
			return cb.and(predicates.toArray(Predicate[]::new));
		};
	}

	private static String escapeLike(String value) {
		return value.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
	}

}
