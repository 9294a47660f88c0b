package io.esteira.ingest.upload;

import io.esteira.platform.web.ProblemException;

import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;

/**
 * The file is larger than its kind's limit (answered 413); the problem names the limit ({@code limitBytes}) and the
 * kind it applies to ({@code kind}).
 */
public class UploadTooLargeException extends ProblemException {

	public UploadTooLargeException(String kind, long size, DataSize limit) {
		super(HttpStatus.CONTENT_TOO_LARGE, "upload-too-large", "Upload too large", "The file has " + size
				+ " bytes; the limit for kind '" + kind + "' is " + limit.toBytes() + " bytes (" + limit + ").");
		setProperty("kind", kind);
		setProperty("limitBytes", limit.toBytes());
	}

}
