package io.esteira.crmsync.contact;

import java.util.List;

import io.esteira.crmsync.crm.CrmContact;

/** Which contact an upload belongs to: exactly one, none, or several (never a guess). */
public sealed interface ContactResolution {

	/**
	 * Exactly one contact.
	 * @param by how it was found: {@code id}, {@code email} or {@code phone}
	 */
	record Found(CrmContact contact, String by) implements ContactResolution {
	}

	/** No contact; {@code reason} is for the person reviewing the upload. */
	record NotFound(String reason) implements ContactResolution {
	}

	/** Several contacts match; their ids are kept for the review. */
	record Ambiguous(List<String> candidates, String reason) implements ContactResolution {
	}

}
