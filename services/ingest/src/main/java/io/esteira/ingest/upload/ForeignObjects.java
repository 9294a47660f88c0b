package io.esteira.ingest.upload;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.esteira.platform.aws.EsteiraAwsProperties;
import io.esteira.contracts.event.UploadMetadata;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.platform.observability.PipelineTracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Registers an object that reached the uploads bucket without going through ingest (a nightly export, a direct PUT
 * by another system), so the steps the processing services report about it land on a timeline. Its upload id is the
 * object's {@code esteira-upload-id} metadata if it has one, else the name-based
 * {@code UUID.nameUUIDFromBytes("bucket/key")} the services use for such objects; its kind comes from the key prefix
 * ({@code images/}, {@code invoices/}). Registering twice returns the same upload. Registration happens on an
 * operator's request, or by itself when a status report names an object ingest has no upload for.
 */
@Service
class ForeignObjects {

	private static final Logger logger = LoggerFactory.getLogger(ForeignObjects.class);

	private final UploadRepository uploads;

	private final UploadStepRepository steps;

	private final S3Client s3;

	private final EsteiraAwsProperties aws;

	private final TransactionTemplate transaction;

	private final Clock clock;

	private final UploadMetrics metrics;

	private final PipelineTracing tracing;

	ForeignObjects(UploadRepository uploads, UploadStepRepository steps, S3Client s3, EsteiraAwsProperties aws,
			PlatformTransactionManager transactionManager, Clock clock, UploadMetrics metrics,
			PipelineTracing tracing) {
		this.tracing = tracing;
		this.metrics = metrics;
		this.uploads = uploads;
		this.steps = steps;
		this.s3 = s3;
		this.aws = aws;
		this.transaction = new TransactionTemplate(transactionManager);
		this.clock = clock;
	}

	/** What registering did. */
	record Registered(UUID uploadId, boolean created) {
	}

	/**
	 * Registers an object an operator names ({@code POST /api/admin/objects}).
	 * @throws InvalidUploadException if the key is under neither prefix, or there is no such object
	 */
	Registered register(String key) {
		String bucket = this.aws.uploadsBucket();
		UploadKind kind = kindOf(key);
		HeadObjectResponse object = head(bucket, key)
			.orElseThrow(() -> new InvalidUploadException("key: no such object in the uploads bucket."));
		return save(bucket, key, kind, object, idOf(bucket, key, object), "object found in the bucket");
	}

	/**
	 * Registers the object a status report names when ingest does not know the reported upload: the object must be
	 * in the uploads bucket under a kind's prefix, and its upload id (metadata, else name-based) must be the one the
	 * report carries. S3 errors other than "not found" propagate, so the report is retried.
	 * @return whether the reported upload exists now
	 */
	boolean registerReported(UploadStatusEvent event) {
		String bucket = this.aws.uploadsBucket();
		String key = event.key();
		if (key == null || !bucket.equals(event.bucket())) {
			return false;
		}
		Optional<UploadKind> kind = Optional.ofNullable(kindOrNull(key));
		if (kind.isEmpty()) {
			logger.warn("Status event {} names s3://{}/{}, under no upload prefix; not registered", event.eventId(),
					bucket, key);
			return false;
		}
		Optional<HeadObjectResponse> object = head(bucket, key);
		if (object.isEmpty()) {
			logger.warn("Status event {} names s3://{}/{}, which is not in the bucket; not registered",
					event.eventId(), bucket, key);
			return false;
		}
		UUID id = idOf(bucket, key, object.get());
		if (!id.equals(event.uploadId())) {
			logger.warn("Status event {} names upload {} but s3://{}/{} is upload {}; not registered", event.eventId(),
					event.uploadId(), bucket, key, id);
			return false;
		}
		try {
			save(bucket, key, kind.get(), object.get(), id,
					"object found in the bucket, first reported by " + event.service() + "/" + event.step());
		}
		catch (DataIntegrityViolationException ex) {
			// another report about the same object registered it at the same moment
			logger.debug("Upload {} registered concurrently", id, ex);
		}
		return this.uploads.existsById(id);
	}

	/** The upload the object belongs to ({@link UploadMetadata#uploadId}, as every service derives it). */
	private static UUID idOf(String bucket, String key, HeadObjectResponse object) {
		return UploadMetadata.uploadId(bucket, key, object.metadata());
	}

	/**
	 * Saves the upload and its {@code ingest/registered} step unless it exists. Both are dated when the object was
	 * written (never later than now), so the registration comes before the services' reports on the timeline.
	 */
	private Registered save(String bucket, String key, UploadKind kind, HeadObjectResponse object, UUID id,
			String reason) {
		Registered registered = this.transaction.execute((status) -> {
			if (this.uploads.existsById(id) || this.uploads.existsByObjectKey(key)) {
				return new Registered(id, false);
			}
			Instant now = this.clock.instant();
			Instant written = (object.lastModified() != null && object.lastModified().isBefore(now))
					? object.lastModified() : now;
			String contentType = (object.contentType() != null)
					? ContentTypeDetector.normalize(object.contentType()) : "application/octet-stream";
			String filename = key.substring(key.lastIndexOf('/') + 1);
			Upload upload = new Upload(id, kind, bucket, key, Upload.displayName(filename), contentType,
					object.contentLength(), null, new Customer(null, null, null, null), null, false, written);
			this.uploads.save(upload);
			this.steps.save(UploadStep.registered(id, reason, written, now, this.tracing.currentTraceId()));
			this.metrics.entered(kind, UploadStatus.RECEIVED);
			return new Registered(id, true);
		});
		if (registered.created()) {
			logger.info("Registered s3://{}/{} as upload {}", bucket, key, id);
		}
		return registered;
	}

	private static UploadKind kindOf(String key) {
		UploadKind kind = kindOrNull(key);
		if (kind == null) {
			throw new InvalidUploadException("key: must start with images/ or invoices/.");
		}
		return kind;
	}

	private static UploadKind kindOrNull(String key) {
		for (UploadKind kind : UploadKind.values()) {
			if (key.startsWith(kind.keyPrefix())) {
				return kind;
			}
		}
		return null;
	}

	/** The object's metadata, empty if there is no such object. */
	private Optional<HeadObjectResponse> head(String bucket, String key) {
		try {
			return Optional.of(this.s3.headObject((head) -> head.bucket(bucket).key(key)));
		}
		catch (NoSuchKeyException ex) {
			return Optional.empty();
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 404) {
				return Optional.empty();
			}
			throw ex;
		}
	}

}
