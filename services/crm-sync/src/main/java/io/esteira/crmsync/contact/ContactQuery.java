package io.esteira.crmsync.contact;

/**
 * What an upload says about its customer: the CRM contact id it carried, or the customer's email and phone (any may
 * be {@code null}).
 */
public record ContactQuery(String contactId, String email, String phone) {

	public ContactQuery {
		contactId = trimmed(contactId);
		email = trimmed(email);
		phone = trimmed(phone);
	}

	private static String trimmed(String text) {
		return (text == null || text.isBlank()) ? null : text.strip();
	}

}
