package io.esteira.ingest.upload.multipart;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.UUID;

import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.ingest.upload.Customer;
import io.esteira.ingest.upload.CustomerDocuments;
import io.esteira.ingest.upload.InvalidUploadException;
import io.esteira.ingest.upload.StorageUnavailableException;
import io.esteira.ingest.upload.UnsupportedUploadTypeException;
import io.esteira.ingest.upload.UploadKind;
import io.esteira.ingest.upload.UploadNotAllowedException;
import io.esteira.ingest.upload.UploadTooLargeException;
import io.esteira.ingest.upload.registration.CallbackUrls;
import io.esteira.ingest.upload.registration.ContentTypes;
import io.esteira.ingest.upload.registration.NewUpload;
import io.esteira.ingest.upload.registration.UploadPermissions;
import io.esteira.ingest.upload.registration.UploadRegistration;
import io.esteira.ingest.upload.registration.UploadSizes;
import io.esteira.ingest.upload.registration.UploadStorage;
import io.esteira.ingest.upload.timeline.UploadTimeline;
import io.esteira.platform.observability.PipelineTracing;
import io.esteira.platform.security.EsteiraPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

import org.springframework.core.io.InputStreamSource;
import org.springframework.stereotype.Service;

/**
 * Accepts multipart uploads: checks size and real type, registers the upload (RECEIVED) and only then writes the
 * object, so that every status report about the object finds its upload. If the write fails, the upload is marked
 * FAILED (step {@code ingest/stored}).
 */
@Service
class MultipartUploads {

	/** ingest's step of writing the object, on the timeline only when it failed. */
	static final String STORED = "stored";

	private static final Logger logger = LoggerFactory.getLogger(MultipartUploads.class);

	private final ContentTypeDetector detector;

	private final ContentTypes contentTypes;

	private final CallbackUrls callbackUrls;

	private final UploadRegistration registration;

	private final UploadStorage storage;

	private final UploadTimeline timeline;

	private final UploadSizes sizes;

	private final Clock clock;

	MultipartUploads(ContentTypeDetector detector, ContentTypes contentTypes, CallbackUrls callbackUrls,
			UploadRegistration registration, UploadStorage storage, UploadTimeline timeline,
			UploadSizes sizes, Clock clock) {
		this.detector = detector;
		this.contentTypes = contentTypes;
		this.callbackUrls = callbackUrls;
		this.registration = registration;
		this.storage = storage;
		this.timeline = timeline;
		this.sizes = sizes;
		this.clock = clock;
	}

	/**
	 * A file as received, before any check.
	 *
	 * @param originalFilename as the client named it; kept for display only
	 * @param customerDocument the customer's CNPJ or CPF as the client wrote it, {@code null} for none
	 * @param caller the authenticated client sending it: its name signs callbacks, its tenant owns the upload
	 */
	record Received(UploadKind kind, String originalFilename, long size, InputStreamSource content, Customer customer,
			String customerDocument, String callbackUrl, EsteiraPrincipal caller) {
	}

	/**
	 * Checks, registers and stores an upload.
	 * @return the new upload's id
	 * @throws UploadNotAllowedException if the caller may not make this upload
	 * @throws UploadTooLargeException if the file is over its kind's limit
	 * @throws UnsupportedUploadTypeException if its bytes are not a type accepted for its kind
	 * @throws StorageUnavailableException if S3 did not take it (the upload is then FAILED)
	 */
	UUID accept(Received received) throws IOException {
		UploadPermissions.requireMayUpload(received.caller(), received.kind(), received.customer());
		String customerDocument = CustomerDocuments.normalize("customerDocument", received.customerDocument());
		if (received.size() == 0) {
			throw new InvalidUploadException("The file is empty.");
		}
		this.sizes.requireReceivedWithin(received.kind(), received.size());
		String client = received.caller().getName();
		String callbackUrl = this.callbackUrls.check(received.callbackUrl(), client);
		String contentType = this.detector.detect(received.content());
		this.contentTypes.requireAccepted(received.kind(), contentType);
		NewUpload upload = NewUpload.multipart(received.kind(), received.originalFilename(), contentType,
				received.size(), sha256(received.content()), received.customer(), customerDocument, callbackUrl,
				client, received.caller().tenantId(), this.clock.instant());
		UUID id = upload.id();
		String bucket = this.registration.bucket();
		// Every log line about this upload names it (JSON logs: the uploadId field).
		try (MDC.MDCCloseable logged = MDC.putCloseable(PipelineTracing.UPLOAD_ID, id.toString())) {
			this.registration.register(upload);
			try {
				this.storage.store(bucket, upload.key(), contentType, upload.size(), received.content(),
						upload.objectMetadata());
			}
			catch (SdkException | UncheckedIOException ex) {
				logger.warn("Upload {} could not be stored at s3://{}/{}", id, bucket, upload.key(), ex);
				this.timeline.recordOwnStep(id, STORED, StepOutcome.FAILED, UploadStatus.FAILED, storageFailure(ex));
				throw new StorageUnavailableException(id, ex);
			}
			logger.info("Upload {} ({}, {}, {} bytes) stored at s3://{}/{}", id, upload.kind().value(), contentType,
					upload.size(), bucket, upload.key());
			return id;
		}
	}

	/** A reason for the timeline that names the failure without S3 internals (no bucket, no request ids). */
	private static String storageFailure(RuntimeException ex) {
		if (ex instanceof AwsServiceException service && service.awsErrorDetails() != null) {
			return "Object storage refused the object: " + service.awsErrorDetails().errorCode() + " (HTTP "
					+ service.statusCode() + ")";
		}
		return "Object storage could not be reached: " + ex.getClass().getSimpleName();
	}

	private static String sha256(InputStreamSource content) throws IOException {
		MessageDigest digest;
		try {
			digest = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is always available", ex);
		}
		try (InputStream in = new DigestInputStream(content.getInputStream(), digest)) {
			in.transferTo(OutputStream.nullOutputStream());
		}
		return HexFormat.of().formatHex(digest.digest());
	}

}
