package io.esteira.invoice.invoices;

import io.esteira.platform.web.ProblemException;

import org.springframework.http.HttpStatus;

/** Query parameters that are well-formed one by one but make no sense together, e.g. {@code from} after {@code to}. */
public class InvalidInvoiceQueryException extends ProblemException {

	public InvalidInvoiceQueryException(String message) {
		super(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", message);
	}

}
