package io.esteira.ingest.upload;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;

import io.esteira.contracts.event.UploadStatus;
import jakarta.validation.Valid;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/uploads} (scope {@code uploads:write}), {@code GET /api/uploads} and {@code GET /api/uploads/{id}}
 * ({@code uploads:read}).
 */
@RestController
@RequestMapping("/api/uploads")
class UploadController {

	private final UploadService uploads;

	private final UploadSearch search;

	private final UploadRedrive redrive;

	UploadController(UploadService uploads, UploadSearch search, UploadRedrive redrive) {
		this.uploads = uploads;
		this.search = search;
		this.redrive = redrive;
	}

	/** Accepts a file; processing goes on asynchronously, so the answer is 202 pointing at the upload's status. */
	@PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	ResponseEntity<UploadAccepted> upload(@Valid @ModelAttribute UploadRequest request) throws IOException {
		UUID id = this.uploads.accept(new UploadService.NewUpload(request.kind(),
				Upload.displayName(request.file().getOriginalFilename()), request.file().getSize(), request.file(),
				request.customer(), request.callbackUrl()));
		URI statusUrl = UploadLinks.statusUrl(id);
		return ResponseEntity.accepted()
			.location(statusUrl)
			.body(new UploadAccepted(id, UploadStatus.RECEIVED, statusUrl));
	}

	/** Uploads newest first, filtered; {@code from}/{@code to} are ISO-8601 instants (creation time). */
	@GetMapping
	UploadPage list(@RequestParam(required = false) UploadStatus status,
			@RequestParam(required = false) UploadKind kind, @RequestParam(required = false) String customer,
			@RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
			@RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
		return this.search.search(new UploadSearch.Filter(status, kind, customer, from, to), cursor, limit);
	}

	@GetMapping("/{id}")
	UploadView get(@PathVariable UUID id) {
		return this.uploads.find(id);
	}

	/**
	 * Re-runs a FAILED, NEEDS_REVIEW or stuck upload (202, {@code started} false when a redrive was already under way);
	 * 409 for any other status.
	 */
	@PostMapping("/{id}/retry")
	ResponseEntity<RetryAccepted> retry(@PathVariable UUID id) {
		UploadRedrive.Outcome outcome = this.redrive.retry(id);
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
