package io.esteira.invoice.invoices;

import io.esteira.platform.web.ProblemException;

import org.springframework.http.HttpStatus;

/**
 * An offset page deeper than offset paging serves ({@code esteira.invoices.paging.max-offset-rows}): {@code OFFSET}
 * reads and drops every row before the page, so deep pages are cursor pages, which cost what the first one does.
 */
public class OffsetPagingLimitException extends ProblemException {

	static final String KIND = "offset-paging-limit";

	OffsetPagingLimitException(int page, int size, long maxOffsetRows) {
		super(HttpStatus.BAD_REQUEST, KIND, "Page too deep for offset paging", "Page " + page + " of size " + size
				+ " starts at row " + ((long) page * size) + "; offset paging serves pages starting up to row "
				+ maxOffsetRows + " (esteira.invoices.paging.max-offset-rows). Page on with cursor paging: "
				+ "GET /api/invoices?cursor=&size=" + size + " with the same filters, then each page's nextCursor.");
		setProperty("maxOffsetRows", maxOffsetRows);
		setProperty("cursorPaging", "/api/invoices?cursor=&size=" + size);
	}

}
