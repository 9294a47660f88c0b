package io.esteira.invoice.invoices;

/** Query parameters that are well-formed one by one but make no sense together, e.g. {@code from} after {@code to}. */
public class InvalidInvoiceQueryException extends RuntimeException {

	public InvalidInvoiceQueryException(String message) {
		super(message);
	}

}
