package io.esteira.ingest.upload;

import java.util.UUID;

import io.esteira.platform.web.ProblemException;

import org.springframework.http.HttpStatus;

/** No upload has this id (answered 404). */
public class UploadNotFoundException extends ProblemException {

	public UploadNotFoundException(UUID id) {
		super(HttpStatus.NOT_FOUND, "upload-not-found", "Upload not found",
				"No upload with id " + id);
	}

}
