package io.esteira.imageprocessing.image;

import java.util.Map;

import io.esteira.contracts.event.UploadMetadata;

/**
 * An object in the uploads bucket as S3 describes it, before its content is read.
 *
 * @param eTag the object's ETag without quotes
 * @param size content length in bytes
 * @param metadata user metadata, keys lower case without {@code x-amz-meta-} (see
 * {@link io.esteira.contracts.event.UploadMetadata})
 */
record SourceObject(String bucket, String key, String eTag, long size, Map<String, String> metadata) {

	/** A user-metadata value, or {@code null} when absent or blank. */
	String metadata(String name) {
		String value = this.metadata.get(name);
		return (value == null || value.isBlank()) ? null : value.strip();
	}

	/** The upload's tenant: {@link UploadMetadata#tenant} of the metadata. */
	String tenant() {
		return UploadMetadata.tenant(this.metadata);
	}

}
