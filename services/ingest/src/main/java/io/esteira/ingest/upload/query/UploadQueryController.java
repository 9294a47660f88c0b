package io.esteira.ingest.upload.query;

import java.time.Instant;
import java.util.UUID;

import io.esteira.contracts.event.UploadStatus;
import io.esteira.ingest.upload.UploadKind;
import io.esteira.platform.security.EsteiraPrincipal;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/uploads} and {@code GET /api/uploads/{id}} (scope {@code uploads:read}). */
@RestController
@RequestMapping("/api/uploads")
class UploadQueryController {

	private final UploadSearch search;

	UploadQueryController(UploadSearch search) {
		this.search = search;
	}

	/**
	 * The caller's tenant's uploads newest first, filtered; {@code from}/{@code to} are ISO-8601 instants (creation
	 * time); {@code tenant} narrows an admin's listing of every tenant to one.
	 */
	@GetMapping
	UploadPage list(@RequestParam(required = false) UploadStatus status,
			@RequestParam(required = false) UploadKind kind, @RequestParam(required = false) String customer,
			@RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
			@RequestParam(required = false) String tenant, @RequestParam(required = false) String cursor,
			@RequestParam(required = false) Integer limit, @AuthenticationPrincipal EsteiraPrincipal caller) {
		return this.search.search(new UploadSearch.Filter(status, kind, customer, from, to, tenant), caller, cursor,
				limit);
	}

	/** The upload with every step report and the runs they make; 404 for one the caller may not see. */
	@GetMapping("/{id}")
	UploadView get(@PathVariable UUID id, @AuthenticationPrincipal EsteiraPrincipal caller) {
		return this.search.find(id, caller);
	}

}
