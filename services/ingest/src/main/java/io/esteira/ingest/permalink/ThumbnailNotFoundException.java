package io.esteira.ingest.permalink;

import java.util.UUID;

/** No thumbnail of this rendition exists (yet) for the upload (answered 404). */
public class ThumbnailNotFoundException extends RuntimeException {

	public ThumbnailNotFoundException(UUID uploadId, String rendition) {
		super("No " + rendition + " thumbnail for upload " + uploadId);
	}

}
