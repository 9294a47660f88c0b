package io.esteira.invoice.invoices;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

/**
 * A stored invoice, for reading. Rows are written only by the importer, in batches over JDBC
 * ({@code io.esteira.invoice.imports.InvoiceBatchWriter}); the mapping is validated against the Flyway schema.
 */
@Entity
@Immutable
@Table(name = "invoices")
class Invoice {

	@Id
	private UUID id;

	@Column(name = "issuer_key", nullable = false)
	private String issuerKey;

	@Column(nullable = false)
	private String series;

	@Column(nullable = false)
	private String number;

	@Column(nullable = false)
	private String customer;

	@Column(nullable = false, precision = 15, scale = 2)
	private BigDecimal amount;

	@Column(nullable = false)
	private String currency;

	@Column(name = "issue_date", nullable = false)
	private LocalDate issueDate;

	@Column(name = "customer_document")
	private String customerDocument;

	@Column(name = "due_date")
	private LocalDate dueDate;

	@Column(name = "access_key")
	private String accessKey;

	@Column(name = "authorization_status")
	private String authorizationStatus;

	@Column(name = "upload_id", nullable = false)
	private UUID uploadId;

	@Column(name = "created_at", nullable = false)
	private Instant createdAt;

	protected Invoice() {
	}

	InvoiceView toView() {
		return new InvoiceView(this.id, this.issuerKey, this.series, this.number, this.customer,
				this.customerDocument, this.amount, this.currency, this.issueDate, this.dueDate, this.accessKey,
				this.authorizationStatus, this.uploadId, this.createdAt, null);
	}

}
