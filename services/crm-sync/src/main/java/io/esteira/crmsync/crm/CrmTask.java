package io.esteira.crmsync.crm;

import java.time.Instant;

/**
 * A to-do for the contact's owner.
 *
 * @param marker a token unique to the upload, written into the body so that the task can be found again
 * @param dueAt when the task is due (and its timestamp)
 */
public record CrmTask(String contactId, String ownerId, String subject, String body, Instant dueAt, String marker) {
}
