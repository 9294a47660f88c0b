package io.esteira.ingest.upload;

import java.net.URI;
import java.util.UUID;

import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** The API's links to an upload, for the answers of every way an upload is registered. */
public final class UploadLinks {

	private UploadLinks() {
	}

	/** {@code /api/uploads/{id}} on the host the client called. */
	public static URI statusUrl(UUID id) {
		return ServletUriComponentsBuilder.fromCurrentContextPath().path("/api/uploads/{id}").buildAndExpand(id).toUri();
	}

}
