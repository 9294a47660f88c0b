package io.esteira.contracts.s3;

/**
 * A queue message that is not an S3 event notification at all. Listeners let it propagate: the message is retried
 * until the queue's redrive policy moves it to the dead-letter queue.
 */
public class MalformedEventException extends RuntimeException {

	public MalformedEventException(String message) {
		super(message);
	}

	public MalformedEventException(String message, Throwable cause) {
		super(message, cause);
	}

}
