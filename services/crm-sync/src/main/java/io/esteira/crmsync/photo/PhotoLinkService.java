package io.esteira.crmsync.photo;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.esteira.crmsync.config.CrmProperties;
import io.esteira.crmsync.contact.ContactResolution;
import io.esteira.crmsync.contact.ContactResolver;
import io.esteira.crmsync.crm.CrmClient;
import io.esteira.crmsync.crm.CrmRejectedException;
import io.esteira.crmsync.crm.CrmUnavailableException;
import io.esteira.shared.event.ImageProcessedEvent;
import io.esteira.shared.event.PipelineNames;
import io.esteira.shared.event.StepOutcome;
import io.esteira.shared.event.Thumbnails;
import io.esteira.shared.event.UploadStatus;
import io.esteira.shared.event.UploadStatusEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Puts the permalink of an upload's thumbnail on its CRM contact, exactly once per upload, and reports the
 * {@code crm-sync} step to ingest through the outbox.
 * <ul>
 * <li>An upload already recorded is left alone: redeliveries and duplicates do nothing here (a {@code FAILED} one is
 * tried again when its message was redriven from the dead-letter queue).</li>
 * <li>The contact is resolved ({@link ContactResolver}: id, email, phone); none or several:
 * {@link CrmSyncStatus#NEEDS_REVIEW} with the candidates, no update.</li>
 * <li>The contact already shows a newer image: {@link CrmSyncStatus#SUPERSEDED}, no update.</li>
 * <li>The CRM refuses the update ({@link CrmRejectedException}): {@link CrmSyncStatus#NEEDS_REVIEW}.</li>
 * <li>The CRM is unavailable ({@link CrmUnavailableException}): nothing is recorded and the exception propagates;
 * when retries ran out the listener calls {@link #fail}.</li>
 * </ul>
 */
@Service
public class PhotoLinkService {

	static final String SERVICE = PipelineNames.Services.CRM_SYNC;

	static final String STEP = PipelineNames.Steps.CRM_SYNC;

	/** The rendition whose permalink goes on the contact. */
	static final String RENDITION = Thumbnails.CRM_RENDITION;

	private static final Logger logger = LoggerFactory.getLogger(PhotoLinkService.class);

	private final CrmSyncRepository syncs;

	private final ContactResolver contacts;

	private final CrmClient crm;

	private final ApplicationEventPublisher events;

	private final CrmProperties settings;

	private final Clock clock;

	PhotoLinkService(CrmSyncRepository syncs, ContactResolver contacts, CrmClient crm,
			ApplicationEventPublisher events, CrmProperties settings, Clock clock) {
		this.syncs = syncs;
		this.contacts = contacts;
		this.crm = crm;
		this.events = events;
		this.settings = settings;
		this.clock = clock;
	}

	/**
	 * Syncs the photo link of one processed image.
	 * @param attempt which delivery of the event this is (1 for the first)
	 * @param maxAttempts the step's retry policy's attempts in all (a {@code FAILED} upload delivered again within
	 * them was redriven from the dead-letter queue, and is tried again)
	 * @return how the upload's sync stands after this call ({@link CrmSyncStatus#FAILED} only when this delivery
	 * comes after the last attempt: it is on its way to the dead-letter queue)
	 * @throws CrmUnavailableException when the CRM should be tried again later
	 * @throws MalformedImageEventException when the event has no upload id or time
	 */
	@Transactional
	public CrmSyncStatus sync(ImageProcessedEvent event, int attempt, int maxAttempts) {
		PhotoLink requested = photoLink(event);
		// Upload first, contact second: every delivery takes the locks in this order.
		this.syncs.lockUntilCommit("crm-sync:upload:" + requested.uploadId());
		Optional<CrmSync> recorded = this.syncs.findById(requested.uploadId());
		if (recorded.isPresent()) {
			if (recorded.get().status() != CrmSyncStatus.FAILED || attempt > maxAttempts) {
				logger.debug("Upload {} already {}; duplicate event {} ignored", requested.uploadId(),
						recorded.get().status(), event.eventId());
				return recorded.get().status();
			}
			// Redriven from the dead-letter queue: try again.
			this.syncs.delete(recorded.get());
			this.syncs.flush();
		}
		// The step's start, sent with its end (the outbox sends both after the commit): ingest times the step.
		report(requested, StepOutcome.STARTED, null, null, attempt, this.clock.instant());
		ContactResolution resolution;
		try {
			resolution = this.contacts.resolve(requested.contactId(), event.customerEmail(), event.customerPhone());
		}
		catch (CrmRejectedException ex) {
			// The CRM refused a lookup (e.g. a search it cannot run): a person has to look.
			return needsReview(requested, ex.getMessage(), attempt, null);
		}
		return switch (resolution) {
			case ContactResolution.NotFound notFound -> needsReview(requested, notFound.reason(), attempt, null);
			case ContactResolution.Ambiguous ambiguous -> needsReview(requested, ambiguous.reason(), attempt,
					(sync) -> sync.withCandidates(ambiguous.candidates()));
			case ContactResolution.Found found -> update(requested.forContact(found.contact().id()), found, attempt);
		};
	}

	private CrmSyncStatus update(PhotoLink photo, ContactResolution.Found found, int attempt) {
		this.syncs.lockUntilCommit("crm-sync:contact:" + photo.contactId());
		Optional<CrmSync> newer = this.syncs.findNewerSync(photo.contactId(), photo.occurredAt());
		if (newer.isPresent()) {
			return superseded(photo, newer.get(), attempt);
		}
		try {
			this.crm.updateContactProperty(photo.contactId(), photo.property(), photo.link());
		}
		catch (CrmRejectedException ex) {
			return needsReview(photo, ex.getMessage(), attempt,
					(sync) -> sync.resolvedBy(found.by(), found.contact().ownerId()));
		}
		Instant now = this.clock.instant();
		this.syncs.save(CrmSync.synced(photo, now, attempt).resolvedBy(found.by(), found.contact().ownerId()));
		report(photo, StepOutcome.SUCCEEDED, UploadStatus.COMPLETED,
				"photo link set on contact " + photo.contactId() + " (found by " + found.by() + ")", attempt, now);
		logger.info("Photo link of upload {} set on contact {} (found by {})", photo.uploadId(), photo.contactId(),
				found.by());
		return CrmSyncStatus.SYNCED;
	}

	/**
	 * Retries ran out: records the upload as {@link CrmSyncStatus#FAILED} with the last error and reports the step
	 * failed. An upload already recorded (e.g. synced, but its task could not be created) only keeps the error.
	 */
	@Transactional
	public void fail(ImageProcessedEvent event, int attempt, String lastError) {
		PhotoLink photo = photoLink(event);
		this.syncs.lockUntilCommit("crm-sync:upload:" + photo.uploadId());
		Optional<CrmSync> recorded = this.syncs.findById(photo.uploadId());
		if (recorded.isPresent()) {
			recorded.get().lastError(lastError);
			return;
		}
		Instant now = this.clock.instant();
		String reason = "gave up after " + attempt + " attempts: " + lastError;
		this.syncs.save(CrmSync.failed(photo, reason, now, attempt));
		report(photo, StepOutcome.FAILED, UploadStatus.FAILED, reason, attempt, now);
		logger.error("Photo link of upload {} failed: {}", photo.uploadId(), reason);
	}

	private PhotoLink photoLink(ImageProcessedEvent event) {
		if (event.uploadId() == null || event.occurredAt() == null) {
			throw new MalformedImageEventException(
					"Image event " + event.eventId() + " has no " + ((event.uploadId() == null) ? "uploadId" : "occurredAt"));
		}
		String contactId = event.crmContactId();
		if (contactId != null) {
			contactId = contactId.strip();
		}
		return new PhotoLink(event.uploadId(), (contactId == null || contactId.isEmpty()) ? null : contactId,
				this.settings.photoProperty(), permalink(event.uploadId()), event.occurredAt());
	}

	private String permalink(UUID uploadId) {
		String base = this.settings.publicBaseUrl();
		while (base.endsWith("/")) {
			base = base.substring(0, base.length() - 1);
		}
		return base + Thumbnails.permalinkPath(uploadId, RENDITION);
	}

	private CrmSyncStatus needsReview(PhotoLink photo, String reason, int attempt,
			java.util.function.UnaryOperator<CrmSync> details) {
		Instant now = this.clock.instant();
		CrmSync sync = CrmSync.needsReview(photo, reason, now, attempt);
		this.syncs.save((details != null) ? details.apply(sync) : sync);
		report(photo, StepOutcome.NEEDS_REVIEW, UploadStatus.NEEDS_REVIEW, reason, attempt, now);
		logger.warn("Photo link of upload {} needs review: {}", photo.uploadId(), reason);
		return CrmSyncStatus.NEEDS_REVIEW;
	}

	private CrmSyncStatus superseded(PhotoLink photo, CrmSync newer, int attempt) {
		Instant now = this.clock.instant();
		String reason = "contact " + photo.contactId() + " already shows the newer image of upload "
				+ newer.uploadId();
		this.syncs.save(CrmSync.superseded(photo, reason, now, attempt));
		report(photo, StepOutcome.SKIPPED, UploadStatus.COMPLETED, reason, attempt, now);
		logger.info("Photo link of upload {} not sent: {}", photo.uploadId(), reason);
		return CrmSyncStatus.SUPERSEDED;
	}

	private void report(PhotoLink photo, StepOutcome outcome, UploadStatus status, String reason, int attempt,
			Instant now) {
		this.events.publishEvent(new UploadStatusEvent(UUID.randomUUID(), photo.uploadId(), SERVICE, STEP, outcome,
				status, reason, attempt, now));
	}

}
