package io.esteira.invoice.imports;

/**
 * A value as the file has it, before validation.
 *
 * @param name the field as the file names it (JSON key, CSV header, XML element path such as {@code ide/nNF})
 * @param kind how the file typed it
 * @param text the literal text
 * @param path for XML, the element's full path; {@code null} otherwise
 */
record RawValue(String name, Kind kind, String text, String path) {

	static RawValue string(String name, String text) {
		return new RawValue(name, Kind.STRING, text, null);
	}

	/** How a value is typed in the file: JSON tells numbers from strings, CSV and XML have only text. */
	enum Kind {

		STRING, INTEGER, DECIMAL, OTHER

	}

}
