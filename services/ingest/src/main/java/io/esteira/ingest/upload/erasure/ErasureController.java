package io.esteira.ingest.upload.erasure;

import java.util.UUID;

import io.esteira.platform.security.EsteiraPrincipal;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code DELETE /api/uploads/{id}} and {@code DELETE /api/customers?email=|phone=|document=} (scope
 * {@code uploads:delete}): LGPD erasure in the caller's tenant ({@link UploadErasure}; an admin names another with
 * {@code ?tenant=}). 200 with a report of what was erased and what was kept; 404 for another tenant's upload, as for a
 * missing one.
 */
@RestController
class ErasureController {

	private final UploadErasure erasure;

	ErasureController(UploadErasure erasure) {
		this.erasure = erasure;
	}

	@DeleteMapping("/api/uploads/{id}")
	ErasureReport eraseUpload(@PathVariable UUID id, @AuthenticationPrincipal EsteiraPrincipal caller) {
		return this.erasure.erase(id, caller);
	}

	/** Exactly one of {@code email} (any case), {@code phone} (its digits) or {@code document} (CPF or CNPJ). */
	@DeleteMapping("/api/customers")
	CustomerErasureReport eraseCustomer(@RequestParam(required = false) String email,
			@RequestParam(required = false) String phone, @RequestParam(required = false) String document,
			@RequestParam(required = false) String tenant, @AuthenticationPrincipal EsteiraPrincipal caller) {
		return this.erasure.eraseCustomer(new UploadErasure.CustomerMatch(blankToNull(email), blankToNull(phone),
				blankToNull(document)), blankToNull(tenant), caller);
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

}
