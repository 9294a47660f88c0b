package io.esteira.contracts.event;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

	/**
	 * The customer's document (CNPJ or CPF, without punctuation) the upload was made for, when the uploader named
	 * one: a principal restricted to that customer sees the import of the file.
	 */
	public static final String CUSTOMER_DOCUMENT = "esteira-customer-document";

	private static final Pattern DOCUMENT_PUNCTUATION = Pattern.compile("[\\s./-]");

	/**
	 * A customer document (CNPJ or CPF) as every service keeps and compares it: without dots, slashes, hyphens and
	 * spaces, in upper case (the alphanumeric CNPJ has letters); {@code null} stays {@code null}. It does not check
	 * that it is a valid document.
	 */
	public static String normalizeDocument(String document) {
		return (document != null) ? DOCUMENT_PUNCTUATION.matcher(document).replaceAll("").toUpperCase(Locale.ROOT)
				: null;
	}

	/** The upload's tenant ({@link Tenants}); objects without it belong to {@link Tenants#DEFAULT}. */
	public static final String TENANT = "esteira-tenant";

	/** ingest's key layout: {@code <kind>/yyyy/MM/dd/{uploadId}.ext}. */
	private static final Pattern INGEST_KEY = Pattern
		.compile("(?:images|invoices)/\\d{4}/\\d{2}/\\d{2}/([0-9a-fA-F-]{36})(?:\\.[^/]*)?");

	private UploadMetadata() {
	}

	/**
	 * The upload an object in the uploads bucket belongs to — the one function every service uses, so that the same
	 * object has the same id everywhere: the {@link #UPLOAD_ID} metadata ingest puts on it (key in any case, value
	 * trimmed); else the id in the key when it is ingest's layout ({@code <kind>/yyyy/MM/dd/{uploadId}.ext}), e.g. for
	 * an object whose metadata is gone; else the {@linkplain #nameBasedUploadId name-based id} of a foreign object. A
	 * malformed metadata value counts as absent.
	 * @param metadata the object's user metadata (keys without {@code x-amz-meta-}), empty when it is unknown
	 */
	public static UUID uploadId(String bucket, String key, Map<String, String> metadata) {
		return metadata.entrySet()
			.stream()
			.filter((entry) -> UPLOAD_ID.equalsIgnoreCase(entry.getKey()) && entry.getValue() != null)
			.map((entry) -> parse(entry.getValue().strip()))
			.flatMap(Optional::stream)
			.findFirst()
			.or(() -> uploadIdInKey(key))
			.orElseGet(() -> nameBasedUploadId(bucket, key));
	}

	/**
	 * The tenant an object in the uploads bucket belongs to: the {@link #TENANT} metadata ingest puts on it (key in
	 * any case, value trimmed), else {@link Tenants#DEFAULT} — for objects another system dropped into the bucket, and
	 * for a value that is not a {@linkplain Tenants#isValid well-formed} tenant id.
	 * @param metadata the object's user metadata (keys without {@code x-amz-meta-}), empty when it is unknown
	 */
	public static String tenant(Map<String, String> metadata) {
		return metadata.entrySet()
			.stream()
			.filter((entry) -> TENANT.equalsIgnoreCase(entry.getKey()) && entry.getValue() != null)
			.map((entry) -> entry.getValue().strip())
			.filter(Tenants::isValid)
			.findFirst()
			.orElse(Tenants.DEFAULT);
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
		Matcher matcher = INGEST_KEY.matcher(key);
		return matcher.matches() ? parse(matcher.group(1)) : Optional.empty();
	}

	/** A UUID in its canonical form ({@link UUID#fromString} also takes shortened forms such as {@code 1-2-3-4-5}). */
	private static Optional<UUID> parse(String value) {
		try {
			UUID id = UUID.fromString(value);
			return value.equalsIgnoreCase(id.toString()) ? Optional.of(id) : Optional.empty();
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

}
