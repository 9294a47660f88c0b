package io.esteira.ingest.upload;

import io.esteira.platform.web.ProblemException;

import org.springframework.http.HttpStatus;

import org.springframework.util.unit.DataSize;

/** The file is larger than {@code esteira.ingest.max-upload-size} (answered 413). */
public class UploadTooLargeException extends ProblemException {

	public UploadTooLargeException(long size, DataSize limit) {
		super(HttpStatus.CONTENT_TOO_LARGE, "upload-too-large", "Upload too large",
				"The file has " + size + " bytes; the limit is " + limit.toBytes() + " bytes.");
	}

}
