package io.esteira.ingest.upload;

import org.springframework.util.unit.DataSize;

/** The file is larger than {@code esteira.ingest.max-upload-size} (answered 413). */
public class UploadTooLargeException extends RuntimeException {

	public UploadTooLargeException(long size, DataSize limit) {
		super("The file has " + size + " bytes; the limit is " + limit.toBytes() + " bytes.");
	}

}
