package io.esteira.crmsync.crm;

/**
 * A phone number normalised to E.164, e.g. {@code +5511987654321}.
 *
 * @param e164 {@code +}, country code, national number
 * @param countryCode e.g. {@code 55}
 * @param nationalNumber area code and subscriber number, digits only, e.g. {@code 11987654321}
 */
public record PhoneNumber(String e164, String countryCode, String nationalNumber) {

	/**
	 * The national number as written before Brazil's mobile ninth digit (2012–2016), which old records still hold:
	 * {@code 1187654321} for {@code 11987654321}; empty for landlines and numbers of other countries.
	 */
	public java.util.Optional<String> legacyNationalNumber() {
		boolean brazilianMobile = "55".equals(this.countryCode) && this.nationalNumber.length() == 11
				&& this.nationalNumber.charAt(2) == '9' && this.nationalNumber.charAt(3) >= '6';
		return brazilianMobile ? java.util.Optional.of(this.nationalNumber.substring(0, 2) + this.nationalNumber.substring(3))
				: java.util.Optional.empty();
	}

	/** The number without {@code +}: {@code 5511987654321}. */
	public String internationalDigits() {
		return this.countryCode + this.nationalNumber;
	}

}
