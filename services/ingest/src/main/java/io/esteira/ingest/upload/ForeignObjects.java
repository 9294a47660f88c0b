package io.esteira.ingest.upload;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.esteira.shared.aws.EsteiraAwsProperties;
import io.esteira.shared.event.StepOutcome;
import io.esteira.shared.event.UploadMetadata;
import io.esteira.shared.event.UploadStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Registers an object that reached the uploads bucket without going through ingest (a nightly export, a direct PUT
 * by another system), so the steps the processing services report about it land on a timeline. Its upload id is the
 * object's {@code esteira-upload-id} metadata if it has one, else the name-based
 * {@code UUID.nameUUIDFromBytes("bucket/key")} the services use for such objects; its kind comes from the key prefix
 * ({@code images/}, {@code invoices/}). Registering twice returns the same upload.
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

	ForeignObjects(UploadRepository uploads, UploadStepRepository steps, S3Client s3, EsteiraAwsProperties aws,
			PlatformTransactionManager transactionManager, Clock clock) {
		this.uploads = uploads;
		this.steps = steps;
		this.s3 = s3;
		this.aws = aws;
		this.transaction = new TransactionTemplate(transactionManager);
		this.clock = clock;
	}

	/** The upload id the processing services use for an object without {@code esteira-upload-id}. */
	static UUID nameBasedId(String bucket, String key) {
		return UUID.nameUUIDFromBytes((bucket + "/" + key).getBytes(StandardCharsets.UTF_8));
	}

	/** What registering did. */
	record Registered(UUID uploadId, boolean created) {
	}

	/**
	 * @throws InvalidUploadException if the key is under neither prefix, or there is no such object
	 */
	Registered register(String key) {
		String bucket = this.aws.uploadsBucket();
		UploadKind kind = kindOf(key);
		HeadObjectResponse object = head(bucket, key);
		Map<String, String> metadata = object.metadata();
		UUID id = Optional.ofNullable(metadata.get(UploadMetadata.UPLOAD_ID))
			.flatMap(ForeignObjects::uuid)
			.orElseGet(() -> nameBasedId(bucket, key));
		return this.transaction.execute((status) -> {
			if (this.uploads.existsById(id) || this.uploads.existsByObjectKey(key)) {
				return new Registered(id, false);
			}
			Instant now = this.clock.instant();
			String contentType = (object.contentType() != null)
					? ContentTypeDetector.normalize(object.contentType()) : "application/octet-stream";
			String filename = key.substring(key.lastIndexOf('/') + 1);
			this.uploads.save(new Upload(id, kind, bucket, key, UploadController.displayName(filename), contentType,
					object.contentLength(), null, new Customer(null, null, null, null), null, false, now));
			this.steps.save(new UploadStep(id, UUID.randomUUID(), UploadService.SERVICE, "registered",
					StepOutcome.SUCCEEDED, UploadStatus.RECEIVED, "object found in the bucket", 1, now, now));
			logger.info("Registered s3://{}/{} as upload {}", bucket, key, id);
			return new Registered(id, true);
		});
	}

	private static UploadKind kindOf(String key) {
		for (UploadKind kind : UploadKind.values()) {
			if (key.startsWith(kind.keyPrefix())) {
				return kind;
			}
		}
		throw new InvalidUploadException("key: must start with images/ or invoices/.");
	}

	private HeadObjectResponse head(String bucket, String key) {
		try {
			return this.s3.headObject((head) -> head.bucket(bucket).key(key));
		}
		catch (NoSuchKeyException ex) {
			throw new InvalidUploadException("key: no such object in the uploads bucket.");
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 404) {
				throw new InvalidUploadException("key: no such object in the uploads bucket.");
			}
			throw ex;
		}
	}

	private static Optional<UUID> uuid(String value) {
		try {
			return Optional.of(UUID.fromString(value.strip()));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

}
