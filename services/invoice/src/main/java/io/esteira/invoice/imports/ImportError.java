package io.esteira.invoice.imports;

/**
 * Why one record of a file, or the file itself, was not stored.
 *
 * @param index position of the record in the file's array (0 for a file holding a single object), {@code null} when
 * the error concerns the whole file
 * @param field the field as the file names it ({@code valor}, {@code amount}, ...), {@code null} for the whole record
 * @param value the offending value, shortened to 100 characters; {@code null} when the field is missing
 * @param message what is wrong, in English
 */
public record ImportError(Integer index, String field, String value, String message) {

	private static final int MAX_VALUE_LENGTH = 100;

	static ImportError of(Integer index, String field, String value, String message) {
		String shortened = (value != null && value.length() > MAX_VALUE_LENGTH)
				? value.substring(0, MAX_VALUE_LENGTH - 1) + "…" : value;
		return new ImportError(index, field, shortened, message);
	}

}
