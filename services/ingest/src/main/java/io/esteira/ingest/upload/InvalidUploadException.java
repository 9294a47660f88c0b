package io.esteira.ingest.upload;

/** The request is well-formed but its content cannot be accepted, e.g. an empty file (answered 400). */
public class InvalidUploadException extends RuntimeException {

	public InvalidUploadException(String message) {
		super(message);
	}

}
