package io.esteira.ingest.upload.foreign;

import java.util.UUID;

import io.esteira.contracts.event.Tenants;
import io.esteira.ingest.upload.UploadLinks;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/admin/objects} (scope {@code admin}): registers an object already in the uploads bucket as an
 * upload ({@link ForeignObjects}); 201 when created, 200 when it was known.
 */
@RestController
class ForeignObjectController {

	private final ForeignObjects foreignObjects;

	ForeignObjectController(ForeignObjects foreignObjects) {
		this.foreignObjects = foreignObjects;
	}

	/**
	 * @param key the object's key in the uploads bucket
	 * @param tenant the tenant the upload belongs to; absent: the object's {@code esteira-tenant} metadata, else the
	 * default tenant
	 */
	record RegisterObject(@NotBlank @Size(max = 1024) String key,
			@Size(max = 63) @Pattern(regexp = Tenants.PATTERN) String tenant) {
	}

	record RegisteredObject(UUID id, String key, boolean created) {
	}

	@PostMapping("/api/admin/objects")
	ResponseEntity<RegisteredObject> register(@Valid @RequestBody RegisterObject request) {
		ForeignObjects.Registered registered = this.foreignObjects.register(request.key(), request.tenant());
		return ResponseEntity.status(registered.created() ? HttpStatus.CREATED : HttpStatus.OK)
			.location(UploadLinks.statusUrl(registered.uploadId()))
			.body(new RegisteredObject(registered.uploadId(), request.key(), registered.created()));
	}

}
