package io.esteira.invoice.invoices;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Base64;
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

	/**
	 * The invoices after this one in the listing's order, as two conditions, each an index range scan of the listing
	 * index {@code (issue_date DESC, number, series, id)}: the rest of the cursor's own date (the date fixed, then a
	 * row comparison on the rest of the order, which is ascending), and the earlier dates. One condition with an
	 * {@code OR} would read and drop every invoice of the cursor's date before the cursor.
	 */
	static final String SAME_DATE_AFTER = "issue_date = :afterDate"
			+ " AND (number, series, id) > (:afterNumber, :afterSeries, :afterId)";

	/** See {@link #SAME_DATE_AFTER}. */
	static final String EARLIER_DATES = "issue_date < :afterDate";

	/** Adds the values of {@link #SAME_DATE_AFTER} and {@link #EARLIER_DATES} to {@code params}. */
	void addParams(Map<String, Object> params) {
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
