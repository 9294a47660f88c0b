/**
 * Importing invoice files: the SQS listener for S3 events, the streaming JSON parser and its validation, the
 * exactly-once writer, the import summaries and their REST endpoint.
 */
package io.esteira.invoice.imports;
