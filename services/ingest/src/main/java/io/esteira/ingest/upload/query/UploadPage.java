package io.esteira.ingest.upload.query;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.esteira.contracts.event.UploadStatus;

/**
 * A page of {@code GET /api/uploads}, newest first.
 *
 * @param nextCursor pass it as {@code cursor} for the next page; {@code null} on the last page
 */
public record UploadPage(List<Summary> items, String nextCursor) {

	/**
	 * An upload in a listing (no timeline: {@code GET /api/uploads/{id}} has it).
	 *
	 * @param stuckSince when the stuck-upload check marked it, {@code null} if it is not stuck
	 * @param stuckReason the stage it waits on and its last step, when stuck
	 * @param tenant the tenant it belongs to
	 * @param erasedAt when it was erased at its customer's request, {@code null} if it was not
	 */
	public record Summary(UUID id, String tenant, String kind, UploadStatus status, String originalFilename,
			String contentType, long sizeBytes, String customerEmail, String customerPhone, String crmContactId,
			String externalRef, Instant stuckSince, String stuckReason, Instant erasedAt, Instant createdAt,
			Instant updatedAt) {
	}

}
