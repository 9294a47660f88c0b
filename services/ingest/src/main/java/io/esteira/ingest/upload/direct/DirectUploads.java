package io.esteira.ingest.upload.direct;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.esteira.ingest.config.IngestProperties;
import io.esteira.ingest.upload.CustomerDocuments;
import io.esteira.ingest.upload.UnsupportedUploadTypeException;
import io.esteira.ingest.upload.UploadNotAllowedException;
import io.esteira.ingest.upload.UploadTooLargeException;
import io.esteira.ingest.upload.registration.CallbackUrls;
import io.esteira.ingest.upload.registration.ContentTypes;
import io.esteira.ingest.upload.registration.NewUpload;
import io.esteira.ingest.upload.registration.UploadPermissions;
import io.esteira.ingest.upload.registration.UploadRegistration;
import io.esteira.ingest.upload.registration.UploadSizes;
import io.esteira.ingest.upload.registration.UploadStorage;
import io.esteira.platform.security.EsteiraPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Direct uploads: registers the upload ({@code RECEIVED}, step {@code ingest/presigned}, awaiting its object) and
 * presigns a PUT to its key, with the declared content type and size, the object metadata and the server-side
 * encryption all signed, so the client cannot store anything else there. The processing services find the upload id
 * in the object's metadata as usual; their first status report marks the object as arrived.
 */
@Service
class DirectUploads {

	private static final Logger logger = LoggerFactory.getLogger(DirectUploads.class);

	private final ContentTypes contentTypes;

	private final CallbackUrls callbackUrls;

	private final UploadRegistration registration;

	private final UploadStorage storage;

	private final S3Presigner presigner;

	private final UploadSizes sizes;

	private final IngestProperties.Presign settings;

	private final Clock clock;

	DirectUploads(ContentTypes contentTypes, CallbackUrls callbackUrls, UploadRegistration registration,
			UploadStorage storage, UploadSizes sizes, S3Presigner presigner, IngestProperties properties,
			Clock clock) {
		this.contentTypes = contentTypes;
		this.callbackUrls = callbackUrls;
		this.registration = registration;
		this.storage = storage;
		this.presigner = presigner;
		this.sizes = sizes;
		this.settings = properties.presign();
		this.clock = clock;
	}

	/** What {@link #presign} returns; the controller adds the status URL. */
	record Presigned(UUID id, URI uploadUrl, Map<String, String> headers, Instant expiresAt) {
	}

	/**
	 * @param caller the authenticated client asking: its name signs callbacks, its tenant owns the upload, which
	 * carries it in the signed object metadata
	 * @throws UploadNotAllowedException if the caller may not make this upload
	 * @throws UnsupportedUploadTypeException if the declared type is not accepted for the kind
	 * @throws UploadTooLargeException if the declared size is over its kind's {@code esteira.ingest.presign.max-size.*}
	 */
	@Transactional
	Presigned presign(PresignRequest request, EsteiraPrincipal caller) {
		UploadPermissions.requireMayUpload(caller, request.kind(), request.customer());
		String customerDocument = CustomerDocuments.normalize("customerDocument", request.customerDocument());
		String client = caller.getName();
		String contentType = ContentTypes.normalize(request.contentType());
		this.contentTypes.requireAccepted(request.kind(), contentType);
		this.sizes.requireDeclaredWithin(request.kind(), request.sizeBytes());
		String callbackUrl = this.callbackUrls.check(request.callbackUrl(), client);
		NewUpload upload = NewUpload.presigned(request.kind(), request.filename(), contentType, request.sizeBytes(),
				request.customer(), customerDocument, callbackUrl, client, caller.tenantId(), this.clock.instant());
		this.registration.register(upload);
		PutObjectRequest put = PutObjectRequest.builder()
			.bucket(this.registration.bucket())
			.key(upload.key())
			.contentType(contentType)
			.contentLength(upload.size())
			.metadata(upload.objectMetadata())
			.serverSideEncryption(this.storage.encryption())
			.build();
		PresignedPutObjectRequest presigned = this.presigner
			.presignPutObject((presign) -> presign.signatureDuration(this.settings.expiry()).putObjectRequest(put));
		Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		presigned.signedHeaders().forEach((name, values) -> {
			if (!HttpHeaders.HOST.equalsIgnoreCase(name)) {
				headers.put(name, String.join(",", values));
			}
		});
		logger.info("Upload {} ({}, {}, {} bytes) presigned for s3://{}/{}", upload.id(), upload.kind().value(),
				contentType, upload.size(), this.registration.bucket(), upload.key());
		try {
			return new Presigned(upload.id(), presigned.url().toURI(), headers, presigned.expiration());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException("The SDK presigned an invalid URL", ex);
		}
	}

}
