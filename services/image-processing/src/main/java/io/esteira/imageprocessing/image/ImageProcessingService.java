package io.esteira.imageprocessing.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.esteira.imageprocessing.config.ImageProperties;
import io.esteira.imageprocessing.thumbnail.DecodeSlotsBusyException;
import io.esteira.imageprocessing.thumbnail.Renditions;
import io.esteira.imageprocessing.thumbnail.Thumbnail;
import io.esteira.imageprocessing.thumbnail.ThumbnailRenderer;
import io.esteira.imageprocessing.thumbnail.UnreadableImageException;
import io.esteira.platform.aws.EsteiraAwsProperties;
import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.contracts.event.PipelineNames;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.Thumbnails;
import io.esteira.contracts.event.UploadMetadata;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.platform.observability.PipelineTracing;
import io.esteira.contracts.s3.S3ObjectEvent;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.annotation.Transactional;

/**
 * Turns one {@code ObjectCreated} event into renditions in the output bucket, a row in {@code images} and the
 * events that report it (status steps for ingest, {@link ImageProcessedEvent} for CRM sync), all published through
 * the outbox in the same transaction as the row.
 * <p>
 * Idempotent per upload: an event whose object has the ETag already recorded changes nothing, an event older (by S3
 * sequencer) than the recorded one is dropped, a newer one reprocesses and overwrites the same thumbnail key.
 * Permanent problems (not an image, too large, object gone) are recorded and never thrown; anything else
 * is thrown so the message comes back (the listener applies the retry policy and, on the last attempt, calls
 * {@link #fail}). The renditions are written before the transaction commits, at keys that
 * depend only on the upload and the rendition: a failed commit leaves them to be overwritten by the retry.
 */
@Service
public class ImageProcessingService {

	static final String SERVICE = PipelineNames.Services.IMAGE_PROCESSING;


	static final String STEP_THUMBNAIL = PipelineNames.Steps.THUMBNAIL;

	/** The step that records an event whose object was gone before it could be read. */
	static final String STEP_SOURCE = PipelineNames.Steps.SOURCE;

	static final String TOO_LARGE = "too_large";

	static final String OBJECT_MISSING = "object_missing";

	private static final Logger logger = LoggerFactory.getLogger(ImageProcessingService.class);

	private final ImageRepository images;

	private final ImageObjects objects;

	private final ThumbnailRenderer renderer;

	private final ApplicationEventPublisher events;

	private final EsteiraAwsProperties aws;

	private final ImageProperties properties;

	private final Clock clock;

	private final MeterRegistry meters;

	private final PipelineTracing tracing;

	ImageProcessingService(ImageRepository images, ImageObjects objects, ThumbnailRenderer renderer,
			ApplicationEventPublisher events, EsteiraAwsProperties aws, ImageProperties properties, Clock clock,
			MeterRegistry meters, PipelineTracing tracing) {
		this.tracing = tracing;
		this.images = images;
		this.objects = objects;
		this.renderer = renderer;
		this.events = events;
		this.aws = aws;
		this.properties = properties;
		this.clock = clock;
		this.meters = meters;
		if (aws.outputBucket().equals(aws.uploadsBucket())) {
			// Loop guard: renditions written where uploads arrive would come back as uploads to process.
			throw new IllegalStateException("esteira.aws.output-bucket must differ from esteira.aws.uploads-bucket ("
					+ aws.uploadsBucket() + "): renditions must never be written where uploads are processed from");
		}
	}

	/**
	 * Handles one {@code ObjectCreated} event.
	 * @param attempt the delivery's attempt number (1-based), reported with the steps
	 * @throws RuntimeException for transient failures (S3, the database); the caller retries per the policy
	 */
	@Transactional
	public ImageOutcome process(S3ObjectEvent event, int attempt) {
		return process(event, attempt, 0);
	}

	/**
	 * Handles one {@code ObjectCreated} event, which may be a redrive's ({@code POST /api/uploads/{id}/retry}): an
	 * image already done for this very object is then not rendered again; its outcome is reported again for the new
	 * run and, when it has renditions, announced to CRM sync again ({@link ImageOutcome#RESUMED}), once per run.
	 * @param attempt the delivery's attempt number (1-based), reported with the steps
	 * @param redriveRun the run a redrive's notification starts (2 for the first), 0 for S3's own events
	 * @throws RuntimeException for transient failures (S3, the database); the caller retries per the policy
	 */
	@Transactional
	public ImageOutcome process(S3ObjectEvent event, int attempt, int redriveRun) {
		ImageOutcome outcome = handle(event, attempt, redriveRun);
		this.meters.counter("esteira.images.events", "outcome", outcome.tag()).increment();
		return outcome;
	}

	/**
	 * Which upload the event is about and whether it is to be processed: loop guard, look at the object, skip what was
	 * already handled; then {@link #processObject}.
	 */
	private ImageOutcome handle(S3ObjectEvent event, int attempt, int redriveRun) {
		if (!isFromUploadsBucket(event)) {
			return ImageOutcome.FOREIGN_BUCKET;
		}
		Optional<SourceObject> described = this.objects.describe(event.bucket(), event.key());
		if (described.isEmpty()) {
			return missing(event, null, attempt);
		}
		SourceObject source = described.get();
		UUID uploadId = uploadId(source);
		// The rest of the transaction, and what its outbox sends after the commit, continues the upload's trace.
		this.tracing.continueInTransaction(uploadId, source.metadata(), STEP_THUMBNAIL);
		ImageRecord record = this.images.findByUploadId(uploadId).orElse(null);
		if (record != null) {
			Optional<ImageOutcome> earlier = earlierOutcome(record, source, event);
			if (earlier.isPresent() && earlier.get() == ImageOutcome.DUPLICATE && redriveRun > record.run()) {
				return resume(record, source, event, attempt, redriveRun);
			}
			if (earlier.isPresent()) {
				return earlier.get();
			}
		}
		else {
			record = new ImageRecord(uploadId, this.clock.instant());
		}
		record.inRun(redriveRun);
		return processObject(record, source, event, attempt);
	}

	/**
	 * A redrive of an image already done for this object: the upload stopped at a later stage (CRM sync failed or
	 * needs review) or its report was lost. The outcome is reported again for the new run, and a processed image is
	 * announced to CRM sync again with its recorded renditions, which stay as they are.
	 */
	private ImageOutcome resume(ImageRecord record, SourceObject source, S3ObjectEvent event, int attempt,
			int redriveRun) {
		UUID uploadId = record.uploadId();
		Instant now = this.clock.instant();
		record.inRun(redriveRun);
		this.images.save(record);
		publishStarted(uploadId, source, now, attempt);
		if (record.status() != ImageStatus.PROCESSED) {
			report(UploadStatusEvent.of(uploadId, SERVICE, STEP_THUMBNAIL, StepOutcome.REJECTED, UploadStatus.REJECTED,
					record.reason() + " (run " + redriveRun + ": as before)", now), source, attempt);
			logger.info("Upload {}: redrive run {} of a rejected image; rejection reported again", uploadId,
					redriveRun);
			return ImageOutcome.RESUMED;
		}
		List<RenditionRecord> renditions = record.renditions();
		report(UploadStatusEvent.of(uploadId, SERVICE, STEP_THUMBNAIL, StepOutcome.SUCCEEDED, null,
				"run " + redriveRun + ": renditions of " + record.processedAt() + " kept, not rendered again", now),
				source, attempt);
		publishProcessed(uploadId, source, renditions, record.processedAt(), event, redriveRun);
		logger.info("Upload {}: redrive run {}; renditions kept, announced to CRM sync again", uploadId, redriveRun);
		return ImageOutcome.RESUMED;
	}

	/**
	 * Size limit, read, render, store the renditions, record and report: a rejection (too large, not a decodable
	 * image) is recorded as such, an object gone in the meantime as missing.
	 */
	private ImageOutcome processObject(ImageRecord record, SourceObject source, S3ObjectEvent event, int attempt) {
		long start = System.nanoTime();
		long maxBytes = this.properties.maxSourceBytes().toBytes();
		if (event.size() > maxBytes || source.size() > maxBytes) {
			return reject(record, source, event, null, null, TOO_LARGE,
					"object has " + Math.max(event.size(), source.size()) + " bytes, more than " + maxBytes, start,
					attempt);
		}
		Optional<byte[]> content;
		try {
			content = this.objects.read(source, maxBytes);
		}
		catch (SourceTooLargeException ex) {
			return reject(record, source, event, null, null, TOO_LARGE, ex.getMessage(), start, attempt);
		}
		if (content.isEmpty()) {
			return missing(event, record.uploadId(), attempt);
		}
		String sha256 = sha256(content.get());
		Renditions made;
		try {
			made = render(source, content.get());
		}
		catch (UnreadableImageException ex) {
			return reject(record, source, event, sha256, ex.format(), ex.problem().code(), ex.getMessage(), start,
					attempt);
		}
		List<RenditionRecord> renditions = storeRenditions(record, made);
		recordProcessed(record, source, event, sha256, made, renditions, start, attempt);
		return ImageOutcome.PROCESSED;
	}

	/**
	 * Loop guard: only uploads are processed. Thumbnails go to the output bucket, whose events (if someone routes them
	 * here) must never produce thumbnails of thumbnails.
	 */
	private boolean isFromUploadsBucket(S3ObjectEvent event) {
		if (this.aws.uploadsBucket().equals(event.bucket())) {
			return true;
		}
		logger.warn("Dropped event {} for s3://{}/{}: not the uploads bucket {}", event.eventName(), event.bucket(),
				event.key(), this.aws.uploadsBucket());
		return false;
	}

	/**
	 * What the upload's recorded run makes of this event: {@code DUPLICATE} (the current object already has a final
	 * outcome) or {@code STALE} (an event older than the one handled); empty when the object is to be processed again
	 * (it was overwritten, or the earlier run was {@code FAILED} or {@code SKIPPED}).
	 */
	private static Optional<ImageOutcome> earlierOutcome(ImageRecord record, SourceObject source,
			S3ObjectEvent event) {
		UUID uploadId = record.uploadId();
		if (record.status().isFinal() && source.eTag().equals(record.sourceEtag())) {
			logger.debug("Upload {} already handled from ETag {}; event for s3://{}/{} ignored", uploadId,
					source.eTag(), source.bucket(), source.key());
			return Optional.of(ImageOutcome.DUPLICATE);
		}
		if (!record.status().isFinal()) {
			// FAILED (retries exhausted) or SKIPPED (object was gone): any event for the object is a reason to try
			// again, whatever its sequencer (a redrive carries none); the current object is what is read anyway.
			logger.info("Upload {}: {} earlier ({}); processing s3://{}/{} again", uploadId, record.status(),
					record.reason(), source.bucket(), source.key());
		}
		else if (S3ObjectEvent.compareSequencers(event.sequencer(), record.sourceSequencer()) < 0) {
			logger.info("Upload {}: event with sequencer {} is older than the handled {}; dropped", uploadId,
					event.sequencer(), record.sourceSequencer());
			return Optional.of(ImageOutcome.STALE);
		}
		else {
			logger.info("Upload {}: s3://{}/{} was overwritten (ETag {} -> {}); processing it again", uploadId,
					source.bucket(), source.key(), record.sourceEtag(), source.eTag());
		}
		return Optional.empty();
	}

	/** The renditions of {@code content}, timed as {@code esteira.images.render}. */
	private Renditions render(SourceObject source, byte[] content) throws UnreadableImageException {
		Renditions made;
		try {
			made = this.renderer.render(content);
		}
		catch (InterruptedException ex) {
			// Shutting down while waiting for a decode slot: the message comes back.
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting to decode " + source.key(), ex);
		}
		this.meters.timer("esteira.images.render", "format", made.sourceFormat(), "decoder", made.decoder())
			.record(Duration.ofMillis(made.decodeMillis() + made.resizeMillis() + made.encodeMillis()));
		return made;
	}

	/**
	 * Writes each rendition to the output bucket (before the commit, at keys a retry overwrites) and deletes the
	 * renditions of an earlier version that this one did not overwrite (other sizes or another format).
	 */
	private List<RenditionRecord> storeRenditions(ImageRecord record, Renditions made) {
		List<RenditionRecord> renditions = new ArrayList<>(made.thumbnails().size());
		for (Thumbnail thumbnail : made.thumbnails()) {
			String key = renditionKey(record.uploadId(), thumbnail);
			this.objects.write(this.aws.outputBucket(), key, thumbnail.content(), thumbnail.contentType());
			renditions.add(new RenditionRecord(thumbnail.name(), this.aws.outputBucket(), key, thumbnail.width(),
					thumbnail.height(), thumbnail.content().length, thumbnail.contentType()));
		}
		Set<String> written = renditions.stream().map(RenditionRecord::key).collect(Collectors.toSet());
		deleteRenditions(record, written);
		return renditions;
	}

	/**
	 * Saves the row as {@code PROCESSED} and publishes, through the outbox, step {@code thumbnail} started and
	 * succeeded and one {@link ImageProcessedEvent} with all renditions.
	 */
	private void recordProcessed(ImageRecord record, SourceObject source, S3ObjectEvent event, String sha256,
			Renditions made, List<RenditionRecord> renditions, long start, int attempt) {
		UUID uploadId = record.uploadId();
		// To the microsecond, as the row keeps it: a redrive announces the same time again from the row.
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		record.processed(source, latestSequencer(event, record), sha256, made, renditions, millisSince(start), now);
		this.images.save(record);
		publishStarted(uploadId, source, now.minusNanos(System.nanoTime() - start), attempt);
		report(UploadStatusEvent.of(uploadId, SERVICE, STEP_THUMBNAIL, StepOutcome.SUCCEEDED, null,
				renditions.stream()
					.map((r) -> r.width() + "x" + r.height())
					.collect(Collectors.joining(", ", "", " " + renditions.getFirst().contentType())),
				now), source, attempt);
		publishProcessed(uploadId, source, renditions, now, event, record.run());
		logger.info("Upload {}: s3://{}/{} ({} {}x{}, orientation {}) -> {} renditions in s3://{}/thumbnails/{}/ "
				+ "(decode {} ms with {}, resize {} ms, encode {} ms)", uploadId, source.bucket(), source.key(),
				made.sourceFormat(), made.sourceWidth(), made.sourceHeight(), made.orientation(), renditions.size(),
				this.aws.outputBucket(), uploadId, made.decodeMillis(), made.decoder(), made.resizeMillis(),
				made.encodeMillis());
	}

	/** Announces the renditions to CRM sync ({@link ImageProcessedEvent}, through the outbox). */
	private void publishProcessed(UUID uploadId, SourceObject source, List<RenditionRecord> renditions,
			Instant processedAt, S3ObjectEvent event, int run) {
		this.events.publishEvent(new ImageProcessedEvent(UUID.randomUUID(), uploadId, source.bucket(), source.key(),
				source.metadata(UploadMetadata.CRM_CONTACT_ID), source.metadata(UploadMetadata.CUSTOMER_EMAIL),
				source.metadata(UploadMetadata.CUSTOMER_PHONE),
				renditions.stream()
					.map((r) -> new ImageProcessedEvent.Rendition(r.name(), r.bucket(), r.key(), r.width(), r.height(),
							r.bytes(), r.contentType()))
					.toList(),
				processedAt, event.eventTime(), run, source.tenant()));
	}

	private ImageOutcome reject(ImageRecord record, SourceObject source, S3ObjectEvent event, String sha256,
			String format, String reason, String detail, long start, int attempt) {
		Instant now = this.clock.instant();
		// The object was overwritten by something that is not an image: its old renditions must not stay reachable
		// as the upload's picture.
		deleteRenditions(record, Set.of());
		record.rejected(source, latestSequencer(event, record), sha256, format, reason, millisSince(start), now);
		this.images.save(record);
		publishStarted(record.uploadId(), source, now.minusNanos(System.nanoTime() - start), attempt);
		report(UploadStatusEvent.of(record.uploadId(), SERVICE, STEP_THUMBNAIL, StepOutcome.REJECTED,
				UploadStatus.REJECTED, reason, now), source, attempt);
		logger.info("Upload {}: s3://{}/{} rejected as {} ({})", record.uploadId(), source.bucket(), source.key(),
				reason, detail);
		return ImageOutcome.REJECTED;
	}

	/**
	 * The later of the event's sequencer and the one recorded: the row keeps the latest write it has seen, so that a
	 * late event of an earlier write, handled after a redrive, is still recognised as old.
	 */
	private static String latestSequencer(S3ObjectEvent event, ImageRecord record) {
		return (S3ObjectEvent.compareSequencers(event.sequencer(), record.sourceSequencer()) >= 0) ? event.sequencer()
				: record.sourceSequencer();
	}

	/**
	 * The {@code thumbnail} step's start, reported with its end (both through the outbox, after the commit): ingest
	 * times the step from the two.
	 */
	private void publishStarted(UUID uploadId, SourceObject source, Instant startedAt, int attempt) {
		report(UploadStatusEvent.of(uploadId, SERVICE, STEP_THUMBNAIL, StepOutcome.STARTED, UploadStatus.PROCESSING,
				null, startedAt), source, attempt);
	}

	/**
	 * Publishes a step (through the outbox) with the attempt it was made on and, when the object exists, naming it
	 * ({@link UploadStatusEvent#forObject}): an object that did not come through ingest (no {@code esteira-upload-id},
	 * under the name-based id) is then registered by ingest as an upload when the step arrives. Ingest ignores the
	 * object of uploads it knows, so every step with an object names it. Steps about an object that is gone do not.
	 */
	private void report(UploadStatusEvent step, SourceObject source, int attempt) {
		UploadStatusEvent event = step.withAttempt(attempt);
		this.events.publishEvent((source != null) ? event.forObject(source.bucket(), source.key()) : event);
	}

	/**
	 * Records that the {@code thumbnail} step failed for good on {@code attempt}: the {@code images} row becomes
	 * {@code FAILED} with {@link #failureReason} and the upload's timeline gets step {@code thumbnail} {@code FAILED}
	 * (status {@code FAILED}, reason {@code code: detail}). The upload id comes from the object's metadata when S3
	 * answers, else from the key (ingest's keys, else the name-based id). Nothing is recorded when the upload already
	 * has a final outcome for this very object, or one from a newer event: this delivery was a late duplicate.
	 */
	@Transactional
	public void fail(S3ObjectEvent event, int attempt, RuntimeException cause) {
		Optional<SourceObject> source;
		try {
			source = this.objects.describe(event.bucket(), event.key());
		}
		catch (RuntimeException ex) {
			source = Optional.empty();
		}
		UUID uploadId = source.map(ImageProcessingService::uploadId)
			.orElseGet(() -> UploadMetadata.uploadId(event.bucket(), event.key(), Map.of()));
		String eTag = source.map(SourceObject::eTag).orElse(event.eTag());
		Instant now = this.clock.instant();
		ImageRecord record = this.images.findByUploadId(uploadId).orElse(null);
		if (record != null && ((record.status().isFinal() && eTag != null && eTag.equals(record.sourceEtag()))
				|| S3ObjectEvent.compareSequencers(event.sequencer(), record.sourceSequencer()) < 0)) {
			logger.info("Upload {}: failed delivery of s3://{}/{} not recorded; the upload has a later outcome",
					uploadId, event.bucket(), event.key());
			return;
		}
		if (record == null) {
			record = new ImageRecord(uploadId, now);
		}
		String reason = failureReason(cause);
		record.failed(event.bucket(), event.key(), eTag, event.sequencer(),
				source.map(SourceObject::size).orElse(event.size()), reason, now);
		this.images.save(record);
		report(UploadStatusEvent.of(uploadId, SERVICE, STEP_THUMBNAIL, StepOutcome.FAILED, UploadStatus.FAILED,
				reason + ": " + abbreviate(String.valueOf(cause.getMessage()), 300), now), source.orElse(null),
				attempt);
		logger.warn("Upload {}: s3://{}/{} FAILED after {} attempts ({})", uploadId, event.bucket(), event.key(),
				attempt, reason);
	}

	/**
	 * The reason code of a transient failure: {@code storage_unavailable} (S3), {@code database_unavailable},
	 * {@code decode_slots_busy} or {@code processing_error}.
	 */
	static String failureReason(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SdkException) {
				return "storage_unavailable";
			}
			if (cause instanceof DataAccessException || cause instanceof TransactionException
					|| cause instanceof SQLException) {
				return "database_unavailable";
			}
			if (cause instanceof DecodeSlotsBusyException) {
				return "decode_slots_busy";
			}
		}
		return "processing_error";
	}

	private static String abbreviate(String text, int max) {
		return (text.length() <= max) ? text : text.substring(0, max - 1) + "…";
	}

	/**
	 * The event's object was deleted after the event was sent; retrying cannot bring it back. Recorded once as a
	 * {@code SKIPPED} row (reason {@code object_missing}) and a {@code source} step on the upload's timeline, then
	 * dropped. Without the object its metadata is gone too: the upload id is the one known from an earlier look at
	 * it, else the one ingest put in the key ({@code images/yyyy/MM/dd/{uploadId}.ext}), else the name-based id of
	 * foreign objects. An upload that already has a row keeps it: the object's earlier outcome (its renditions)
	 * stays the record, and a repeated event for a missing object adds nothing.
	 */
	private ImageOutcome missing(S3ObjectEvent event, UUID knownUploadId, int attempt) {
		UUID uploadId = (knownUploadId != null) ? knownUploadId
				: UploadMetadata.uploadId(event.bucket(), event.key(), Map.of());
		if (this.images.findByUploadId(uploadId).isPresent()) {
			logger.info("Dropped event {} for s3://{}/{}: the object no longer exists; upload {} keeps its record",
					event.eventName(), event.bucket(), event.key(), uploadId);
			return ImageOutcome.MISSING;
		}
		logger.warn("Dropped event {} for s3://{}/{}: the object no longer exists (recorded for upload {})",
				event.eventName(), event.bucket(), event.key(), uploadId);
		Instant now = this.clock.instant();
		ImageRecord record = new ImageRecord(uploadId, now);
		record.skipped(event.bucket(), event.key(), event.eTag(), event.sequencer(), event.size(), OBJECT_MISSING,
				now);
		this.images.save(record);
		report(UploadStatusEvent.of(uploadId, SERVICE, STEP_SOURCE, StepOutcome.SKIPPED, null,
				OBJECT_MISSING + ": s3://" + event.bucket() + "/" + event.key() + " no longer exists", now), null,
				attempt);
		return ImageOutcome.MISSING;
	}

	private void deleteRenditions(ImageRecord record, Set<String> except) {
		for (RenditionRecord rendition : record.renditions()) {
			if (!except.contains(rendition.key())) {
				this.objects.delete(rendition.bucket(), rendition.key());
			}
		}
	}

	/**
	 * {@code thumbnails/{uploadId}/{name}.{jpg|png}} ({@link Thumbnails#key}): deterministic, so a retry overwrites;
	 * ingest's permalink {@code /files/{uploadId}/{name}} serves it whichever its extension.
	 */
	static String renditionKey(UUID uploadId, Thumbnail thumbnail) {
		return Thumbnails.key(uploadId, thumbnail.name(), thumbnail.extension());
	}

	private static long millisSince(long startNanos) {
		return (System.nanoTime() - startNanos) / 1_000_000;
	}

	/** The upload the object belongs to ({@link UploadMetadata#uploadId}, as every service derives it). */
	static UUID uploadId(SourceObject source) {
		return UploadMetadata.uploadId(source.bucket(), source.key(), source.metadata());
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
