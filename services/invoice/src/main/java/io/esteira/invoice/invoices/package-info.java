/**
 * Stored invoices and the read-only REST API over them ({@code GET /api/invoices}, {@code GET /api/invoices/{id}}).
 */
package io.esteira.invoice.invoices;
