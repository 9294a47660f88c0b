package io.esteira.ingest.upload.registration;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.esteira.contracts.event.Tenants;
import io.esteira.contracts.event.UploadMetadata;
import io.esteira.ingest.upload.Customer;
import io.esteira.ingest.upload.UploadKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S3 user metadata put on an uploaded object ({@link UploadMetadata} keys). S3 sends metadata as HTTP headers,
 * which carry ASCII only, so each value is made ASCII-safe: printable ASCII is kept as is, and {@code %}, control
 * characters and anything non-ASCII are percent-encoded as UTF-8 bytes (RFC 3986 style: decode with a
 * percent-decoder, not a form decoder, since {@code +} is literal). S3 allows 2 KB of user metadata per object, so a
 * value longer than {@value #MAX_ENCODED_LENGTH} characters once encoded is left out; it is still in ingest's
 * database.
 */
final class ObjectMetadata {

	static final int MAX_ENCODED_LENGTH = 400;

	private static final Logger logger = LoggerFactory.getLogger(ObjectMetadata.class);

	private ObjectMetadata() {
	}

	/**
	 * @param tenant always put ({@link UploadMetadata#TENANT}): the processing services hand it on
	 * @param customerDocument put when present ({@link UploadMetadata#CUSTOMER_DOCUMENT}), already normalized
	 */
	static Map<String, String> of(UUID uploadId, UploadKind kind, Customer customer, String tenant,
			String customerDocument) {
		Map<String, String> metadata = new LinkedHashMap<>();
		metadata.put(UploadMetadata.UPLOAD_ID, uploadId.toString());
		metadata.put(UploadMetadata.KIND, kind.value());
		metadata.put(UploadMetadata.TENANT, Tenants.orDefault(tenant));
		putIfPresent(metadata, UploadMetadata.CUSTOMER_DOCUMENT, customerDocument);
		putIfPresent(metadata, UploadMetadata.CRM_CONTACT_ID, customer.crmContactId());
		putIfPresent(metadata, UploadMetadata.CUSTOMER_EMAIL, customer.email());
		putIfPresent(metadata, UploadMetadata.CUSTOMER_PHONE, customer.phone());
		putIfPresent(metadata, UploadMetadata.EXTERNAL_REF, customer.externalRef());
		return metadata;
	}

	/** Percent-encodes {@code %}, control characters and non-ASCII characters (as UTF-8); keeps the rest. */
	static String asciiSafe(String value) {
		StringBuilder encoded = new StringBuilder(value.length());
		for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
			int c = b & 0xFF;
			if (c >= 0x20 && c < 0x7F && c != '%') {
				encoded.append((char) c);
			}
			else {
				encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
					.append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
			}
		}
		return encoded.toString();
	}

	private static void putIfPresent(Map<String, String> metadata, String key, String value) {
		if (value == null) {
			return;
		}
		String encoded = asciiSafe(value);
		if (encoded.length() > MAX_ENCODED_LENGTH) {
			logger.warn("Metadata {} left out: {} characters once encoded (limit {})", key, encoded.length(),
					MAX_ENCODED_LENGTH);
			return;
		}
		metadata.put(key, encoded);
	}

}
