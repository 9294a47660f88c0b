package io.esteira.ingest.web;

import java.net.URI;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /status}: the operations page ({@code static/status/index.html}), plain HTML and a little JS over the
 * uploads API. The page itself needs no key; the operator types one with {@code uploads:read}, kept in the browser
 * tab only.
 */
@RestController
class StatusPageController {

	@GetMapping("/status")
	ResponseEntity<Void> statusPage() {
		return ResponseEntity.status(302).location(URI.create("/status/index.html")).build();
	}

}
