package io.esteira.invoice.invoices;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import io.esteira.invoice.access.CallerScope;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where a keyset page ends: the listing's sort key (issue date descending, then number, series and id ascending) of
 * its last invoice, and the query it belongs to, as opaque URL-safe Base64 JSON.
 *
 * @param query the {@linkplain #fingerprint fingerprint} of the query (caller's scope and filters) that returned it:
 * a cursor is refused by any other query, e.g. another tenant's or other filters. The rows a page can hold come
 * from the caller's scope on every request, never from the cursor, so a cursor cannot page into another tenant
 * either way; the fingerprint makes such a mix-up a 400 instead of a page of something else.
 */
record InvoiceCursor(LocalDate issueDate, String number, String series, UUID id, String query) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static InvoiceCursor after(InvoiceView last, String query) {
		return new InvoiceCursor(last.issueDate(), last.number(), last.series(), last.id(), query);
	}

	/**
	 * A short digest of what a query returns: the caller's scope and the filters (no value is readable from it; the
	 * customer document is personal data).
	 */
	static String fingerprint(CallerScope scope, InvoiceSearch search) {
		String query = scope.tenant() + "\n" + scope.customerDocument() + "\n" + scope.nothing() + "\n" + search;
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(query.getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 12));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	String encode() {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(this));
	}

	/**
	 * The cursor a page of the query with fingerprint {@code query} returned.
	 * @throws InvalidInvoiceQueryException when it is not a cursor this API returned, or one of another query
	 */
	static InvoiceCursor decode(String cursor, String query) {
		InvoiceCursor decoded;
		try {
			decoded = JSON.readValue(Base64.getUrlDecoder().decode(cursor), InvoiceCursor.class);
		}
		catch (IllegalArgumentException | JacksonException ex) {
			throw new InvalidInvoiceQueryException("'cursor' is not a cursor this API returned");
		}
		if (decoded.issueDate == null || decoded.number == null || decoded.series == null || decoded.id == null) {
			throw new InvalidInvoiceQueryException("'cursor' is incomplete");
		}
		if (!query.equals(decoded.query)) {
			throw new InvalidInvoiceQueryException("'cursor' belongs to another query: page on with the filters, and "
					+ "the credentials, of the request that returned it");
		}
		return decoded;
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
