package io.esteira.invoice.invoices;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

/** Reads single stored invoices (listings are SQL: {@link InvoiceQueryService}). */
interface InvoiceRepository extends JpaRepository<Invoice, UUID> {

	Optional<Invoice> findByAccessKey(String accessKey);

}
