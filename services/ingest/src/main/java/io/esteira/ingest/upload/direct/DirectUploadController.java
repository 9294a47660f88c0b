package io.esteira.ingest.upload.direct;

import java.net.URI;

import io.esteira.contracts.event.UploadStatus;
import io.esteira.ingest.upload.UploadLinks;
import io.esteira.platform.security.EsteiraPrincipal;
import jakarta.validation.Valid;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/uploads/presign} (scope {@code uploads:write}): a presigned PUT for a direct upload. */
@RestController
class DirectUploadController {

	private final DirectUploads directUploads;

	DirectUploadController(DirectUploads directUploads) {
		this.directUploads = directUploads;
	}

	/** 201: the upload exists (awaiting its object); {@code Location} is its status. */
	@PostMapping(path = "/api/uploads/presign", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<PresignedUpload> presign(@Valid @RequestBody PresignRequest request,
			@AuthenticationPrincipal EsteiraPrincipal caller) {
		DirectUploads.Presigned presigned = this.directUploads.presign(request, caller);
		URI statusUrl = UploadLinks.statusUrl(presigned.id());
		return ResponseEntity.created(statusUrl)
			.body(new PresignedUpload(presigned.id(), UploadStatus.RECEIVED, statusUrl, "PUT", presigned.uploadUrl(),
					presigned.headers(), presigned.expiresAt()));
	}

}
