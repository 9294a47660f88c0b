package io.esteira.shared.event;

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

}
