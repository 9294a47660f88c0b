package io.esteira.crmsync.contact;

import java.util.Optional;

import io.esteira.crmsync.crm.PhoneNumber;

/**
 * Brazilian phone numbers as people type them, to E.164: {@code (11) 98765-4321}, {@code 11 98765 4321},
 * {@code 011 98765-4321} (trunk prefix), {@code 0 21 11 98765-4321} (trunk prefix and carrier code),
 * {@code +55 11 98765-4321}, {@code 0055...}, {@code 5511987654321} all become {@code +5511987654321}. A mobile
 * number written without its ninth digit ({@code (11) 8765-4321}, the format before 2016) gets it: Brazilian mobile
 * numbers start with 6–9, landlines with 2–5. Anything else (other countries, wrong lengths, area codes with a 0)
 * is not a Brazilian number.
 */
public final class BrazilianPhoneNumbers {

	private static final String BRAZIL = "55";

	private BrazilianPhoneNumbers() {
	}

	public static Optional<PhoneNumber> normalise(String raw) {
		if (raw == null || raw.isBlank()) {
			return Optional.empty();
		}
		String text = raw.strip();
		String digits = text.replaceAll("[^0-9]", "");
		boolean international = text.startsWith("+");
		if (!international && digits.startsWith("00")) {
			digits = digits.substring(2);
			international = true;
		}
		String national;
		if (international) {
			if (!digits.startsWith(BRAZIL)) {
				return Optional.empty();
			}
			national = digits.substring(2);
		}
		else if (digits.startsWith("0")) {
			national = digits.substring(1);
			if (national.length() == 12 || national.length() == 13) {
				// A carrier selection code (two digits) between the trunk prefix and the area code.
				national = national.substring(2);
			}
		}
		else if (digits.startsWith(BRAZIL) && (digits.length() == 12 || digits.length() == 13)) {
			national = digits.substring(2);
		}
		else {
			national = digits;
		}
		return nationalNumber(national)
			.map((number) -> new PhoneNumber("+" + BRAZIL + number, BRAZIL, number));
	}

	/** Area code (two digits, no zero) and subscriber number, with the ninth digit for mobiles. */
	private static Optional<String> nationalNumber(String national) {
		if (national.length() != 10 && national.length() != 11) {
			return Optional.empty();
		}
		if (national.charAt(0) == '0' || national.charAt(1) == '0') {
			return Optional.empty();
		}
		String areaCode = national.substring(0, 2);
		String subscriber = national.substring(2);
		char first = subscriber.charAt(0);
		if (subscriber.length() == 9) {
			return (first == '9') ? Optional.of(national) : Optional.empty();
		}
		if (first >= '6' && first <= '9') {
			return Optional.of(areaCode + "9" + subscriber);
		}
		return (first >= '2' && first <= '5') ? Optional.of(national) : Optional.empty();
	}

}
