package io.esteira.crmsync.crm;

import java.util.List;
import java.util.Optional;

/**
 * What Esteira asks of the CRM. Implementations translate failures into {@link CrmRejectedException} (retrying the
 * same request cannot help: record it for review) or {@link CrmUnavailableException} (try again later), and never put
 * credentials in exception messages. Every method is one request to the CRM (the rate limiter counts on it), except
 * {@link #ensureContactProperty}.
 */
public interface CrmClient {

	/**
	 * The contact with this id, with its owner.
	 * @return empty when the CRM has no such contact
	 * @throws CrmRejectedException when the id cannot be a contact id of this CRM
	 */
	Optional<CrmContact> findContact(String contactId);

	/** Contacts whose primary email is exactly {@code email} (case-insensitive); at most ten. */
	List<CrmContact> findContactsByEmail(String email);

	/** Contacts with this phone number (E.164) in any of their phone properties; at most ten. */
	List<CrmContact> findContactsByPhone(PhoneNumber phone);

	/**
	 * Sets one property of a contact; setting the same value twice is harmless.
	 * @param contactId the CRM's id of the contact
	 * @param property the property's internal name, e.g. {@code esteira_photo_url}
	 * @param value the new value
	 * @throws CrmRejectedException when the CRM refuses this request (unknown contact, invalid property or value)
	 * @throws CrmUnavailableException when the CRM cannot be reached, is overloaded or rate limits us
	 */
	void updateContactProperty(String contactId, String property, String value);

	/** Creates a task associated with the contact; returns the CRM's id of the task. */
	String createTask(CrmTask task);

	/** Creates a note associated with the contact; returns the CRM's id of the note. */
	String createNote(CrmNote note);

	/** The id of a task created earlier with this marker in its body, if the CRM finds one. */
	Optional<String> findTask(String marker);

	/** The id of a note created earlier with this marker in its body, if the CRM finds one. */
	Optional<String> findNote(String marker);

	/**
	 * Creates the contact property if the CRM does not have it yet.
	 * @throws CrmRejectedException when the credentials may not create properties (do it by hand then)
	 */
	void ensureContactProperty(String name, String label);

}
