package io.esteira.invoice.imports;

import java.util.UUID;

/** No import is recorded for the upload: its file has not been processed (yet), or it is not an invoice upload. */
public class ImportNotFoundException extends RuntimeException {

	public ImportNotFoundException(UUID uploadId) {
		super("No invoice import for upload " + uploadId);
	}

}
