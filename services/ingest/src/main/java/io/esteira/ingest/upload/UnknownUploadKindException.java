package io.esteira.ingest.upload;

import io.esteira.platform.web.ProblemException;

import org.springframework.http.HttpStatus;

/** A request named an upload kind that is neither {@code image} nor {@code invoice}. */
public class UnknownUploadKindException extends ProblemException {

	UnknownUploadKindException(String value) {
		super(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
				"must be 'image' or 'invoice'");
	}

}
