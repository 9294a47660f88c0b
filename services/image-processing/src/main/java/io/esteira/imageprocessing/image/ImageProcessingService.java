package io.esteira.imageprocessing.image;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.esteira.imageprocessing.config.ImageProperties;
import io.esteira.imageprocessing.thumbnail.Thumbnail;
import io.esteira.imageprocessing.thumbnail.ThumbnailRenderer;
import io.esteira.imageprocessing.thumbnail.UnreadableImageException;
import io.esteira.shared.aws.EsteiraAwsProperties;
import io.esteira.shared.event.ImageProcessedEvent;
import io.esteira.shared.event.StepOutcome;
import io.esteira.shared.event.UploadMetadata;
import io.esteira.shared.event.UploadStatus;
import io.esteira.shared.event.UploadStatusEvent;
import io.esteira.shared.s3.S3ObjectEvent;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Turns one {@code ObjectCreated} event into a thumbnail in the output bucket, a row in {@code images} and the
 * events that report it (status steps for ingest, {@link ImageProcessedEvent} for CRM sync), all published through
 * the outbox in the same transaction as the row.
 * <p>
 * Idempotent per upload: an event whose object has the ETag already recorded changes nothing, an event older (by S3
 * sequencer) than the recorded one is dropped, a newer one reprocesses and overwrites the same thumbnail key.
 * Permanent problems (not an image, too large, object gone) are recorded or logged and never thrown; anything else
 * is thrown so the message comes back. The thumbnail is written before the transaction commits: a failed commit
 * leaves it to be overwritten by the retry.
 */
@Service
public class ImageProcessingService {

	static final String SERVICE = "image-processing";

	static final String STEP_PROCESSING = "processing";

	static final String STEP_THUMBNAIL = "thumbnail";

	static final String TOO_LARGE = "too_large";

	private static final Logger logger = LoggerFactory.getLogger(ImageProcessingService.class);

	private final ImageRepository images;

	private final ImageObjects objects;

	private final ThumbnailRenderer renderer;

	private final ApplicationEventPublisher events;

	private final EsteiraAwsProperties aws;

	private final ImageProperties properties;

	private final Clock clock;

	private final MeterRegistry meters;

	ImageProcessingService(ImageRepository images, ImageObjects objects, ThumbnailRenderer renderer,
			ApplicationEventPublisher events, EsteiraAwsProperties aws, ImageProperties properties, Clock clock,
			MeterRegistry meters) {
		this.images = images;
		this.objects = objects;
		this.renderer = renderer;
		this.events = events;
		this.aws = aws;
		this.properties = properties;
		this.clock = clock;
		this.meters = meters;
	}

	/** Handles one {@code ObjectCreated} event. */
	@Transactional
	public ImageOutcome process(S3ObjectEvent event) {
		ImageOutcome outcome = handle(event);
		this.meters.counter("esteira.images.events", "outcome", outcome.tag()).increment();
		return outcome;
	}

	private ImageOutcome handle(S3ObjectEvent event) {
		// Loop guard: only uploads are processed. Thumbnails go to the output bucket, whose events (if someone
		// routes them here) must never produce thumbnails of thumbnails.
		if (!this.aws.uploadsBucket().equals(event.bucket())) {
			logger.warn("Dropped event {} for s3://{}/{}: not the uploads bucket {}", event.eventName(),
					event.bucket(), event.key(), this.aws.uploadsBucket());
			return ImageOutcome.FOREIGN_BUCKET;
		}
		Optional<SourceObject> described = this.objects.describe(event.bucket(), event.key());
		if (described.isEmpty()) {
			return missing(event);
		}
		SourceObject source = described.get();
		UUID uploadId = uploadId(source);
		ImageRecord record = this.images.findByUploadId(uploadId).orElse(null);
		if (record != null) {
			if (record.sourceEtag().equals(source.eTag())) {
				logger.debug("Upload {} already handled from ETag {}; event for s3://{}/{} ignored", uploadId,
						source.eTag(), source.bucket(), source.key());
				return ImageOutcome.DUPLICATE;
			}
			if (S3ObjectEvent.compareSequencers(event.sequencer(), record.sourceSequencer()) < 0) {
				logger.info("Upload {}: event with sequencer {} is older than the handled {}; dropped", uploadId,
						event.sequencer(), record.sourceSequencer());
				return ImageOutcome.STALE;
			}
			logger.info("Upload {}: s3://{}/{} was overwritten (ETag {} -> {}); processing it again", uploadId,
					source.bucket(), source.key(), record.sourceEtag(), source.eTag());
		}
		else {
			record = new ImageRecord(uploadId, this.clock.instant());
		}

		long maxBytes = this.properties.maxSourceBytes().toBytes();
		if (event.size() > maxBytes || source.size() > maxBytes) {
			return reject(record, source, event, null, null, TOO_LARGE,
					"object has " + Math.max(event.size(), source.size()) + " bytes, more than " + maxBytes);
		}
		Optional<byte[]> content = this.objects.read(source);
		if (content.isEmpty()) {
			return missing(event);
		}
		String sha256 = sha256(content.get());
		Thumbnail thumbnail;
		try {
			thumbnail = this.renderer.render(content.get());
		}
		catch (UnreadableImageException ex) {
			return reject(record, source, event, sha256, ex.format(), ex.problem().code(), ex.getMessage());
		}

		String thumbnailKey = thumbnailKey(uploadId);
		this.objects.write(this.aws.outputBucket(), thumbnailKey, thumbnail.content(), thumbnail.contentType());
		Instant now = this.clock.instant();
		record.processed(source, event.sequencer(), sha256, thumbnail, thumbnailKey, now);
		this.images.save(record);
		publishStarted(uploadId, now);
		this.events.publishEvent(UploadStatusEvent.of(uploadId, SERVICE, STEP_THUMBNAIL, StepOutcome.SUCCEEDED, null,
				thumbnail.width() + "x" + thumbnail.height() + " " + thumbnail.contentType(), now));
		this.events.publishEvent(new ImageProcessedEvent(UUID.randomUUID(), uploadId, source.bucket(), source.key(),
				source.metadata(UploadMetadata.CRM_CONTACT_ID), source.metadata(UploadMetadata.CUSTOMER_EMAIL),
				source.metadata(UploadMetadata.CUSTOMER_PHONE),
				List.of(new ImageProcessedEvent.Rendition(Integer.toString(this.properties.thumbnailSize()),
						this.aws.outputBucket(), thumbnailKey, thumbnail.width(), thumbnail.height(),
						thumbnail.content().length, thumbnail.contentType())),
				now));
		logger.info("Upload {}: s3://{}/{} ({} {}x{}) -> s3://{}/{} ({}x{}, {} bytes)", uploadId, source.bucket(),
				source.key(), thumbnail.sourceFormat(), thumbnail.sourceWidth(), thumbnail.sourceHeight(),
				this.aws.outputBucket(), thumbnailKey, thumbnail.width(), thumbnail.height(),
				thumbnail.content().length);
		return ImageOutcome.PROCESSED;
	}

	private ImageOutcome reject(ImageRecord record, SourceObject source, S3ObjectEvent event, String sha256,
			String format, String reason, String detail) {
		Instant now = this.clock.instant();
		String previousThumbnail = record.thumbnailKey();
		if (previousThumbnail != null) {
			// The object was overwritten by something that is not an image: its old thumbnail must not stay
			// reachable as the upload's picture.
			this.objects.delete(this.aws.outputBucket(), previousThumbnail);
		}
		record.rejected(source, event.sequencer(), sha256, format, reason, now);
		this.images.save(record);
		publishStarted(record.uploadId(), now);
		this.events.publishEvent(UploadStatusEvent.of(record.uploadId(), SERVICE, STEP_THUMBNAIL,
				StepOutcome.REJECTED, UploadStatus.REJECTED, reason, now));
		logger.info("Upload {}: s3://{}/{} rejected as {} ({})", record.uploadId(), source.bucket(), source.key(),
				reason, detail);
		return ImageOutcome.REJECTED;
	}

	private void publishStarted(UUID uploadId, Instant now) {
		this.events.publishEvent(UploadStatusEvent.of(uploadId, SERVICE, STEP_PROCESSING, StepOutcome.STARTED,
				UploadStatus.PROCESSING, null, now));
	}

	private static ImageOutcome missing(S3ObjectEvent event) {
		// Deleted after the event was sent; retrying cannot bring it back. Its ObjectRemoved event tells the rest.
		logger.warn("Dropped event {} for s3://{}/{}: the object no longer exists", event.eventName(), event.bucket(),
				event.key());
		return ImageOutcome.MISSING;
	}

	String thumbnailKey(UUID uploadId) {
		return "thumbnails/" + uploadId + "/" + this.properties.thumbnailSize() + ".jpg";
	}

	/** The upload id ingest put on the object, or one derived from its location for objects dropped in otherwise. */
	static UUID uploadId(SourceObject source) {
		String value = source.metadata(UploadMetadata.UPLOAD_ID);
		if (value != null) {
			try {
				return UUID.fromString(value);
			}
			catch (IllegalArgumentException ex) {
				logger.warn("s3://{}/{} has a malformed {} '{}'; using the id derived from its location",
						source.bucket(), source.key(), UploadMetadata.UPLOAD_ID, value);
			}
		}
		return UUID.nameUUIDFromBytes((source.bucket() + "/" + source.key()).getBytes(StandardCharsets.UTF_8));
	}

	private static String sha256(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JDK has SHA-256", ex);
		}
	}

}
