package io.esteira.invoice.invoices;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An invoice as the REST API returns it.
 *
 * @param issuerKey who issued it: the issuer's CPF/CNPJ, or the configured default issuer ({@code default})
 * @param customerDocument the customer's CPF/CNPJ without punctuation, or {@code null}
 * @param amount two decimal places, in {@code currency}
 * @param dueDate or {@code null}
 * @param accessKey the NF-e access key (44 digits), or {@code null}
 * @param authorizationStatus the NF-e's {@code cStat} (100 = authorised), or {@code null}
 * @param uploadId the upload whose file brought the invoice first
 * @param createdAt when it was stored
 * @param items the invoice's lines; only on single invoices ({@code null} in listings)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InvoiceView(UUID id, String issuerKey, String series, String number, String customer,
		String customerDocument, BigDecimal amount, String currency, LocalDate issueDate, LocalDate dueDate,
		String accessKey, String authorizationStatus, UUID uploadId, Instant createdAt, List<Item> items) {

	/** Every amount is less than this, 10<sup>13</sup> (the column is {@code numeric(15,2)}). */
	public static final BigDecimal MAX_AMOUNT = new BigDecimal("10000000000000");

	InvoiceView withItems(List<Item> items) {
		return new InvoiceView(this.id, this.issuerKey, this.series, this.number, this.customer, this.customerDocument,
				this.amount, this.currency, this.issueDate, this.dueDate, this.accessKey, this.authorizationStatus,
				this.uploadId, this.createdAt, items);
	}

	/** One line of an invoice ({@code quantity} and {@code unitPrice} may be {@code null}). */
	public record Item(String description, BigDecimal quantity, BigDecimal unitPrice, BigDecimal total) {
	}

}
