package io.esteira.ingest.upload;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.esteira.shared.event.StepOutcome;
import io.esteira.shared.event.UploadStatus;

/**
 * An upload as {@code GET /api/uploads/{id}} shows it, with its timeline.
 *
 * @param kind {@code image} or {@code invoice}
 * @param contentType the type detected from the bytes
 * @param objectKey the key in the uploads bucket
 * @param steps the timeline, oldest first
 */
public record UploadView(UUID id, String kind, UploadStatus status, String originalFilename, String contentType,
		long sizeBytes, String objectKey, String customerEmail, String customerPhone, String crmContactId,
		String externalRef, Instant createdAt, Instant updatedAt, List<Step> steps) {

	/**
	 * One step of the timeline.
	 *
	 * @param service who ran it, e.g. {@code ingest}, {@code image-processing}
	 * @param status the upload status the step implied, {@code null} if none
	 */
	public record Step(String service, String step, StepOutcome outcome, UploadStatus status, String reason,
			int attempt, Instant occurredAt) {
	}

}
