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
 */
public record ImageProcessedEvent(UUID eventId, UUID uploadId, String sourceBucket, String sourceKey,
		String crmContactId, String customerEmail, String customerPhone, List<Rendition> renditions,
		Instant occurredAt, Instant uploadedAt) {

	/** One thumbnail in the output bucket. */
	public record Rendition(String name, String bucket, String key, int width, int height, long bytes,
			String contentType) {
	}

}
