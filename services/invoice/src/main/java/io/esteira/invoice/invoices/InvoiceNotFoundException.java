package io.esteira.invoice.invoices;

import java.util.UUID;

/** No invoice has the requested id. */
public class InvoiceNotFoundException extends RuntimeException {

	public InvoiceNotFoundException(UUID id) {
		super("No invoice with id " + id);
	}

}
