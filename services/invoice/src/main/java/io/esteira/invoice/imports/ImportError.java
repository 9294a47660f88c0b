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

	static ImportError of(Integer index, String field, String value, String message) {
		return of(index, null, null, field, value, message);
	}

	static ImportError of(Integer index, Long line, String path, String field, String value, String message) {
		String shortened = (value != null && value.length() > MAX_VALUE_LENGTH)
				? value.substring(0, MAX_VALUE_LENGTH - 1) + "…" : value;
		return new ImportError(index, line, path, field, shortened, message);
	}

}
