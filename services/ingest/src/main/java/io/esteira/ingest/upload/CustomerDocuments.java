package io.esteira.ingest.upload;

import java.util.regex.Pattern;

import io.esteira.contracts.event.UploadMetadata;

/**
 * Customer documents (CPF, 11 digits; CNPJ, 14 characters, letters allowed since the alphanumeric CNPJ) as the rows
 * keep them: normalized like {@code EsteiraPrincipal.customerDocument()} — without spaces, dots, slashes and hyphens,
 * in upper case — so that a customer-scoped caller's document matches the uploads made for it.
 */
public final class CustomerDocuments {

	/** The longest value accepted before normalizing ({@code 12.345.678/0001-95} has 18 characters). */
	public static final int MAX_LENGTH = 32;

	private static final Pattern VALID = Pattern.compile("[0-9]{11}|[0-9A-Z]{12}[0-9]{2}");

	private CustomerDocuments() {
	}

	/**
	 * The normalized document; {@code null} for {@code null} or blank.
	 * @throws InvalidUploadException if it is not a CPF (11 digits) or a CNPJ (12 letters or digits, 2 digits)
	 */
	public static String normalize(String field, String document) {
		if (document == null || document.isBlank()) {
			return null;
		}
		if (document.length() > MAX_LENGTH) {
			throw new InvalidUploadException(field + ": longer than " + MAX_LENGTH + " characters.");
		}
		String normalized = UploadMetadata.normalizeDocument(document);
		if (!VALID.matcher(normalized).matches()) {
			throw new InvalidUploadException(
					field + ": must be a CPF (11 digits) or a CNPJ (14 characters), punctuation allowed.");
		}
		return normalized;
	}

}
