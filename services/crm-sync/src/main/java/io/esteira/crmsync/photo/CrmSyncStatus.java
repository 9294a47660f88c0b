package io.esteira.crmsync.photo;

/** How the photo link of one upload ended; final except FAILED. */
public enum CrmSyncStatus {

	/** The link is on the contact. */
	SYNCED,

	/** A person has to look: no contact on the upload, or the CRM refused the update. */
	NEEDS_REVIEW,

	/** Not sent: the contact already shows the photo of a newer upload. */
	SUPERSEDED,

	/**
	 * Retries ran out (the message went to the dead-letter queue); the only status that is not final: a message
	 * redriven from the dead-letter queue tries again.
	 */
	FAILED,

	/**
	 * Erased at the customer's request (LGPD, {@code UploadErasedEvent}): the photo property cleared on the contact,
	 * a note recorded there, nothing of the customer kept. Final: a later image event of the upload does nothing.
	 */
	ERASED

}
