package io.esteira.invoice.invoices;

import java.util.UUID;

/** No invoice has the requested id or access key. */
public class InvoiceNotFoundException extends RuntimeException {

	public InvoiceNotFoundException(UUID id) {
		super("No invoice with id " + id);
	}

	public InvoiceNotFoundException(String accessKey) {
		super("No invoice with access key " + accessKey);
	}

}
