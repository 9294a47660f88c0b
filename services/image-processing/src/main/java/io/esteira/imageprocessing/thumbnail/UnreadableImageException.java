package io.esteira.imageprocessing.thumbnail;

/**
 * The source is not an image that can be made into a thumbnail. It is a property of the input, so retrying cannot
 * help: callers record it as a rejection.
 */
public class UnreadableImageException extends Exception {

	private final Problem problem;

	private final String format;

	UnreadableImageException(Problem problem, String format, String message, Throwable cause) {
		super(message, cause);
		this.problem = problem;
		this.format = format;
	}

	public Problem problem() {
		return this.problem;
	}

	/** The format the data was recognised as, or {@code null} when no image reader recognised it. */
	public String format() {
		return this.format;
	}

	/** Why an image cannot be read; {@link #code()} is the reason reported on the upload's timeline. */
	public enum Problem {

		/** No image reader recognises the data (a PDF, a text file, an image format without a decoder). */
		UNSUPPORTED_FORMAT("unsupported_format"),

		/** A reader recognises the format but the data does not decode. */
		CORRUPT_IMAGE("corrupt_image"),

		/** The header declares more pixels than decoding is allowed to allocate for. */
		TOO_MANY_PIXELS("too_many_pixels");

		private final String code;

		Problem(String code) {
			this.code = code;
		}

		public String code() {
			return this.code;
		}

	}

}
