/**
 * The invoice service: reads invoice files from the uploads bucket when S3 announces them, stores each invoice
 * exactly once, reports the outcome to ingest and serves the invoices over REST.
 */
package io.esteira.invoice;
