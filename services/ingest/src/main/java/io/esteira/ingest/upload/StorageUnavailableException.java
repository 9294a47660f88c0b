package io.esteira.ingest.upload;

import java.util.UUID;

/** The object could not be written to S3; the upload is recorded as FAILED (answered 503). */
public class StorageUnavailableException extends RuntimeException {

	private final UUID uploadId;

	public StorageUnavailableException(UUID uploadId, Throwable cause) {
		super("The upload " + uploadId + " could not be stored; try again later.", cause);
		this.uploadId = uploadId;
	}

	public UUID uploadId() {
		return this.uploadId;
	}

}
