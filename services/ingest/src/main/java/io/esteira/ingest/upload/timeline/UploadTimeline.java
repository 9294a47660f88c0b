package io.esteira.ingest.upload.timeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.esteira.contracts.event.PipelineNames;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.ingest.upload.ObjectsDeletionRequested;
import io.esteira.ingest.upload.Upload;
import io.esteira.ingest.upload.UploadFinished;
import io.esteira.ingest.upload.UploadRepository;
import io.esteira.platform.observability.PipelineTracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records every step of an upload: the first one when it is registered, the steps other services report, and the
 * steps ingest runs itself (storing, redriving, notifying, dead-letter moves), all through one path. Each
 * {@code eventId} is recorded once (a unique constraint backs the check), steps of one upload are recorded one at a
 * time (row lock), and the upload's status only moves forward (reports from before a redrive do not move it at all).
 * A report about an object ingest has no upload for registers the upload first ({@link UnknownUploads}), when the
 * report names the object. Every status an upload enters is counted ({@link UploadMetrics}); reaching a terminal
 * status publishes {@link UploadFinished} into the outbox with the same transaction.
 */
@Service
public class UploadTimeline {

	private static final Logger logger = LoggerFactory.getLogger(UploadTimeline.class);

	private final UploadRepository uploads;

	private final UploadStepRepository steps;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	/** Looked up when needed: registering an upload records its first step here, so it needs this timeline. */
	private final ObjectProvider<UnknownUploads> unknownUploads;

	private final TransactionTemplate transaction;

	private final UploadMetrics metrics;

	private final PipelineTracing tracing;

	UploadTimeline(UploadRepository uploads, UploadStepRepository steps, Clock clock,
			ApplicationEventPublisher events, ObjectProvider<UnknownUploads> unknownUploads,
			PlatformTransactionManager transactionManager, UploadMetrics metrics, PipelineTracing tracing) {
		this.tracing = tracing;
		this.metrics = metrics;
		this.unknownUploads = unknownUploads;
		this.transaction = new TransactionTemplate(transactionManager);
		this.uploads = uploads;
		this.steps = steps;
		this.clock = clock;
		this.events = events;
	}

	/** What recording a step did. */
	public enum Recorded {

		/** The step is on the timeline and the upload's status moved. */
		STATUS_CHANGED,
		/** The step is on the timeline; the status stayed (no status, or not a step forward). */
		STEP_ONLY,
		/** This event id was recorded before: nothing changed. */
		DUPLICATE,
		/** No upload has this id, and none could be registered from the report: nothing recorded. */
		UNKNOWN_UPLOAD

	}

	/**
	 * Records the first step of an upload just saved in the caller's transaction ({@code received},
	 * {@code presigned} or {@code registered}, dated when the upload was created) and counts it {@code RECEIVED}.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void registered(Upload upload, String step, String reason) {
		this.steps.save(UploadStep.registered(upload.id(), step, reason, upload.createdAt(), this.clock.instant(),
				this.tracing.currentTraceId()));
		this.metrics.entered(upload.kind(), upload.status());
	}

	/**
	 * Records a step ingest itself ran after the fact (e.g. {@code notified}), without a status. Unknown uploads are
	 * ignored.
	 */
	@Transactional
	public void recordOwnStep(UUID uploadId, String step, StepOutcome outcome, String reason) {
		recordOwnStep(uploadId, step, outcome, null, reason);
	}

	/**
	 * Records a step ingest itself ran, like a reported one: the status moves forward if it implies one (e.g.
	 * {@code stored} {@code FAILED}). Unknown uploads are ignored.
	 */
	@Transactional
	public Recorded recordOwnStep(UUID uploadId, String step, StepOutcome outcome, UploadStatus status,
			String reason) {
		return recordKnown(UploadStatusEvent.of(uploadId, PipelineNames.Services.INGEST, step, outcome, status, reason,
				this.clock.instant()));
	}

	/**
	 * Moves a redrivable upload, locked in the caller's transaction, back to {@code PROCESSING} and records the step
	 * {@code ingest/redrive} {@code STARTED} whose attempt is the new run.
	 * @return the number of the run that starts (2 for the first redrive)
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public int redriveStarted(Upload upload, Instant now) {
		UploadStatus before = upload.status();
		int run = upload.redrive(now);
		this.metrics.entered(upload.kind(), upload.status());
		this.steps.save(UploadStep.redriveStarted(upload.id(), before, run, now, this.tracing.currentTraceId()));
		return run;
	}

	/**
	 * Clears the reasons of every step the upload has so far, in the caller's transaction: an erased upload's timeline
	 * stays as a tombstone (services, steps, outcomes, times) without the personal data a reason may carry (a
	 * customer's e-mail, a CRM contact id).
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void clearReasons(UUID uploadId) {
		this.steps.clearReasons(uploadId);
	}

	/** Every step report of the upload, oldest first, as received. */
	@Transactional(readOnly = true)
	public List<TimelineStep> stepsOf(UUID uploadId) {
		return this.steps.findByUploadIdOrderByOccurredAtAscRecordedAtAsc(uploadId)
			.stream()
			.map(UploadStep::toView)
			.toList();
	}

	/** Records a step ingest ran on the upload stored under {@code objectKey}, if one is ({@link #recordOwnStep}). */
	@Transactional
	public void recordOwnStepForObject(String objectKey, String step, StepOutcome outcome, String reason) {
		this.uploads.findByObjectKey(objectKey)
			.ifPresent((upload) -> recordOwnStep(upload.id(), step, outcome, reason));
	}

	/**
	 * Records a reported step. A report for an upload ingest does not know is recorded after registering the upload
	 * when the report names its object in the uploads bucket ({@link UnknownUploads}: a file another system dropped
	 * there); otherwise it is dropped with a warning ({@link Recorded#UNKNOWN_UPLOAD}). The object is looked up
	 * outside the transaction; an S3 failure propagates, so the report comes back later.
	 */
	public Recorded record(UploadStatusEvent event) {
		Recorded recorded = this.transaction.execute((status) -> recordKnown(event));
		if (recorded == Recorded.UNKNOWN_UPLOAD && event.key() != null) {
			Optional<UUID> upload = this.unknownUploads.getObject().registerReported(event);
			if (upload.isPresent()) {
				UploadStatusEvent about = about(event, upload.get());
				recorded = this.transaction.execute((status) -> recordKnown(about));
			}
		}
		if (recorded == Recorded.UNKNOWN_UPLOAD) {
			logger.warn("Status event {} ({} {} {}) names unknown upload {}{}; dropped", event.eventId(),
					event.service(), event.step(), event.outcome(), event.uploadId(),
					(event.key() != null) ? " (object s3://" + event.bucket() + "/" + event.key() + ")" : "");
		}
		return recorded;
	}

	/** The report, recorded on {@code uploadId} (the object's upload when the report names it by another id). */
	private static UploadStatusEvent about(UploadStatusEvent event, UUID uploadId) {
		if (uploadId.equals(event.uploadId())) {
			return event;
		}
		logger.debug("Status event {} names upload {}, recorded on upload {} of s3://{}/{}", event.eventId(),
				event.uploadId(), uploadId, event.bucket(), event.key());
		return new UploadStatusEvent(event.eventId(), uploadId, event.service(), event.step(), event.outcome(),
				event.status(), event.reason(), event.attempt(), event.occurredAt(), event.bucket(), event.key());
	}

	private Recorded recordKnown(UploadStatusEvent event) {
		Optional<Upload> found = this.uploads.findForUpdate(event.uploadId());
		if (found.isEmpty()) {
			return Recorded.UNKNOWN_UPLOAD;
		}
		if (this.steps.existsByEventId(event.eventId())) {
			logger.debug("Status event {} for upload {} already recorded", event.eventId(), event.uploadId());
			return Recorded.DUPLICATE;
		}
		Upload upload = found.get();
		Instant now = this.clock.instant();
		List<UploadStep> earlier = this.steps.findByUploadIdAndServiceAndStepOrderByOccurredAtAscRecordedAtAsc(
				upload.id(), event.service(), event.step());
		UploadStep step = this.steps.save(UploadStep.reported(upload.id(), event, now, this.tracing.currentTraceId()));
		measureRuns(earlier, step);
		if (!PipelineNames.Services.INGEST.equals(event.service())) {
			upload.objectSeen();
			if (upload.isErased()) {
				// A service was still at work when the upload was erased: whatever it wrote goes too (at least once).
				logger.info("Upload {} was erased; {} {} reported late, its objects are deleted again", upload.id(),
						event.service(), event.step());
				this.events.publishEvent(ObjectsDeletionRequested.everything(upload));
			}
		}
		UploadStatus before = upload.status();
		if (upload.isFromEarlierRun(event.occurredAt())) {
			upload.stepRecorded(null, now);
			logger.info("Upload {} stays {}: {} from {} {} happened before the last redrive", upload.id(), before,
					event.status(), event.service(), event.step());
			return Recorded.STEP_ONLY;
		}
		if (upload.stepRecorded(event.status(), now)) {
			logger.info("Upload {}: {} -> {} ({} {} {})", upload.id(), before, upload.status(), event.service(),
					event.step(), event.outcome());
			this.metrics.entered(upload.kind(), upload.status());
			if (upload.status().isTerminal() && !upload.isErased()) {
				// Stored in the outbox with this transaction: notifications only for a committed terminal status.
				this.events.publishEvent(UploadFinished.of(upload, event.reason()));
			}
			return Recorded.STATUS_CHANGED;
		}
		if (event.status() != null && event.status() != before) {
			logger.info("Upload {} stays {}: late or backward {} from {} {}", upload.id(), before, event.status(),
					event.service(), event.step());
		}
		return Recorded.STEP_ONLY;
	}

	/**
	 * Times the runs of a step that the new report finished: a run that now has both its {@code STARTED} report and
	 * the report that ended it, and did not before (the end arrived, or a late {@code STARTED} arrived after the end).
	 */
	private void measureRuns(List<UploadStep> earlier, UploadStep added) {
		List<TimelineStep> before = earlier.stream().map(UploadStep::toView).toList();
		List<TimelineStep> after = new ArrayList<>(before);
		after.add(added.toView());
		after.sort(Comparator.comparing(TimelineStep::occurredAt));
		Set<Instant> starts = new HashSet<>();
		after.stream()
			.filter((step) -> step.outcome() == StepOutcome.STARTED)
			.forEach((step) -> starts.add(step.occurredAt()));
		List<TimelineRun> runsBefore = TimelineRun.of(before);
		for (TimelineRun run : TimelineRun.of(after)) {
			if (run.endedAt() != null && run.outcome() != StepOutcome.STARTED && starts.contains(run.startedAt())
					&& !runsBefore.contains(run)) {
				this.metrics.stepFinished(run.service(), run.step(), run.outcome(),
						Duration.between(run.startedAt(), run.endedAt()));
			}
		}
	}

}
