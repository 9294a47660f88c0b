package io.esteira.ingest.upload.redrive;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.s3.S3Events;
import io.esteira.ingest.storage.S3Objects;
import io.esteira.ingest.upload.OriginalExpiredException;
import io.esteira.ingest.upload.RedriveRequested;
import io.esteira.ingest.upload.Upload;
import io.esteira.ingest.upload.UploadErasedException;
import io.esteira.ingest.upload.UploadNotFoundException;
import io.esteira.ingest.upload.UploadNotRedrivableException;
import io.esteira.ingest.upload.UploadRepository;
import io.esteira.ingest.upload.timeline.UploadTimeline;
import io.esteira.platform.security.EsteiraPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code POST /api/uploads/{id}/retry}: re-runs a {@code FAILED}, {@code NEEDS_REVIEW} or stuck upload, at any age,
 * by announcing its object (still in the uploads bucket) to its kind's queue again, like a new S3 event
 * ({@link RedriveSender}). The upload goes back to {@code PROCESSING} with a step {@code ingest/redrive} (attempt =
 * the run number), so the timeline keeps both runs. Idempotent: asking again while the redrive runs changes nothing
 * and sends nothing.
 */
@Service
class UploadRedrive {

	private static final Logger logger = LoggerFactory.getLogger(UploadRedrive.class);

	private final UploadRepository uploads;

	private final UploadTimeline timeline;

	private final S3Objects objects;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transaction;

	private final Clock clock;

	UploadRedrive(UploadRepository uploads, UploadTimeline timeline, S3Objects objects,
			ApplicationEventPublisher events, PlatformTransactionManager transactionManager, Clock clock) {
		this.uploads = uploads;
		this.timeline = timeline;
		this.objects = objects;
		this.events = events;
		this.transaction = new TransactionTemplate(transactionManager);
		this.clock = clock;
	}

	/** What a retry request did. */
	record Outcome(UUID uploadId, UploadStatus status, int run, boolean started) {
	}

	/**
	 * @throws UploadNotFoundException if there is no such upload, or the caller may not see it (the same answer)
	 * @throws UploadErasedException (409) if it was erased
	 * @throws OriginalExpiredException if the retention job deleted its original
	 * @throws UploadNotRedrivableException if it is not FAILED or NEEDS_REVIEW, or its object is gone
	 */
	Outcome retry(UUID id, EsteiraPrincipal caller) {
		Upload current = this.uploads.findById(id)
			.filter((found) -> found.isVisibleTo(caller))
			.orElseThrow(() -> new UploadNotFoundException(id));
		requireOriginal(current);
		if (current.isRedriving()) {
			return new Outcome(id, current.status(), current.redrives() + 1, false);
		}
		if (!current.isRedrivable()) {
			throw new UploadNotRedrivableException(id, current.status());
		}
		HeadObjectResponse object = this.objects.head(current.bucket(), current.objectKey())
			.orElseThrow(() -> new UploadNotRedrivableException(id, "its object is no longer in the uploads bucket"));
		return this.transaction.execute((status) -> {
			Upload upload = this.uploads.findForUpdate(id).orElseThrow(() -> new UploadNotFoundException(id));
			requireOriginal(upload);
			if (upload.isRedriving()) {
				// another request won the race
				return new Outcome(id, upload.status(), upload.redrives() + 1, false);
			}
			if (!upload.isRedrivable()) {
				throw new UploadNotRedrivableException(id, upload.status());
			}
			Instant now = this.clock.instant();
			UploadStatus before = upload.status();
			int run = this.timeline.redriveStarted(upload, now);
			this.events.publishEvent(new RedriveRequested(id, upload.kind(), upload.bucket(), upload.objectKey(),
					object.contentLength(), S3Events.unquoteETag(object.eTag()), run, now));
			logger.info("Upload {}: {} -> PROCESSING, redrive run {}", id, before, run);
			return new Outcome(id, upload.status(), run, true);
		});
	}

	/** An erased upload, or one whose original expired, has nothing left to run again. */
	private static void requireOriginal(Upload upload) {
		if (upload.isErased()) {
			throw UploadErasedException.conflict(upload.id());
		}
		if (upload.originalDeletedAt() != null) {
			throw new OriginalExpiredException(upload.id());
		}
	}

}
