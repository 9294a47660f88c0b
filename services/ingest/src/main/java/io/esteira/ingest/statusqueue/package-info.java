/**
 * The status queue's consumer ({@code esteira-status}): a thin adapter that hands each {@code UploadStatusEvent} the
 * other services report to the upload timeline, with the {@code status} step's retry policy.
 */
package io.esteira.ingest.statusqueue;
