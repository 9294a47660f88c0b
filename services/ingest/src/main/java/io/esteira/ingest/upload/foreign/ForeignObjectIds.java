package io.esteira.ingest.upload.foreign;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.esteira.contracts.event.UploadMetadata;
import io.esteira.ingest.config.IngestProperties;
import io.esteira.ingest.config.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Upload ids of objects that carry none of their own (no {@code esteira-upload-id} metadata, not ingest's key
 * layout): HMAC-SHA256 of {@code "bucket/key"} keyed with {@code esteira.ingest.foreign-objects.id-secret}, as a
 * version 8 UUID (RFC 9562: 122 bits of the MAC). Unlike the name-based {@code UUID.nameUUIDFromBytes("bucket/key")}
 * (version 3) the processing services still derive ({@link UploadMetadata#nameBasedUploadId}), it cannot be worked
 * out from a predictable key, so neither can the permalink of the object's thumbnail.
 */
@Component
class ForeignObjectIds {

	private static final Logger logger = LoggerFactory.getLogger(ForeignObjectIds.class);

	private static final int KEYED_VERSION = 8;

	private static final int NAME_BASED_VERSION = 3;

	private final Secret secret;

	ForeignObjectIds(IngestProperties properties) {
		Secret configured = properties.foreignObjects().idSecret();
		if (configured.isEmpty()) {
			logger.info("esteira.ingest.foreign-objects.id-secret is not set: foreign objects get ids keyed with a "
					+ "random key of this process (reports are tied to them by object key)");
		}
		this.secret = configured.isEmpty() ? Secret.random() : configured;
	}

	/** The keyed id of the object at {@code bucket}/{@code key}. */
	UUID keyedId(String bucket, String key) {
		ByteBuffer mac = ByteBuffer.wrap(this.secret.hmacSha256((bucket + "/" + key).getBytes(StandardCharsets.UTF_8)));
		long high = (mac.getLong() & ~0xF000L) | ((long) KEYED_VERSION << 12);
		long low = (mac.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(high, low);
	}

	/**
	 * Whether {@code id} is derived from the object's location: its keyed id, or the name-based id the processing
	 * services report under (and ingest registered objects under before ids were keyed).
	 */
	boolean isDerivedFromLocation(UUID id, String bucket, String key) {
		return id.equals(keyedId(bucket, key)) || id.equals(UploadMetadata.nameBasedUploadId(bucket, key));
	}

	/**
	 * Whether an upload registered for an object was given an id derived from its location (keyed, possibly with
	 * another process's random key, or name-based), rather than one the object carries.
	 */
	static boolean isLocationBased(UUID uploadId) {
		return uploadId.version() == KEYED_VERSION || uploadId.version() == NAME_BASED_VERSION;
	}

}
