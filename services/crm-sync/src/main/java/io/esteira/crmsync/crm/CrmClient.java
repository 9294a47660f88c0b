package io.esteira.crmsync.crm;

/**
 * What Esteira asks of the CRM. Implementations translate failures into {@link CrmRejectedException} (retrying the
 * same request cannot help: record it for review) or {@link CrmUnavailableException} (try again later), and never put
 * credentials in exception messages.
 */
public interface CrmClient {

	/**
	 * Sets one property of a contact; setting the same value twice is harmless.
	 * @param contactId the CRM's id of the contact
	 * @param property the property's internal name, e.g. {@code esteira_photo_url}
	 * @param value the new value
	 * @throws CrmRejectedException when the CRM refuses this request (unknown contact, invalid property or value)
	 * @throws CrmUnavailableException when the CRM cannot be reached, is overloaded or rate limits us
	 */
	void updateContactProperty(String contactId, String property, String value);

}
