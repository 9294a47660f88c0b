package io.esteira.crmsync.photo;

import java.time.Instant;
import java.util.UUID;

/**
 * What one "image processed" event asks for: set {@code property} = {@code link} on {@code contactId}.
 *
 * @param contactId the CRM contact the upload named (or, once resolved, the one found), {@code null} when none
 * @param occurredAt when the image was processed; a newer image of the same contact wins
 * @param run the upload's pipeline run the event belongs to (1, or a redrive's)
 * @param tenant the upload's tenant: whose CRM connection, and whose contacts
 */
record PhotoLink(UUID uploadId, String contactId, String property, String link, Instant occurredAt, int run,
		String tenant) {

	PhotoLink forContact(String resolvedContactId) {
		return new PhotoLink(this.uploadId, resolvedContactId, this.property, this.link, this.occurredAt, this.run,
				this.tenant);
	}

}
