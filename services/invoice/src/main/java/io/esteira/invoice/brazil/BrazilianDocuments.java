package io.esteira.invoice.brazil;

import java.util.regex.Pattern;

import io.esteira.contracts.event.UploadMetadata;

/**
 * Check digits of Brazilian fiscal identifiers.
 * <ul>
 * <li>CNPJ: 12 characters then two check digits, each a mod-11 sum with weights 2…9 cycling from the right
 * (remainder &lt; 2 gives 0, otherwise 11 − remainder). From July 2026 the first 12 characters may be letters A–Z:
 * a character counts as its ASCII code − 48 ({@code '0'} = 0, {@code 'A'} = 17); the check digits stay numeric.</li>
 * <li>CPF: 9 digits, then d1 (weights 10…2) and d2 (weights 11…2), same remainder rule; all-equal digits are
 * invalid.</li>
 * <li>NF-e access key: 44 digits, the last a mod-11 check digit over the first 43 (weights 2…9 from the right).</li>
 * </ul>
 * Input may carry the usual punctuation ({@code 12.345.678/0001-95}, {@code 123.456.789-09}); {@link #normalize}
 * removes it. Lower-case letters are accepted and upper-cased.
 */
public final class BrazilianDocuments {

	private static final Pattern CNPJ = Pattern.compile("[0-9A-Z]{12}[0-9]{2}");

	private static final Pattern CPF = Pattern.compile("[0-9]{11}");

	private static final Pattern ACCESS_KEY = Pattern.compile("[0-9]{44}");

	private BrazilianDocuments() {
	}

	/** The document without dots, slashes, dashes and spaces, upper case; {@code null} stays {@code null}. */
	public static String normalize(String document) {
		return UploadMetadata.normalizeDocument(document);
	}

	/** Whether {@code document} (normalized or punctuated) is a CNPJ with valid check digits. */
	public static boolean isValidCnpj(String document) {
		String cnpj = normalize(document);
		if (cnpj == null || !CNPJ.matcher(cnpj).matches() || cnpj.chars().limit(12).allMatch((c) -> c == '0')) {
			return false;
		}
		int first = mod11(cnpj, 12);
		int second = mod11(cnpj.substring(0, 12) + first, 13);
		return cnpj.charAt(12) - '0' == first && cnpj.charAt(13) - '0' == second;
	}

	/** Whether {@code document} (normalized or punctuated) is a CPF with valid check digits. */
	public static boolean isValidCpf(String document) {
		String cpf = normalize(document);
		if (cpf == null || !CPF.matcher(cpf).matches() || cpf.chars().distinct().count() == 1) {
			return false;
		}
		return cpf.charAt(9) - '0' == cpfDigit(cpf, 9) && cpf.charAt(10) - '0' == cpfDigit(cpf, 10);
	}

	/** Whether {@code document} is a valid CPF (11 digits) or CNPJ (14 characters). */
	public static boolean isValidCpfOrCnpj(String document) {
		String normalized = normalize(document);
		return normalized != null && ((normalized.length() == 11) ? isValidCpf(normalized) : isValidCnpj(normalized));
	}

	/** Whether {@code key} is 44 digits whose last one is the check digit of the first 43. */
	public static boolean isValidAccessKey(String key) {
		return key != null && ACCESS_KEY.matcher(key).matches() && key.charAt(43) - '0' == mod11(key, 43);
	}

	/** The check digit of the first {@code length} characters of {@code value} (CNPJ and access-key rule). */
	public static int mod11(String value, int length) {
		int sum = 0;
		int weight = 2;
		for (int i = length - 1; i >= 0; i--) {
			sum += (value.charAt(i) - '0') * weight;
			weight = (weight == 9) ? 2 : weight + 1;
		}
		int remainder = sum % 11;
		return (remainder < 2) ? 0 : 11 - remainder;
	}

	private static int cpfDigit(String cpf, int length) {
		int sum = 0;
		for (int i = 0; i < length; i++) {
			sum += (cpf.charAt(i) - '0') * (length + 1 - i);
		}
		int remainder = sum % 11;
		return (remainder < 2) ? 0 : 11 - remainder;
	}

}
