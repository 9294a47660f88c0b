package io.esteira.ingest.upload;

/** A request named an upload kind that is neither {@code image} nor {@code invoice}. */
public class UnknownUploadKindException extends IllegalArgumentException {

	UnknownUploadKindException(String value) {
		super("must be 'image' or 'invoice'");
	}

}
