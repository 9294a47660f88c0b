/**
 * Who may see which rows: the caller's tenant and customer document ({@code EsteiraPrincipal}), as SQL conditions that
 * the invoice listings and the import summaries add to their queries.
 */
package io.esteira.invoice.access;
