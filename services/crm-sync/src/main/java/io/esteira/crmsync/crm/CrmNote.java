package io.esteira.crmsync.crm;

import java.time.Instant;

/**
 * A note on the contact's timeline.
 *
 * @param marker a token unique to the upload, written into the body so that the note can be found again
 */
public record CrmNote(String contactId, String body, Instant timestamp, String marker) {
}
