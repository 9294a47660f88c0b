package io.esteira.contracts.event;

import java.time.Instant;
import java.util.UUID;

/**
 * Published by ingest when an image upload is erased at its customer's request (LGPD: {@code DELETE
 * /api/uploads/{id}} or {@code DELETE /api/customers}). It travels on the image-events queue, beside
 * {@link ImageProcessedEvent}s, so that CRM sync handles an upload's events in one place: it clears the photo property
 * the upload set on the CRM contact, records a note there, and drops the upload's personal data. A message is one
 * when its top-level {@code type} field is {@link #TYPE}; image events have no {@code type}.
 *
 * @param type always {@link #TYPE}
 * @param eventId this event, for idempotent consumers
 * @param uploadId the erased upload
 * @param tenant the upload's tenant: which CRM connection CRM sync uses
 * @param erasedAt when ingest erased it
 */
public record UploadErasedEvent(String type, UUID eventId, UUID uploadId, String tenant, Instant erasedAt) {

	/** The {@code type} of every erasure event. */
	public static final String TYPE = "upload-erased";

	public UploadErasedEvent {
		type = TYPE;
		tenant = Tenants.orDefault(tenant);
	}

	public static UploadErasedEvent of(UUID uploadId, String tenant, Instant erasedAt) {
		return new UploadErasedEvent(TYPE, UUID.randomUUID(), uploadId, tenant, erasedAt);
	}

}
