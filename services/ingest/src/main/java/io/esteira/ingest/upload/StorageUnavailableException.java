package io.esteira.ingest.upload;

import java.util.UUID;

import io.esteira.platform.web.ProblemException;

import org.springframework.http.HttpStatus;

/** The object could not be written to S3; the upload is recorded as FAILED (answered 503, with {@code Retry-After}). */
public class StorageUnavailableException extends ProblemException {

	private final UUID uploadId;

	public StorageUnavailableException(UUID uploadId, Throwable cause) {
		super(HttpStatus.SERVICE_UNAVAILABLE, "storage-unavailable", "Storage unavailable",
				"The upload " + uploadId + " could not be stored; try again later.", cause);
		this.uploadId = uploadId;
		setProperty("uploadId", uploadId);
		retryAfter(30);
	}

	public UUID uploadId() {
		return this.uploadId;
	}

}
