package io.esteira.invoice.invoices;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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

	/** Adds the condition "after this invoice in the listing's order" to {@code conditions}, its values to {@code params}. */
	void addCondition(List<String> conditions, Map<String, Object> params) {
		// The first conjunct is implied by the second; it is there for PostgreSQL, which does not derive an index
		// condition from an OR: with it, a deep page is an index range scan starting at the cursor's date instead of
		// a walk over every invoice before it. The order mixes directions, so a row comparison cannot express it.
		conditions.add("issue_date <= :afterDate AND (issue_date < :afterDate OR (issue_date = :afterDate"
				+ " AND (number > :afterNumber OR (number = :afterNumber AND (series > :afterSeries"
				+ " OR (series = :afterSeries AND id > :afterId))))))");
		params.put("afterDate", this.issueDate);
		params.put("afterNumber", this.number);
		params.put("afterSeries", this.series);
		params.put("afterId", this.id);
	}

	@Override
	public String toString() {
		return new String(JSON.writeValueAsBytes(this), StandardCharsets.UTF_8);
	}

}
