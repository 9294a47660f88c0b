package io.esteira.crmsync.photo;

import java.time.Instant;
import java.util.UUID;

/**
 * What one "image processed" event asks for: set {@code property} = {@code link} on {@code contactId}.
 *
 * @param contactId the CRM contact, {@code null} when the upload named none
 * @param occurredAt when the image was processed; a newer image of the same contact wins
 */
record PhotoLink(UUID uploadId, String contactId, String property, String link, Instant occurredAt) {
}
