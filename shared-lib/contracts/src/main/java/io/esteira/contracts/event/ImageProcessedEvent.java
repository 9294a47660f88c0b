package io.esteira.contracts.event;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Published once per upload when its thumbnails are in the output bucket; CRM sync consumes it.
 *
 * @param crmContactId the CRM contact the uploader named, may be {@code null}
 * @param renditions what was written, smallest first
 * @param occurredAt when the thumbnails were done
 * @param uploadedAt when the source object was stored (its S3 event's time): how late the photo already is; may be
 * {@code null} (events published before it was added)
 * @param run the upload's pipeline run this event belongs to: 1, or the redrive's run ({@code POST
 * /api/uploads/{id}/retry}; 2 for the first), which CRM sync takes as a reason to sync an upload it had ended for
 * review or as failed again; 1 when absent (events published before it was added)
 * @param tenant the upload's tenant ({@link UploadMetadata#tenant}): which CRM connection CRM sync uses;
 * {@link Tenants#DEFAULT} when absent (events published before it was added)
 */
public record ImageProcessedEvent(UUID eventId, UUID uploadId, String sourceBucket, String sourceKey,
		String crmContactId, String customerEmail, String customerPhone, List<Rendition> renditions,
		Instant occurredAt, Instant uploadedAt, Integer run, String tenant) {

	public ImageProcessedEvent {
		run = (run == null || run < 1) ? 1 : run;
		tenant = Tenants.orDefault(tenant);
	}

	/** An event of the {@link Tenants#DEFAULT default tenant}. */
	public ImageProcessedEvent(UUID eventId, UUID uploadId, String sourceBucket, String sourceKey,
			String crmContactId, String customerEmail, String customerPhone, List<Rendition> renditions,
			Instant occurredAt, Instant uploadedAt, Integer run) {
		this(eventId, uploadId, sourceBucket, sourceKey, crmContactId, customerEmail, customerPhone, renditions,
				occurredAt, uploadedAt, run, null);
	}

	/** One thumbnail in the output bucket. */
	public record Rendition(String name, String bucket, String key, int width, int height, long bytes,
			String contentType) {
	}

}
