package io.esteira.invoice.invoices;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.persistence.criteria.Predicate;

import org.springframework.data.jpa.domain.Specification;

/**
 * Filters of the invoice listing; each is optional.
 *
 * @param customer part of the customer's name, case-insensitive
 * @param from earliest issue date, inclusive
 * @param to latest issue date, inclusive
 */
record InvoiceSearch(String customer, LocalDate from, LocalDate to) {

	InvoiceSearch {
		if (from != null && to != null && from.isAfter(to)) {
			throw new InvalidInvoiceQueryException("'from' (" + from + ") is after 'to' (" + to + ")");
		}
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
