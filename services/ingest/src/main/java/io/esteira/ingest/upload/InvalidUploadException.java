package io.esteira.ingest.upload;

import io.esteira.platform.web.ProblemException;

import org.springframework.http.HttpStatus;

/** The request is well-formed but its content cannot be accepted, e.g. an empty file (answered 400). */
public class InvalidUploadException extends ProblemException {

	public InvalidUploadException(String message) {
		super(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
				message);
	}

}
