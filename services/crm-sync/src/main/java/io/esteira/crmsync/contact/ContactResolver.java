package io.esteira.crmsync.contact;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import io.esteira.crmsync.crm.CrmClient;
import io.esteira.crmsync.crm.CrmContact;
import io.esteira.crmsync.crm.CrmRejectedException;
import io.esteira.crmsync.crm.PhoneNumber;

import org.springframework.stereotype.Component;

/**
 * Finds the contacts of a batch of uploads with as few CRM requests as the batch allows: every contact id in one
 * batch read, every email of the uploads without an id in another, every phone of those still unresolved in one
 * search (or a few). For each upload: by the contact id it carried (which must exist); otherwise by email (exact
 * match, unique in the CRM); otherwise by phone (normalised to E.164, {@link BrazilianPhoneNumbers}). One match is
 * the contact; several are {@link ContactResolution.Ambiguous} (never a guess); none at all is
 * {@link ContactResolution.NotFound}. Reasons name no email, phone or contact id: they travel to ingest's timeline.
 * {@link io.esteira.crmsync.crm.CrmUnavailableException} propagates: the whole batch is tried again.
 */
@Component
public class ContactResolver {

	/** The reason when the contact id the upload named is not the CRM's: the id is not repeated. */
	public static final String NO_SUCH_CONTACT = "the upload's CRM contact was not found in the CRM";

	/** A resolution for every query, asked of {@code crm} (the tenant's CRM). */
	public Map<ContactQuery, ContactResolution> resolve(CrmClient crm, Collection<ContactQuery> queries) {
		Set<ContactQuery> pending = new LinkedHashSet<>(queries);
		Map<ContactQuery, ContactResolution> resolved = new LinkedHashMap<>();

		List<ContactQuery> byId = pending.stream().filter((query) -> query.contactId() != null).toList();
		if (!byId.isEmpty()) {
			Lookup<Map<String, CrmContact>> contacts = lookup(
					() -> crm.findContacts(byId.stream().map(ContactQuery::contactId).toList()));
			for (ContactQuery query : byId) {
				resolved.put(query, contacts.failure().<ContactResolution>map(ContactResolution.NotFound::new)
					.orElseGet(() -> Optional.ofNullable(contacts.value().get(query.contactId()))
						.<ContactResolution>map((contact) -> new ContactResolution.Found(contact, "id"))
						.orElseGet(() -> new ContactResolution.NotFound(NO_SUCH_CONTACT))));
			}
			pending.removeAll(byId);
		}

		List<ContactQuery> byEmail = pending.stream().filter((query) -> query.email() != null).toList();
		if (!byEmail.isEmpty()) {
			Lookup<Map<String, CrmContact>> contacts = lookup(
					() -> crm.findContactsByEmail(byEmail.stream().map(ContactQuery::email).toList()));
			for (ContactQuery query : byEmail) {
				CrmContact contact = contacts.value().get(query.email().toLowerCase(Locale.ROOT));
				if (contact != null) {
					resolved.put(query, new ContactResolution.Found(contact, "email"));
					pending.remove(query);
				}
				else if (contacts.failure().isPresent() && query.phone() == null) {
					resolved.put(query, new ContactResolution.NotFound(contacts.failure().get()));
					pending.remove(query);
				}
			}
		}

		Map<ContactQuery, PhoneNumber> phones = new LinkedHashMap<>();
		for (ContactQuery query : List.copyOf(pending)) {
			Optional<PhoneNumber> number = (query.phone() != null) ? BrazilianPhoneNumbers.normalise(query.phone())
					: Optional.empty();
			if (number.isPresent()) {
				phones.put(query, number.get());
			}
			else {
				resolved.put(query, notFound(query));
				pending.remove(query);
			}
		}
		if (!phones.isEmpty()) {
			Lookup<Map<PhoneNumber, List<CrmContact>>> contacts = lookup(
					() -> crm.findContactsByPhone(phones.values()));
			phones.forEach((query, phone) -> resolved.put(query,
					contacts.failure().<ContactResolution>map(ContactResolution.NotFound::new)
						.orElseGet(() -> decide(contacts.value().getOrDefault(phone, List.of()), "phone")
							.orElseGet(() -> notFound(query)))));
		}
		return resolved;
	}

	private static ContactResolution notFound(ContactQuery query) {
		if (query.email() == null && query.phone() == null) {
			return new ContactResolution.NotFound("no CRM contact on the upload");
		}
		if (query.email() == null && BrazilianPhoneNumbers.normalise(query.phone()).isEmpty()) {
			return new ContactResolution.NotFound(
					"no CRM contact on the upload and its phone is not a valid Brazilian number");
		}
		return new ContactResolution.NotFound("no CRM contact matches the upload's email or phone");
	}

	private static Optional<ContactResolution> decide(List<CrmContact> matches, String by) {
		if (matches.isEmpty()) {
			return Optional.empty();
		}
		if (matches.size() == 1) {
			return Optional.of(new ContactResolution.Found(matches.getFirst(), by));
		}
		List<String> ids = matches.stream().map(CrmContact::id).distinct().toList();
		if (ids.size() == 1) {
			return Optional.of(new ContactResolution.Found(matches.getFirst(), by));
		}
		// The candidates are kept for the review (crm_syncs.candidates), never named in the reason: it travels to
		// ingest's timeline, where the uploader would learn other people's contact ids.
		return Optional.of(new ContactResolution.Ambiguous(ids,
				ids.size() + " CRM contacts match the upload's " + by));
	}

	/** A lookup's answer, or the CRM's refusal to run it (a person has to look at those uploads). */
	private static <T> Lookup<T> lookup(Supplier<T> request) {
		try {
			return new Lookup<>(request.get(), Optional.empty());
		}
		catch (CrmRejectedException ex) {
			return new Lookup<>(null, Optional.of(ex.getMessage()));
		}
	}

	private record Lookup<T>(T value, Optional<String> failure) {

		@Override
		public T value() {
			return (this.value != null) ? this.value : emptyValue();
		}

		@SuppressWarnings("unchecked")
		private T emptyValue() {
			return (T) Map.of();
		}

	}

}
