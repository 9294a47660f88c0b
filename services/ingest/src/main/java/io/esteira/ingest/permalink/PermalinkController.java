package io.esteira.ingest.permalink;

import java.util.UUID;

import io.esteira.contracts.event.Thumbnails;
import io.esteira.platform.security.EsteiraPrincipal;
import jakarta.validation.constraints.Pattern;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /files/{uploadId}/{rendition}}: the stable link written to the CRM, answered with a 302 to a freshly
 * presigned S3 URL. It needs no API key: the link is opened from the CRM by people, and it names a registered upload
 * whose id is random (122 random bits) or keyed (a foreign object's, {@code ThumbnailLinks}), so links cannot be
 * guessed or enumerated. The redirect is not cached, because the URL it points to expires. A request that carries a
 * key or token is checked like an API call: another tenant's upload is a 404 for it (unless it is an admin). An
 * erased upload's link answers 410 Gone ({@code upload-erased}).
 */
@RestController
class PermalinkController {

	private final ThumbnailLinks links;

	PermalinkController(ThumbnailLinks links) {
		this.links = links;
	}

	@GetMapping(Thumbnails.PERMALINK_PATTERN)
	ResponseEntity<Void> thumbnail(@PathVariable UUID uploadId, @PathVariable @Pattern(regexp = "[0-9]{2,4}",
			message = "must be a size in pixels (2 to 4 digits)") String rendition,
			@AuthenticationPrincipal EsteiraPrincipal caller) {
		return ResponseEntity.status(HttpStatus.FOUND)
			.location(this.links.presignedUrl(uploadId, rendition, caller))
			.cacheControl(CacheControl.noStore())
			.build();
	}

}
