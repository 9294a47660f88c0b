package io.esteira.invoice.imports;

import java.util.UUID;

import io.esteira.platform.web.ProblemException;

import org.springframework.http.HttpStatus;

/** No import is recorded for the upload: its file has not been processed (yet), or it is not an invoice upload. */
public class ImportNotFoundException extends ProblemException {

	public ImportNotFoundException(UUID uploadId) {
		super(HttpStatus.NOT_FOUND, "import-not-found", "Import not found", "No invoice import for upload " + uploadId);
	}

}
