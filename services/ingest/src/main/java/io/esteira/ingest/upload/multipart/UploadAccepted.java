package io.esteira.ingest.upload.multipart;

import java.net.URI;
import java.util.UUID;

import io.esteira.contracts.event.UploadStatus;

/**
 * The answer to an accepted upload ({@code 202}).
 *
 * @param statusUrl where to follow the upload (also the {@code Location} header)
 */
public record UploadAccepted(UUID id, UploadStatus status, URI statusUrl) {
}
