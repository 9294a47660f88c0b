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

	/**
	 * The first of {@code ex} and its causes that is one, or {@code null}: a limit exceeded inside a stream the
	 * parser reads comes out wrapped in the parser's own exception.
	 */
	static UnsupportedFormatException in(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof UnsupportedFormatException unsupported) {
				return unsupported;
			}
		}
		return null;
	}

}
