package io.esteira.imageprocessing.image;

/**
 * The store sent more of an object than the size limit allows, whatever the object's description said: the read
 * stopped at the limit, and the upload is rejected as {@code too_large}.
 */
class SourceTooLargeException extends RuntimeException {

	SourceTooLargeException(long maxBytes) {
		super("object has more than " + maxBytes + " bytes");
	}

}
