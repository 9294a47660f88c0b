package io.esteira.ingest.upload;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import io.esteira.ingest.config.IngestProperties;
import io.esteira.platform.aws.EsteiraAwsProperties;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.platform.observability.PipelineTracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Direct uploads: records the upload ({@code RECEIVED}, step {@code ingest/presigned}, awaiting its object) and
 * presigns a PUT to its key, with the declared content type and size, the object metadata and the server-side
 * encryption all signed, so the client cannot store anything else there. The processing services find the upload id
 * in the object's metadata as usual; their first status report marks the object as arrived.
 */
@Service
class DirectUploads {

	private static final Logger logger = LoggerFactory.getLogger(DirectUploads.class);

	private final UploadRepository uploads;

	private final UploadStepRepository steps;

	private final S3Presigner presigner;

	private final UploadStorage storage;

	private final CallbackUrls callbackUrls;

	private final IngestProperties properties;

	private final EsteiraAwsProperties aws;

	private final Clock clock;

	private final UploadMetrics metrics;

	private final PipelineTracing tracing;

	DirectUploads(UploadRepository uploads, UploadStepRepository steps, S3Presigner presigner, UploadStorage storage,
			CallbackUrls callbackUrls, IngestProperties properties, EsteiraAwsProperties aws, Clock clock,
			UploadMetrics metrics, PipelineTracing tracing) {
		this.tracing = tracing;
		this.metrics = metrics;
		this.uploads = uploads;
		this.steps = steps;
		this.presigner = presigner;
		this.storage = storage;
		this.callbackUrls = callbackUrls;
		this.properties = properties;
		this.aws = aws;
		this.clock = clock;
	}

	/** What {@link #presign} returns; the controller adds the status URL. */
	record Presigned(UUID id, URI uploadUrl, Map<String, String> headers, Instant expiresAt) {
	}

	/**
	 * @throws UnsupportedUploadTypeException if the declared type is not accepted for the kind
	 * @throws UploadTooLargeException if the declared size is over {@code esteira.ingest.presign.max-size}
	 */
	@Transactional
	Presigned presign(PresignRequest request) {
		UploadKind kind = request.kind();
		String contentType = ContentTypeDetector.normalize(request.contentType());
		Set<String> allowed = UploadService.allowedTypes(this.properties, kind);
		if (!allowed.contains(contentType)) {
			throw new UnsupportedUploadTypeException(kind, contentType, allowed);
		}
		if (request.sizeBytes() > this.properties.presign().maxSize().toBytes()) {
			throw new UploadTooLargeException(request.sizeBytes(), this.properties.presign().maxSize());
		}
		String callbackUrl = this.callbackUrls.check(request.callbackUrl());
		UUID id = UUID.randomUUID();
		Instant now = this.clock.instant();
		String bucket = this.aws.uploadsBucket();
		String key = UploadService.objectKey(kind, now, id, contentType);
		Customer customer = request.customer();
		this.uploads.save(new Upload(id, kind, bucket, key, Upload.displayName(request.filename()),
				contentType, request.sizeBytes(), null, customer, callbackUrl, true, now));
		this.steps.save(UploadStep.presigned(id, now, this.tracing.currentTraceId()));
		this.metrics.entered(kind, UploadStatus.RECEIVED);
		PutObjectRequest put = PutObjectRequest.builder()
			.bucket(bucket)
			.key(key)
			.contentType(contentType)
			.contentLength(request.sizeBytes())
			.metadata(ObjectMetadata.of(id, kind, customer))
			.serverSideEncryption(this.storage.encryption())
			.build();
		PresignedPutObjectRequest presigned = this.presigner.presignPutObject(
				(presign) -> presign.signatureDuration(this.properties.presign().expiry()).putObjectRequest(put));
		Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		presigned.signedHeaders().forEach((name, values) -> {
			if (!HttpHeaders.HOST.equalsIgnoreCase(name)) {
				headers.put(name, String.join(",", values));
			}
		});
		logger.info("Upload {} ({}, {}, {} bytes) presigned for s3://{}/{}", id, kind.value(), contentType,
				request.sizeBytes(), bucket, key);
		try {
			return new Presigned(id, presigned.url().toURI(), headers, presigned.expiration());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException("The SDK presigned an invalid URL", ex);
		}
	}

}
