package io.esteira.ingest.upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.esteira.ingest.config.IngestProperties;
import io.esteira.platform.aws.EsteiraAwsProperties;
import io.esteira.contracts.event.PipelineNames;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.platform.observability.PipelineTracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.io.InputStreamSource;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accepts uploads: checks size and real type, records the upload (RECEIVED) and only then writes the object, so that
 * every status report about the object finds its upload. If the write fails, the upload is marked FAILED.
 */
@Service
class UploadService {

	static final String SERVICE = PipelineNames.Services.INGEST;

	private static final Logger logger = LoggerFactory.getLogger(UploadService.class);

	private static final DateTimeFormatter DATE_PATH = DateTimeFormatter.ofPattern("yyyy/MM/dd")
		.withZone(ZoneOffset.UTC);

	private final UploadRepository uploads;

	private final UploadStepRepository steps;

	private final ContentTypeDetector detector;

	private final UploadStorage storage;

	private final IngestProperties properties;

	private final EsteiraAwsProperties aws;

	private final TransactionTemplate transaction;

	private final TransactionTemplate readOnly;

	private final Clock clock;

	private final CallbackUrls callbackUrls;

	private final ApplicationEventPublisher events;

	private final UploadMetrics metrics;

	private final PipelineTracing tracing;

	UploadService(UploadRepository uploads, UploadStepRepository steps, ContentTypeDetector detector,
			UploadStorage storage, IngestProperties properties, EsteiraAwsProperties aws,
			PlatformTransactionManager transactionManager, Clock clock, CallbackUrls callbackUrls,
			ApplicationEventPublisher events, UploadMetrics metrics, PipelineTracing tracing) {
		this.tracing = tracing;
		this.metrics = metrics;
		this.callbackUrls = callbackUrls;
		this.events = events;
		this.uploads = uploads;
		this.steps = steps;
		this.detector = detector;
		this.storage = storage;
		this.properties = properties;
		this.aws = aws;
		this.transaction = new TransactionTemplate(transactionManager);
		this.readOnly = new TransactionTemplate(transactionManager);
		this.readOnly.setReadOnly(true);
		this.clock = clock;
	}

	/**
	 * A file as received, before any check.
	 *
	 * @param originalFilename as the client named it; kept for display only
	 */
	record NewUpload(UploadKind kind, String originalFilename, long size, InputStreamSource content,
			Customer customer, String callbackUrl) {
	}

	/**
	 * Checks, records and stores an upload.
	 * @return the new upload's id
	 * @throws UploadTooLargeException if the file is over the limit
	 * @throws UnsupportedUploadTypeException if its bytes are not a type accepted for its kind
	 * @throws StorageUnavailableException if S3 did not take it (the upload is then FAILED)
	 */
	UUID accept(NewUpload upload) throws IOException {
		if (upload.size() == 0) {
			throw new InvalidUploadException("The file is empty.");
		}
		String callbackUrl = this.callbackUrls.check(upload.callbackUrl());
		if (upload.size() > this.properties.maxUploadSize().toBytes()) {
			throw new UploadTooLargeException(upload.size(), this.properties.maxUploadSize());
		}
		String contentType = this.detector.detect(upload.content());
		Set<String> allowed = allowedTypes(upload.kind());
		if (!allowed.contains(contentType)) {
			throw new UnsupportedUploadTypeException(upload.kind(), contentType, allowed);
		}
		String sha256 = sha256(upload.content());
		UUID id = UUID.randomUUID();
		// Every log line about this upload names it (JSON logs: the uploadId field).
		try (MDC.MDCCloseable logged = MDC.putCloseable(PipelineTracing.UPLOAD_ID, id.toString())) {
			Instant now = this.clock.instant();
			String bucket = this.aws.uploadsBucket();
			String key = objectKey(upload.kind(), now, id, contentType);
			this.transaction.executeWithoutResult((status) -> {
				this.uploads.save(new Upload(id, upload.kind(), bucket, key, upload.originalFilename(), contentType,
						upload.size(), sha256, upload.customer(), callbackUrl, false, now));
				this.steps.save(UploadStep.received(id, now, this.tracing.currentTraceId()));
				this.metrics.entered(upload.kind(), UploadStatus.RECEIVED);
			});
			try {
				this.storage.store(bucket, key, contentType, upload.size(), upload.content(),
						ObjectMetadata.of(id, upload.kind(), upload.customer()));
			}
			catch (SdkException | UncheckedIOException ex) {
				logger.warn("Upload {} could not be stored at s3://{}/{}", id, bucket, key, ex);
				markStorageFailed(id, storageFailure(ex));
				throw new StorageUnavailableException(id, ex);
			}
			logger.info("Upload {} ({}, {}, {} bytes) stored at s3://{}/{}", id, upload.kind().value(), contentType,
					upload.size(), bucket, key);
			return id;
		}
	}

	UploadView find(UUID id) {
		return this.readOnly.execute((status) -> {
			Upload upload = this.uploads.findById(id).orElseThrow(() -> new UploadNotFoundException(id));
			List<UploadView.Step> steps = this.steps.findByUploadIdOrderByOccurredAtAscRecordedAtAsc(id)
				.stream()
				.map(UploadStep::toView)
				.toList();
			Customer customer = upload.customer();
			return new UploadView(upload.id(), upload.kind().value(), upload.status(), upload.originalFilename(),
					upload.contentType(), upload.sizeBytes(), upload.objectKey(), customer.email(), customer.phone(),
					customer.crmContactId(), customer.externalRef(), upload.callbackUrl() != null,
					upload.awaitingObject(), upload.stuckSince(), upload.createdAt(), upload.updatedAt(), steps,
					UploadView.Activity.of(steps));
		});
	}

	private void markStorageFailed(UUID id, String reason) {
		this.transaction.executeWithoutResult((status) -> {
			Instant now = this.clock.instant();
			this.steps.save(UploadStep.storageFailed(id, reason, now, this.tracing.currentTraceId()));
			this.uploads.findForUpdate(id).ifPresent((upload) -> {
				if (upload.stepRecorded(UploadStatus.FAILED, now)) {
					this.metrics.entered(upload.kind(), UploadStatus.FAILED);
					this.events.publishEvent(UploadFinished.of(upload, reason));
				}
			});
		});
	}

	private Set<String> allowedTypes(UploadKind kind) {
		return allowedTypes(this.properties, kind);
	}

	static Set<String> allowedTypes(IngestProperties properties, UploadKind kind) {
		return switch (kind) {
			case IMAGE -> properties.allowedTypes().image();
			case INVOICE -> properties.allowedTypes().invoice();
		};
	}

	/** {@code images/} or {@code invoices/}, the UTC date, the id and the type's usual extension. */
	static String objectKey(UploadKind kind, Instant now, UUID id, String contentType) {
		return kind.keyPrefix() + DATE_PATH.format(now) + "/" + id + ContentTypeDetector.extensionOf(contentType);
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
