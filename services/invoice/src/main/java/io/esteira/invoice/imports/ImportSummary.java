package io.esteira.invoice.imports;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What importing one upload's file gave, as {@code GET /api/invoices/imports/{uploadId}} returns it.
 *
 * @param status {@code COMPLETED}, {@code COMPLETED_WITH_ERRORS} or {@code REJECTED}
 * @param accepted invoices stored by this import
 * @param duplicates invoices that were already stored with the same content
 * @param conflicts invoices whose natural key was already stored with other content (the stored one is kept)
 * @param rejected records that failed validation
 * @param totalErrors how many errors the import found; {@code errors} holds the first ones only
 * @param errors the first errors (record errors, conflicts, or why the file was unreadable)
 * @param format {@code JSON}, {@code CSV} or {@code XML}; {@code null} when the file was not recognised
 * @param errorReportKey where the CSV with every error is in the output bucket, {@code null} without errors
 * @param durationMillis how long reading, validating and storing took
 */
public record ImportSummary(UUID uploadId, String bucket, String objectKey, String eTag, String status, int accepted,
		int duplicates, int conflicts, int rejected, long totalErrors, List<ImportError> errors, String format,
		String errorReportKey, Long durationMillis, Instant startedAt, Instant finishedAt) {

}
