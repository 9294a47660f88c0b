package io.esteira.crmsync.crm;

/**
 * A phone number normalised to E.164, e.g. {@code +5511987654321}.
 *
 * @param e164 {@code +}, country code, national number
 * @param countryCode e.g. {@code 55}
 * @param nationalNumber area code and subscriber number, digits only, e.g. {@code 11987654321}
 */
public record PhoneNumber(String e164, String countryCode, String nationalNumber) {

	/** The number without {@code +}: {@code 5511987654321}. */
	public String internationalDigits() {
		return this.countryCode + this.nationalNumber;
	}

}
