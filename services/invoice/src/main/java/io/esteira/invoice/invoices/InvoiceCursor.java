package io.esteira.invoice.invoices;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Base64;
import java.util.UUID;

import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.Path;
import jakarta.persistence.criteria.Predicate;
import jakarta.persistence.criteria.Root;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where a keyset page ends: the listing's sort key (issue date descending, then number, series and id ascending) of
 * its last invoice, as opaque URL-safe Base64 JSON.
 */
record InvoiceCursor(LocalDate issueDate, String number, String series, UUID id) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static InvoiceCursor after(InvoiceView last) {
		return new InvoiceCursor(last.issueDate(), last.number(), last.series(), last.id());
	}

	String encode() {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(this));
	}

	static InvoiceCursor decode(String cursor) {
		try {
			InvoiceCursor decoded = JSON.readValue(Base64.getUrlDecoder().decode(cursor), InvoiceCursor.class);
			if (decoded.issueDate == null || decoded.number == null || decoded.series == null || decoded.id == null) {
				throw new InvalidInvoiceQueryException("'cursor' is incomplete");
			}
			return decoded;
		}
		catch (IllegalArgumentException | JacksonException ex) {
			throw new InvalidInvoiceQueryException("'cursor' is not a cursor this API returned");
		}
	}

	/** Invoices after this one in the listing's order. */
	Predicate after(Root<Invoice> root, CriteriaBuilder cb) {
		Path<LocalDate> date = root.get("issueDate");
		Path<String> number = root.get("number");
		Path<String> series = root.get("series");
		Path<UUID> id = root.get("id");
		// The first conjunct is implied by the second; it is there for PostgreSQL, which does not derive an index
		// condition from an OR: with it, a deep page is an index range scan starting at the cursor's date instead of
		// a walk over every invoice before it.
		return cb.and(cb.lessThanOrEqualTo(date, this.issueDate), cb.or(cb.lessThan(date, this.issueDate),
				cb.and(cb.equal(date, this.issueDate),
						cb.or(cb.greaterThan(number, this.number),
								cb.and(cb.equal(number, this.number), cb.or(cb.greaterThan(series, this.series),
										cb.and(cb.equal(series, this.series), cb.greaterThan(id, this.id))))))));
	}

	@Override
	public String toString() {
		return new String(JSON.writeValueAsBytes(this), StandardCharsets.UTF_8);
	}

}
