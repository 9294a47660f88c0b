package io.esteira.shared.event;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

/**
 * User-metadata keys that ingest puts on every uploaded object (sent as {@code x-amz-meta-*}), so that the services
 * reacting to S3 events know the upload without reading ingest's tables.
 */
public final class UploadMetadata {

	public static final String UPLOAD_ID = "esteira-upload-id";

	public static final String KIND = "esteira-kind";

	public static final String CRM_CONTACT_ID = "esteira-crm-contact-id";

	public static final String CUSTOMER_EMAIL = "esteira-customer-email";

	public static final String CUSTOMER_PHONE = "esteira-customer-phone";

	public static final String EXTERNAL_REF = "esteira-external-ref";

	private UploadMetadata() {
	}

	/**
	 * The upload id of an object that did not come through ingest (no {@link #UPLOAD_ID} metadata): derived from
	 * where it is, so that every service and ingest's registration of such objects agree on it.
	 */
	public static UUID nameBasedUploadId(String bucket, String key) {
		return UUID.nameUUIDFromBytes((bucket + "/" + key).getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The upload id in a key ingest wrote ({@code <kind>/yyyy/MM/dd/{uploadId}.ext}), for when the object and its
	 * metadata are gone; empty when the key's file name is not an upload id.
	 */
	public static Optional<UUID> uploadIdInKey(String key) {
		String name = key.substring(key.lastIndexOf('/') + 1);
		int dot = name.indexOf('.');
		String stem = (dot < 0) ? name : name.substring(0, dot);
		try {
			UUID id = UUID.fromString(stem);
			return stem.equalsIgnoreCase(id.toString()) ? Optional.of(id) : Optional.empty();
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

}
