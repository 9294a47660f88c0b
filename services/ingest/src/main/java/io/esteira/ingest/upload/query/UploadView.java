package io.esteira.ingest.upload.query;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.esteira.contracts.event.UploadStatus;
import io.esteira.ingest.upload.Customer;
import io.esteira.ingest.upload.Upload;
import io.esteira.ingest.upload.timeline.TimelineRun;
import io.esteira.ingest.upload.timeline.TimelineStep;

/**
 * An upload as {@code GET /api/uploads/{id}} shows it, with its timeline.
 *
 * @param kind {@code image} or {@code invoice}
 * @param contentType the type detected from the bytes (declared, for a direct upload)
 * @param objectKey the key in the uploads bucket
 * @param hasCallback whether the final status is POSTed to a callback URL (the URL itself is not shown)
 * @param awaitingObject a direct upload whose object no service has reported on yet
 * @param stuckSince when the stuck-upload check found it without progress; {@code null} if it is not stuck
 * @param stuckReason the stage it waits on and its last step, when stuck
 * @param steps every step report, oldest first, as received
 * @param timeline the steps merged per run: a {@code STARTED} report and the report that ended the same step
 * (same service, step and attempt) make one entry with start and end
 * @param tenant the tenant it belongs to
 * @param customerDocument the customer's CNPJ or CPF (normalized), {@code null} if none was named
 * @param erasedAt when it was erased at its customer's request (then no personal data is left: a tombstone)
 * @param originalDeletedAt when its original was deleted (erasure, or retention), {@code null} while kept
 */
public record UploadView(UUID id, String kind, UploadStatus status, String originalFilename, String contentType,
		long sizeBytes, String objectKey, String customerEmail, String customerPhone, String crmContactId,
		String externalRef, boolean hasCallback, boolean awaitingObject, Instant stuckSince, String stuckReason,
		Instant createdAt, Instant updatedAt, List<TimelineStep> steps, List<TimelineRun> timeline, String tenant,
		String customerDocument, Instant erasedAt, Instant originalDeletedAt) {

	/** The upload with its step reports, oldest first, and their runs. */
	static UploadView of(Upload upload, List<TimelineStep> steps) {
		Customer customer = upload.customer();
		return new UploadView(upload.id(), upload.kind().value(), upload.status(), upload.originalFilename(),
				upload.contentType(), upload.sizeBytes(), upload.objectKey(), customer.email(), customer.phone(),
				customer.crmContactId(), customer.externalRef(), upload.callbackUrl() != null, upload.awaitingObject(),
				upload.stuckSince(), upload.stuckReason(), upload.createdAt(), upload.updatedAt(), steps,
				TimelineRun.of(steps), upload.tenant(), upload.customerDocument(), upload.erasedAt(),
				upload.originalDeletedAt());
	}

}
