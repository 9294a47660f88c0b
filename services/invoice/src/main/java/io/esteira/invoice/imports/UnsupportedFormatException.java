package io.esteira.invoice.imports;

/**
 * The file is not a JSON array of invoice objects (nor a single invoice object): not JSON at all, truncated, or of
 * another shape. A permanent error: the import is rejected, never retried.
 */
public class UnsupportedFormatException extends RuntimeException {

	public UnsupportedFormatException(String message) {
		super(message);
	}

	public UnsupportedFormatException(String message, Throwable cause) {
		super(message, cause);
	}

}
