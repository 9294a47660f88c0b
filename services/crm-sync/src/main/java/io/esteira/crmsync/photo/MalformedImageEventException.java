package io.esteira.crmsync.photo;

/**
 * An "image processed" event that cannot be attributed to an upload. Nothing can be recorded or reported for it, so
 * it is left to fail until SQS moves it to the dead-letter queue.
 */
public class MalformedImageEventException extends RuntimeException {

	MalformedImageEventException(String message) {
		super(message);
	}

}
