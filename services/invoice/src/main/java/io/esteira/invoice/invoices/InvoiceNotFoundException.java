package io.esteira.invoice.invoices;

import java.util.UUID;

import io.esteira.platform.web.ProblemException;

import org.springframework.http.HttpStatus;

/** No invoice has the requested id or access key. */
public class InvoiceNotFoundException extends ProblemException {

	public InvoiceNotFoundException(UUID id) {
		super(HttpStatus.NOT_FOUND, "invoice-not-found", "Invoice not found", "No invoice with id " + id);
	}

	public InvoiceNotFoundException(String accessKey) {
		super(HttpStatus.NOT_FOUND, "invoice-not-found", "Invoice not found",
				"No invoice with access key " + accessKey);
	}

}
