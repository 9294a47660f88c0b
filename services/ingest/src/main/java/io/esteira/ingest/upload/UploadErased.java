package io.esteira.ingest.upload;

import java.time.Instant;
import java.util.UUID;

/**
 * An image upload was erased at its customer's request. Published inside the erasure's transaction, so it goes
 * through the outbox; it is sent to CRM sync as an {@code UploadErasedEvent} on the image-events queue, which clears
 * the photo the upload put on the CRM contact and records a note there.
 */
public record UploadErased(UUID uploadId, String tenant, Instant erasedAt) {
}
