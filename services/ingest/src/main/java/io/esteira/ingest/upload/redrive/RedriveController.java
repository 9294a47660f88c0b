package io.esteira.ingest.upload.redrive;

import java.net.URI;
import java.util.UUID;

import io.esteira.contracts.event.UploadStatus;
import io.esteira.ingest.upload.UploadLinks;
import io.esteira.platform.security.EsteiraPrincipal;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/uploads/{id}/retry} (scope {@code uploads:write}). */
@RestController
class RedriveController {

	private final UploadRedrive redrive;

	RedriveController(UploadRedrive redrive) {
		this.redrive = redrive;
	}

	/**
	 * Re-runs a FAILED, NEEDS_REVIEW or stuck upload (202, {@code started} false when a redrive was already under way);
	 * 409 for any other status, for an erased upload ({@code upload-erased}) and for one whose original expired
	 * ({@code original-expired}); 404 for another tenant's upload, as for a missing one.
	 */
	@PostMapping("/api/uploads/{id}/retry")
	ResponseEntity<RetryAccepted> retry(@PathVariable UUID id, @AuthenticationPrincipal EsteiraPrincipal caller) {
		UploadRedrive.Outcome outcome = this.redrive.retry(id, caller);
		URI statusUrl = UploadLinks.statusUrl(id);
		return ResponseEntity.accepted()
			.location(statusUrl)
			.body(new RetryAccepted(id, outcome.status(), outcome.run(), outcome.started(), statusUrl));
	}

	/**
	 * The answer to a retry.
	 *
	 * @param run the pipeline run under way (2 after the first redrive)
	 * @param started whether this request started it ({@code false}: it was already running)
	 */
	record RetryAccepted(UUID id, UploadStatus status, int run, boolean started, URI statusUrl) {
	}

}
