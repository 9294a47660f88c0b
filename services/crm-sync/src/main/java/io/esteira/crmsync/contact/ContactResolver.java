package io.esteira.crmsync.contact;

import java.util.List;
import java.util.Optional;

import io.esteira.crmsync.crm.CrmClient;
import io.esteira.crmsync.crm.CrmContact;
import io.esteira.crmsync.crm.CrmRejectedException;
import io.esteira.crmsync.crm.PhoneNumber;

import org.springframework.stereotype.Component;

/**
 * Finds the upload's contact: by the CRM contact id it carried (which must exist); otherwise by email (exact match);
 * otherwise by phone (normalised to E.164, {@link BrazilianPhoneNumbers}). One match is the contact; several are
 * {@link ContactResolution.Ambiguous} at once (a later criterion does not break the tie); none at all is
 * {@link ContactResolution.NotFound}. Reasons name no email or phone: they travel to ingest's timeline.
 * {@link io.esteira.crmsync.crm.CrmUnavailableException} propagates.
 */
@Component
public class ContactResolver {

	private final CrmClient crm;

	public ContactResolver(CrmClient crm) {
		this.crm = crm;
	}

	public ContactResolution resolve(String contactId, String email, String phone) {
		if (hasText(contactId)) {
			try {
				return this.crm.findContact(contactId.strip())
					.<ContactResolution>map((contact) -> new ContactResolution.Found(contact, "id"))
					.orElseGet(() -> new ContactResolution.NotFound(
							"contact " + contactId.strip() + " not found in the CRM"));
			}
			catch (CrmRejectedException ex) {
				return new ContactResolution.NotFound(ex.getMessage());
			}
		}
		if (hasText(email)) {
			Optional<ContactResolution> byEmail = decide(this.crm.findContactsByEmail(email.strip()), "email");
			if (byEmail.isPresent()) {
				return byEmail.get();
			}
		}
		if (hasText(phone)) {
			Optional<PhoneNumber> number = BrazilianPhoneNumbers.normalise(phone);
			if (number.isPresent()) {
				Optional<ContactResolution> byPhone = decide(this.crm.findContactsByPhone(number.get()), "phone");
				if (byPhone.isPresent()) {
					return byPhone.get();
				}
			}
			else if (!hasText(email)) {
				return new ContactResolution.NotFound("no CRM contact on the upload and its phone is not a valid "
						+ "Brazilian number");
			}
		}
		if (!hasText(email) && !hasText(phone)) {
			return new ContactResolution.NotFound("no CRM contact on the upload");
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
		List<String> ids = matches.stream().map(CrmContact::id).toList();
		return Optional.of(new ContactResolution.Ambiguous(ids,
				ids.size() + " CRM contacts match the upload's " + by + ": " + String.join(", ", ids)));
	}

	private static boolean hasText(String text) {
		return text != null && !text.isBlank();
	}

}
