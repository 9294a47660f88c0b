package io.esteira.ingest.upload.registration;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;

import io.esteira.contracts.event.PipelineNames;
import io.esteira.contracts.event.Tenants;
import io.esteira.ingest.upload.Customer;
import io.esteira.ingest.upload.Upload;
import io.esteira.ingest.upload.UploadKind;

/**
 * An upload about to be registered ({@link UploadRegistration#register}), made by one factory per way in: a
 * multipart upload, a presigned (direct) upload, an object found in the bucket. New uploads get a random id and the key
 * {@code images/} or {@code invoices/}, the UTC date, the id and the type's usual extension.
 *
 * @param filename for display only: the last segment of the client's name, without control characters
 * @param sha256 of the content, {@code null} when ingest did not see it
 * @param client who registered it (the API key name), {@code null} for an object found in the bucket
 * @param awaitingObject whether the object is still to come (a direct upload)
 * @param firstStep the step that registers it on the timeline
 * @param reason of the first step, may be {@code null}
 * @param createdAt when the upload began (for a found object, when it was written)
 * @param tenant the tenant it belongs to: the caller's, or for a found object the one an admin named (default
 * {@link Tenants#DEFAULT})
 * @param customerDocument the customer's CNPJ or CPF, normalized ({@code CustomerDocuments}), {@code null} for none
 */
public record NewUpload(UUID id, UploadKind kind, String key, String filename, String contentType, long size,
		String sha256, Customer customer, String callbackUrl, String client, boolean awaitingObject, String firstStep,
		String reason, Instant createdAt, String tenant, String customerDocument) {

	public NewUpload {
		tenant = Tenants.orDefault(tenant);
	}

	private static final DateTimeFormatter DATE_PATH = DateTimeFormatter.ofPattern("yyyy/MM/dd")
		.withZone(ZoneOffset.UTC);

	/** A file received in a multipart request, its type detected from its bytes (step {@code received}). */
	public static NewUpload multipart(UploadKind kind, String clientFilename, String contentType, long size,
			String sha256, Customer customer, String customerDocument, String callbackUrl, String client,
			String tenant, Instant now) {
		UUID id = UUID.randomUUID();
		return new NewUpload(id, kind, keyOf(kind, now, id, contentType), Upload.displayName(clientFilename),
				contentType, size, sha256, customer, callbackUrl, client, false, PipelineNames.Steps.RECEIVED, null,
				now, tenant, customerDocument);
	}

	/** A direct upload: the type and size are the client's word, the object comes later (step {@code presigned}). */
	public static NewUpload presigned(UploadKind kind, String clientFilename, String contentType, long size,
			Customer customer, String customerDocument, String callbackUrl, String client, String tenant,
			Instant now) {
		UUID id = UUID.randomUUID();
		return new NewUpload(id, kind, keyOf(kind, now, id, contentType), Upload.displayName(clientFilename),
				contentType, size, null, customer, callbackUrl, client, true, PipelineNames.Steps.PRESIGNED,
				"awaiting the direct upload", now, tenant, customerDocument);
	}

	/** An object another system wrote to the uploads bucket (step {@code registered}), dated when it was written. */
	public static NewUpload foundInBucket(UUID id, UploadKind kind, String key, String contentType, long size,
			String reason, Instant written, String tenant) {
		return new NewUpload(id, kind, key, Upload.displayName(key), contentType, size, null, Customer.none(), null,
				null, false, PipelineNames.Steps.REGISTERED, reason, written, tenant, null);
	}

	/** The S3 user metadata the upload's object carries ({@link ObjectMetadata}). */
	public Map<String, String> objectMetadata() {
		return ObjectMetadata.of(this.id, this.kind, this.customer, this.tenant, this.customerDocument);
	}

	private static String keyOf(UploadKind kind, Instant now, UUID id, String contentType) {
		return kind.keyPrefix() + DATE_PATH.format(now) + "/" + id + ContentTypes.extensionOf(contentType);
	}

}
