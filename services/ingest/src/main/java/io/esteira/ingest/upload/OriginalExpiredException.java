package io.esteira.ingest.upload;

import java.util.UUID;

import io.esteira.platform.web.ProblemException;

import org.springframework.http.HttpStatus;

/**
 * A retry was asked for an upload whose original the retention job deleted ({@code esteira.ingest.retention.*};
 * answered 409 {@code original-expired}).
 */
public class OriginalExpiredException extends ProblemException {

	public OriginalExpiredException(UUID id) {
		super(HttpStatus.CONFLICT, "original-expired", "Original expired",
				"Upload " + id + " cannot be retried: its original was deleted when its retention period ended.");
	}

}
