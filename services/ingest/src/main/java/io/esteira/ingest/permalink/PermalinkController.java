package io.esteira.ingest.permalink;

import java.util.UUID;

import io.esteira.contracts.event.Thumbnails;
import jakarta.validation.constraints.Pattern;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /files/{uploadId}/{rendition}}: the stable link written to the CRM, answered with a 302 to a freshly
 * presigned S3 URL. It needs no API key: the link is opened from the CRM by people, and it names a registered upload
 * whose id is random (122 random bits) or keyed (a foreign object's, {@code ThumbnailLinks}), so links cannot be
 * guessed or enumerated. The redirect is not cached, because the URL it points to expires.
 */
@RestController
class PermalinkController {

	private final ThumbnailLinks links;

	PermalinkController(ThumbnailLinks links) {
		this.links = links;
	}

	@GetMapping(Thumbnails.PERMALINK_PATTERN)
	ResponseEntity<Void> thumbnail(@PathVariable UUID uploadId, @PathVariable @Pattern(regexp = "[0-9]{2,4}",
			message = "must be a size in pixels (2 to 4 digits)") String rendition) {
		return ResponseEntity.status(HttpStatus.FOUND)
			.location(this.links.presignedUrl(uploadId, rendition))
			.cacheControl(CacheControl.noStore())
			.build();
	}

}
