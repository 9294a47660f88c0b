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
 * @param conflicts invoices whose series and number were already stored with other content (the stored one is kept)
 * @param rejected records that failed validation
 * @param errors the first errors (record errors, conflicts, or why the file was unreadable)
 */
public record ImportSummary(UUID uploadId, String bucket, String objectKey, String eTag, String status, int accepted,
		int duplicates, int conflicts, int rejected, List<ImportError> errors, Instant startedAt,
		Instant finishedAt) {

}
