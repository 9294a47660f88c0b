package io.esteira.invoice.imports;

/**
 * Why one record of a file, or the file itself, was not stored.
 *
 * @param index position of the record in the file (0-based: array element, CSV data row, NF-e in the XML), {@code null}
 * when the error concerns the whole file
 * @param line the line the record starts on (JSON, CSV, XML), {@code null} when unknown
 * @param path for XML, where the value sits ({@code /nfeProc/NFe/infNFe/ide/nNF}); {@code null} otherwise
 * @param field the field as the file names it ({@code valor}, {@code amount}, {@code ide/nNF} ...), {@code null} for
 * the whole record
 * @param value the offending value, shortened to 100 characters; {@code null} when the field is missing
 * @param message what is wrong, in English
 */
public record ImportError(Integer index, Long line, String path, String field, String value, String message) {

	private static final int MAX_VALUE_LENGTH = 100;

	/** Path, field and message are short unless a file makes them long (a name of 64 K characters). */
	private static final int MAX_TEXT_LENGTH = 1000;

	static ImportError of(Integer index, String field, String value, String message) {
		return of(index, null, null, field, value, message);
	}

	static ImportError of(Integer index, Long line, String path, String field, String value, String message) {
		return new ImportError(index, line, text(path, MAX_TEXT_LENGTH), text(field, MAX_TEXT_LENGTH),
				text(value, MAX_VALUE_LENGTH), text(message, MAX_TEXT_LENGTH));
	}

	/** Shortened, and without NUL characters, which neither {@code jsonb} nor SQS can carry. */
	private static String text(String text, int maxLength) {
		String shortened = shorten(text, maxLength);
		return (shortened != null && shortened.indexOf('\u0000') >= 0) ? shortened.replace('\u0000', '\uFFFD')
				: shortened;
	}

	/** The text, cut to {@code maxLength} characters (the last one {@code …}) when it is longer. */
	static String shorten(String text, int maxLength) {
		if (text == null || text.length() <= maxLength) {
			return text;
		}
		int end = maxLength - 1;
		// Never half a surrogate pair.
		if (Character.isHighSurrogate(text.charAt(end - 1))) {
			end--;
		}
		return text.substring(0, end) + "…";
	}

}
