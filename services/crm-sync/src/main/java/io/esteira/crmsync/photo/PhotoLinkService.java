package io.esteira.crmsync.photo;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.esteira.crmsync.config.CrmProperties;
import io.esteira.crmsync.crm.CrmClient;
import io.esteira.crmsync.crm.CrmRejectedException;
import io.esteira.crmsync.crm.CrmUnavailableException;
import io.esteira.shared.event.ImageProcessedEvent;
import io.esteira.shared.event.StepOutcome;
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
 * <li>An upload already recorded (any status) is left alone: redeliveries and duplicates do nothing.</li>
 * <li>No contact on the upload: {@link CrmSyncStatus#NEEDS_REVIEW}, no CRM call.</li>
 * <li>The contact already shows a newer image: {@link CrmSyncStatus#SUPERSEDED}, no CRM call.</li>
 * <li>The CRM refuses the update ({@link CrmRejectedException}): {@link CrmSyncStatus#NEEDS_REVIEW}.</li>
 * <li>The CRM is unavailable ({@link CrmUnavailableException}): nothing is recorded and the exception propagates,
 * so the message comes back after its visibility timeout (and goes to the dead-letter queue in the end).</li>
 * </ul>
 */
@Service
public class PhotoLinkService {

	static final String SERVICE = "crm-sync";

	static final String STEP = "crm-sync";

	/** The rendition whose permalink goes on the contact (ingest serves {@code /files/{uploadId}/256}). */
	static final String RENDITION = "256";

	private static final Logger logger = LoggerFactory.getLogger(PhotoLinkService.class);

	private final CrmSyncRepository syncs;

	private final CrmClient crm;

	private final ApplicationEventPublisher events;

	private final CrmProperties settings;

	private final Clock clock;

	PhotoLinkService(CrmSyncRepository syncs, CrmClient crm, ApplicationEventPublisher events,
			CrmProperties settings, Clock clock) {
		this.syncs = syncs;
		this.crm = crm;
		this.events = events;
		this.settings = settings;
		this.clock = clock;
	}

	/**
	 * Syncs the photo link of one processed image.
	 * @param attempt which delivery of the event this is (1 for the first)
	 * @return how the upload's sync stands after this call
	 * @throws CrmUnavailableException when the CRM should be tried again later
	 * @throws MalformedImageEventException when the event has no upload id or time
	 */
	@Transactional
	public CrmSyncStatus sync(ImageProcessedEvent event, int attempt) {
		PhotoLink photo = photoLink(event);
		this.syncs.lockUntilCommit((photo.contactId() != null) ? "crm-sync:contact:" + photo.contactId()
				: "crm-sync:upload:" + photo.uploadId());
		Optional<CrmSync> recorded = this.syncs.findById(photo.uploadId());
		if (recorded.isPresent()) {
			logger.debug("Upload {} already {}; duplicate event {} ignored", photo.uploadId(),
					recorded.get().status(), event.eventId());
			return recorded.get().status();
		}
		if (photo.contactId() == null) {
			return needsReview(photo, "no CRM contact on the upload", attempt);
		}
		Optional<CrmSync> newer = this.syncs.findNewerSync(photo.contactId(), photo.occurredAt());
		if (newer.isPresent()) {
			return superseded(photo, newer.get(), attempt);
		}
		try {
			this.crm.updateContactProperty(photo.contactId(), photo.property(), photo.link());
		}
		catch (CrmRejectedException ex) {
			return needsReview(photo, ex.getMessage(), attempt);
		}
		Instant now = this.clock.instant();
		this.syncs.save(CrmSync.synced(photo, now, attempt));
		report(photo, StepOutcome.SUCCEEDED, UploadStatus.COMPLETED,
				"photo link set on contact " + photo.contactId(), attempt, now);
		logger.info("Photo link of upload {} set on contact {}", photo.uploadId(), photo.contactId());
		return CrmSyncStatus.SYNCED;
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
		return base + "/files/" + uploadId + "/" + RENDITION;
	}

	private CrmSyncStatus needsReview(PhotoLink photo, String reason, int attempt) {
		Instant now = this.clock.instant();
		this.syncs.save(CrmSync.needsReview(photo, reason, now, attempt));
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
