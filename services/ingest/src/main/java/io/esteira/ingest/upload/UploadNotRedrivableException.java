package io.esteira.ingest.upload;

import java.util.UUID;

import io.esteira.platform.web.ProblemException;

import org.springframework.http.HttpStatus;

import io.esteira.contracts.event.UploadStatus;

/** A retry was asked for an upload that neither failed nor waits for review (answered 409). */
public class UploadNotRedrivableException extends ProblemException {

	public UploadNotRedrivableException(UUID id, UploadStatus status) {
		super(HttpStatus.CONFLICT, "not-retryable", "Upload cannot be retried",
				"Upload " + id + " is " + status + "; only FAILED, NEEDS_REVIEW or stuck uploads can be retried.");
	}

	public UploadNotRedrivableException(UUID id, String why) {
		super(HttpStatus.CONFLICT, "not-retryable", "Upload cannot be retried",
				"Upload " + id + " cannot be retried: " + why);
	}

}
