package io.esteira.ingest.upload.multipart;

import java.io.IOException;
import java.net.URI;
import java.util.UUID;

import io.esteira.contracts.event.UploadStatus;
import io.esteira.ingest.upload.UploadLinks;
import io.esteira.platform.security.EsteiraPrincipal;
import jakarta.validation.Valid;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/uploads} (scope {@code uploads:write}): a file in a multipart form, registered in the name of the
 * authenticated client and its tenant.
 */
@RestController
class MultipartUploadController {

	private final MultipartUploads uploads;

	MultipartUploadController(MultipartUploads uploads) {
		this.uploads = uploads;
	}

	/** Accepts a file; processing goes on asynchronously, so the answer is 202 pointing at the upload's status. */
	@PostMapping(path = "/api/uploads", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	ResponseEntity<UploadAccepted> upload(@Valid @ModelAttribute UploadRequest request,
			@AuthenticationPrincipal EsteiraPrincipal caller) throws IOException {
		UUID id = this.uploads.accept(new MultipartUploads.Received(request.kind(),
				request.file().getOriginalFilename(), request.file().getSize(), request.file(), request.customer(),
				request.customerDocument(), request.callbackUrl(), caller));
		URI statusUrl = UploadLinks.statusUrl(id);
		return ResponseEntity.accepted()
			.location(statusUrl)
			.body(new UploadAccepted(id, UploadStatus.RECEIVED, statusUrl));
	}

}
