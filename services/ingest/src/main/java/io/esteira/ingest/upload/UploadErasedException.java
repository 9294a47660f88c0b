package io.esteira.ingest.upload;

import java.util.UUID;

import io.esteira.platform.web.ProblemException;

import org.springframework.http.HttpStatus;

/**
 * The upload was erased at its customer's request: its permalink answers 410 Gone, a retry 409 (problem
 * {@code upload-erased}).
 */
public class UploadErasedException extends ProblemException {

	private UploadErasedException(HttpStatus status, String detail) {
		super(status, "upload-erased", "Upload erased", detail);
	}

	/** 410: the file of an erased upload is gone for good. */
	public static UploadErasedException gone(UUID id) {
		return new UploadErasedException(HttpStatus.GONE, "Upload " + id + " was erased; its files are gone.");
	}

	/** 409: an erased upload cannot be retried. */
	public static UploadErasedException conflict(UUID id) {
		return new UploadErasedException(HttpStatus.CONFLICT,
				"Upload " + id + " was erased; it cannot be retried.");
	}

}
