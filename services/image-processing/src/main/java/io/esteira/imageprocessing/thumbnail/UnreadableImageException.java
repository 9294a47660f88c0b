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

	/**
	 * The format the data was recognised as ({@code jpeg}, ...), or for unsupported data what it looks like
	 * ({@code pdf}, {@code svg}, {@code html}, {@code heic}, {@code empty}, {@code unknown}, ...).
	 */
	public String format() {
		return this.format;
	}

	/** Why an image cannot be read; {@link #code()} is the reason reported on the upload's timeline. */
	public enum Problem {

		/**
		 * The data is not one of the supported formats (JPEG, PNG, GIF, BMP, WebP) by its leading bytes: a PDF, an
		 * SVG, HTML, HEIC, an empty file.
		 */
		UNSUPPORTED_FORMAT("unsupported_format"),

		/** The data starts like a supported format but does not decode (truncated, damaged). */
		CORRUPT_IMAGE("corrupt_image"),

		/** The header declares more pixels than decoding is allowed to allocate for. */
		TOO_MANY_PIXELS("too_many_pixels"),

		/**
		 * A JPEG holds more marker segments before its image data than the limit: every reader keeps an object per
		 * segment, and a file of nothing but empty four-byte segments holds millions.
		 */
		TOO_MANY_SEGMENTS("too_many_segments"),

		/**
		 * Decoding took longer than the decode time limit (a decompression bomb or a pathological file). Rejected,
		 * not retried: the limit is about ten times what the largest image allowed takes to decode, so an image that
		 * passed the header checks and still overruns it is the input's fault, and every retry would take a decode
		 * slot for the whole limit again.
		 */
		DECODE_TIMEOUT("decode_timeout");

		private final String code;

		Problem(String code) {
			this.code = code;
		}

		public String code() {
			return this.code;
		}

	}

}
