package io.esteira.crmsync.crm;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Esteira asks of the CRM, a batch at a time: one request serves many uploads, so a burst of photos costs a few
 * calls, not a few per photo. Adapters split a batch into as many requests as the CRM allows per request, take a
 * token of the {@link CrmRequestGate} before each, and never put credentials in messages.
 * <p>
 * Failures: a whole request the CRM could not handle throws {@link CrmUnavailableException} (every item of it may
 * succeed later); a refused or failed <em>item</em> is its {@link CrmOutcome}. Lookups leave out what the CRM does
 * not have.
 */
public interface CrmClient {

	/** Contacts by id, with their owners; ids the CRM does not have (or that cannot be its ids) are absent. */
	Map<String, CrmContact> findContacts(Collection<String> contactIds);

	/** Contacts by primary email (unique in the CRM); keys are the emails lower-cased; unknown ones are absent. */
	Map<String, CrmContact> findContactsByEmail(Collection<String> emails);

	/** For each phone number (E.164), the contacts that have it in a phone property (none: absent or empty). */
	Map<PhoneNumber, List<CrmContact>> findContactsByPhone(Collection<PhoneNumber> phones);

	/**
	 * Sets one property on each contact; setting the same value twice is harmless.
	 * @param values the new value by contact id
	 * @return the outcome by contact id, for every contact asked
	 */
	Map<String, CrmOutcome<String>> updateContactProperty(String property, Map<String, String> values);

	/**
	 * Clears one property on each contact <em>only if it still holds the value expected</em> (a newer value, e.g.
	 * a later photo's link, is left alone); clearing twice is harmless.
	 * @param expected the value each contact's property must hold to be cleared, by contact id
	 * @return by contact id: done with {@code true} when cleared, {@code false} when it held something else (or the
	 * CRM no longer has the contact)
	 */
	Map<String, CrmOutcome<Boolean>> clearContactProperty(String property, Map<String, String> expected);

	/** Creates tasks associated with their contacts; the outcome (the CRM's id) by the task's marker. */
	Map<String, CrmOutcome<String>> createTasks(List<CrmTask> tasks);

	/** Creates notes associated with their contacts; the outcome (the CRM's id) by the note's marker. */
	Map<String, CrmOutcome<String>> createNotes(List<CrmNote> notes);

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
