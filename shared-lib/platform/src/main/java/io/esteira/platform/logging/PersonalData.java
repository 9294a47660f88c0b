package io.esteira.platform.logging;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the personal data a log line may carry (LGPD): e-mail addresses keep their first character and their domain
 * ({@code a***@example.com}); phone numbers written as phones ({@code +5511999990000}, {@code +55 11 99999-0000},
 * {@code (11) 99999-0000}) and CPFs ({@code 123.456.789-09}, or 11 digits whose check digits are a CPF's) keep their
 * last two digits, every other digit becomes {@code *}. Other numbers (ids, counts, times) are left alone, so a
 * plain 11-digit number is masked only when it is a valid CPF.
 */
public final class PersonalData {

	private static final Pattern EMAIL = Pattern
		.compile("(?<![A-Za-z0-9._%+-])([A-Za-z0-9])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,})");

	/** An international number ({@code +} and 10 to 14 digits, spaces or hyphens between) or a Brazilian (DDD) one. */
	private static final Pattern PHONE = Pattern.compile(
			"(?<![\\w+])(?:\\+\\d(?:[ -]?\\d){9,13}|\\+\\d{2} ?\\(\\d{2}\\) ?9?\\d{4}-?\\d{4}|\\(\\d{2}\\) ?9?\\d{4}-?\\d{4})(?![\\w])");

	private static final Pattern FORMATTED_CPF = Pattern.compile("(?<![\\w.])\\d{3}\\.\\d{3}\\.\\d{3}-\\d{2}(?![\\w])");

	private static final Pattern ELEVEN_DIGITS = Pattern.compile("(?<![\\w.+-])\\d{11}(?![\\w])");

	private PersonalData() {
	}

	/** {@code text} with e-mails, phones and CPFs masked; {@code text} itself when it holds none. */
	public static String mask(String text) {
		if (text == null || text.isEmpty()) {
			return text;
		}
		String masked = text;
		if (masked.indexOf('@') >= 0) {
			masked = EMAIL.matcher(masked).replaceAll((match) -> match.group(1) + "***@" + match.group(2));
		}
		if (!hasDigits(masked, 10)) {
			return masked;
		}
		masked = PHONE.matcher(masked).replaceAll((match) -> Matcher.quoteReplacement(digitsButLastTwo(match.group())));
		masked = FORMATTED_CPF.matcher(masked)
			.replaceAll((match) -> Matcher.quoteReplacement(digitsButLastTwo(match.group())));
		return ELEVEN_DIGITS.matcher(masked)
			.replaceAll((match) -> isCpf(match.group()) ? digitsButLastTwo(match.group()) : match.group());
	}

	/** Whether 11 digits are a CPF: both check digits match (and not all digits the same). */
	static boolean isCpf(String digits) {
		if (digits.chars().distinct().count() == 1) {
			return false;
		}
		return checkDigit(digits, 9) == digits.charAt(9) - '0' && checkDigit(digits, 10) == digits.charAt(10) - '0';
	}

	private static int checkDigit(String digits, int length) {
		int sum = 0;
		for (int i = 0; i < length; i++) {
			sum += (digits.charAt(i) - '0') * (length + 1 - i);
		}
		int rest = sum % 11;
		return (rest < 2) ? 0 : 11 - rest;
	}

	private static String digitsButLastTwo(String value) {
		int digits = (int) value.chars().filter(Character::isDigit).count();
		StringBuilder masked = new StringBuilder(value.length());
		int seen = 0;
		for (char c : value.toCharArray()) {
			if (Character.isDigit(c)) {
				seen++;
				masked.append((seen > digits - 2) ? c : '*');
			}
			else {
				masked.append(c);
			}
		}
		return masked.toString();
	}

	private static boolean hasDigits(String text, int atLeast) {
		int count = 0;
		for (int i = 0; i < text.length() && count < atLeast; i++) {
			if (Character.isDigit(text.charAt(i))) {
				count++;
			}
		}
		return count >= atLeast;
	}

}
