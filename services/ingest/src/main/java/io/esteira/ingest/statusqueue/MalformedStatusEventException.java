package io.esteira.ingest.statusqueue;

/**
 * A status message that converted but lacks what a step needs. It is thrown, so the message is retried and ends in
 * the dead-letter queue with the messages that could not be converted at all.
 */
class MalformedStatusEventException extends RuntimeException {

	MalformedStatusEventException(String message) {
		super(message);
	}

}
