package io.esteira.invoice.invoices;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * An invoice as the REST API returns it.
 *
 * @param issuerKey who issued it ({@code default} until invoices carry the issuer's CNPJ)
 * @param amount two decimal places, in {@code currency}
 * @param uploadId the upload whose file brought the invoice first
 * @param createdAt when it was stored
 */
public record InvoiceView(UUID id, String issuerKey, String series, String number, String customer,
		BigDecimal amount, String currency, LocalDate issueDate, UUID uploadId, Instant createdAt) {

}
