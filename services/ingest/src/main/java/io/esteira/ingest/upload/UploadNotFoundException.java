package io.esteira.ingest.upload;

import java.util.UUID;

/** No upload has this id (answered 404). */
public class UploadNotFoundException extends RuntimeException {

	public UploadNotFoundException(UUID id) {
		super("No upload with id " + id);
	}

}
