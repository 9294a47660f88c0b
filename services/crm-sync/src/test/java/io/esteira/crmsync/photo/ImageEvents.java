package io.esteira.crmsync.photo;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.contracts.event.UploadErasedEvent;

/** "Image processed" events as image-processing publishes them, and erasures as ingest does. */
final class ImageEvents {

	private ImageEvents() {
	}

	/** A HubSpot-like contact id no other test uses. */
	static String aContactId() {
		return Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
	}

	/** An email address no other test uses. */
	static String anEmail() {
		return "ana+" + ThreadLocalRandom.current().nextLong(1_000_000L, 9_999_999L) + "@example.com";
	}

	static ImageProcessedEvent anImageOfContact(String contactId) {
		return anImageOfContactAt(contactId, Instant.now().truncatedTo(ChronoUnit.MICROS));
	}

	static ImageProcessedEvent anImageOfContactAt(String contactId, Instant occurredAt) {
		return anImage(contactId, "ana@example.com", "+5511999990000", occurredAt);
	}

	/** An upload that named no contact, only the customer's email and/or phone. */
	static ImageProcessedEvent anImageOfCustomer(String email, String phone) {
		return anImage(null, email, phone, Instant.now().truncatedTo(ChronoUnit.MICROS));
	}

	/** An upload that says nothing about the customer. */
	static ImageProcessedEvent anImageWithoutContact() {
		return anImage(null, null, null, Instant.now().truncatedTo(ChronoUnit.MICROS));
	}

	/**
	 * An upload's image with these customer details, processed at {@code occurredAt} and uploaded just now, whatever
	 * {@code occurredAt} says: not late, so batches do not wait longer for it.
	 */
	static ImageProcessedEvent anImage(String contactId, String email, String phone, Instant occurredAt) {
		UUID uploadId = UUID.randomUUID();
		String key = "images/" + uploadId + "/portrait.jpg";
		return new ImageProcessedEvent(UUID.randomUUID(), uploadId, "esteira-uploads", key, contactId, email, phone,
				List.of(new ImageProcessedEvent.Rendition("256", "esteira-output", "thumbnails/" + uploadId + "/256.jpg",
						256, 192, 18_432, "image/jpeg")),
				occurredAt, Instant.now().minusMillis(300).truncatedTo(ChronoUnit.MICROS), 1);
	}

	/** The same event as an upload of {@code tenant} makes it. */
	static ImageProcessedEvent ofTenant(ImageProcessedEvent event, String tenant) {
		return new ImageProcessedEvent(event.eventId(), event.uploadId(), event.sourceBucket(), event.sourceKey(),
				event.crmContactId(), event.customerEmail(), event.customerPhone(), event.renditions(),
				event.occurredAt(), event.uploadedAt(), event.run(), tenant);
	}

	/** The erasure ingest publishes when the upload of {@code event} is erased at its customer's request. */
	static UploadErasedEvent erasureOf(ImageProcessedEvent event) {
		return UploadErasedEvent.of(event.uploadId(), event.tenant(), Instant.now().truncatedTo(ChronoUnit.MICROS));
	}

	/**
	 * The same upload's event as image-processing sends it again for a redrive ({@code POST
	 * /api/uploads/{id}/retry}): a new event id, the redrive's run.
	 */
	static ImageProcessedEvent inRun(ImageProcessedEvent event, int run) {
		return new ImageProcessedEvent(UUID.randomUUID(), event.uploadId(), event.sourceBucket(), event.sourceKey(),
				event.crmContactId(), event.customerEmail(), event.customerPhone(), event.renditions(),
				event.occurredAt(), Instant.now().truncatedTo(ChronoUnit.MICROS), run);
	}

}
