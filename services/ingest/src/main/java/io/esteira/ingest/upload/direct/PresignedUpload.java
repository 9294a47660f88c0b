package io.esteira.ingest.upload.direct;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.esteira.contracts.event.UploadStatus;

/**
 * The answer to {@code POST /api/uploads/presign}: PUT the file to {@code uploadUrl} with exactly {@code headers}
 * (they are signed) before {@code expiresAt}.
 *
 * @param method always {@code PUT}
 * @param headers the headers the PUT must carry ({@code Content-Type}, {@code Content-Length}, the object metadata and
 * encryption); {@code Host} is left to the HTTP client
 */
public record PresignedUpload(UUID id, UploadStatus status, URI statusUrl, String method, URI uploadUrl,
		Map<String, String> headers, Instant expiresAt) {
}
