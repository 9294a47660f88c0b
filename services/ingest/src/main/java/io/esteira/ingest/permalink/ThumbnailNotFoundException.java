package io.esteira.ingest.permalink;

import java.util.UUID;

import io.esteira.platform.web.ProblemException;

import org.springframework.http.HttpStatus;

/** No thumbnail of this rendition exists (yet) for the upload (answered 404). */
public class ThumbnailNotFoundException extends ProblemException {

	public ThumbnailNotFoundException(UUID uploadId, String rendition) {
		super(HttpStatus.NOT_FOUND, "file-not-found", "File not found",
				"No " + rendition + " thumbnail for upload " + uploadId);
	}

}
