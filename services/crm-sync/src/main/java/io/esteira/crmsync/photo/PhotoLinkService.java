package io.esteira.crmsync.photo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.esteira.crmsync.config.CrmProperties;
import io.esteira.crmsync.contact.ContactResolution;
import io.esteira.crmsync.contact.ContactResolver;
import io.esteira.crmsync.crm.CrmClient;
import io.esteira.crmsync.crm.CrmRejectedException;
import io.esteira.crmsync.crm.CrmUnavailableException;
import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.contracts.event.PipelineNames;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.Thumbnails;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

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
 * <p>
 * <b>No transaction spans a CRM call</b>, so no connection or lock is held while HubSpot answers or the rate limit
 * waits. Once per upload is kept by claims instead (table {@code crm_sync_claims}, a row per claimed key):
 * <ol>
 * <li><em>claim the upload</em> (short transaction under the upload's advisory lock): a recorded upload ends the
 * delivery; otherwise row {@code upload:<id>} is inserted with this delivery's token and the time, or taken over
 * when older than {@code esteira.crm.retry.sync-lease} (its holder is presumed dead). Held by a live delivery: this
 * one fails with {@link CrmUnavailableException} whose {@code Retry-After} is the rest of the lease, so it comes back
 * when the holder has recorded the upload (and finds it) or when the lease has run out (and takes over);</li>
 * <li>resolve the contact (CRM calls, no transaction);</li>
 * <li><em>claim the contact</em> ({@code contact:<id>}, same rules) and look for a newer image of it, so that images
 * of one contact are synced one at a time and "newer image wins" cannot race;</li>
 * <li>update the contact (CRM call, no transaction);</li>
 * <li><em>record</em> (short transaction under the upload's advisory lock): the row and its status events (the
 * outbox) commit together, unless the upload is already recorded (a delivery that took over an expired claim got
 * there first: its outcome stands, nothing is sent twice);</li>
 * <li>give the claims back, whatever happened (a crash leaves them to expire).</li>
 * </ol>
 * Only a delivery that outlives its lease can race another: both then send the same {@code PATCH} (harmless) and
 * only the first record counts. A claim held on the policy's last attempt ends that delivery as {@code FAILED},
 * like any other failure on it.
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

	private final TransactionTemplate transactions;

	PhotoLinkService(CrmSyncRepository syncs, ContactResolver contacts, CrmClient crm,
			ApplicationEventPublisher events, CrmProperties settings, Clock clock, TransactionTemplate transactions) {
		this.syncs = syncs;
		this.contacts = contacts;
		this.crm = crm;
		this.events = events;
		this.settings = settings;
		this.clock = clock;
		this.transactions = transactions;
	}

	/**
	 * Syncs the photo link of one processed image, in short transactions around the CRM calls (see the class
	 * comment for the claims that keep it once per upload).
	 * @param attempt which delivery of the event this is (1 for the first)
	 * @param maxAttempts the step's retry policy's attempts in all (a {@code FAILED} upload delivered again within
	 * them was redriven from the dead-letter queue, and is tried again)
	 * @return how the upload's sync stands after this call ({@link CrmSyncStatus#FAILED} only when this delivery
	 * comes after the last attempt: it is on its way to the dead-letter queue)
	 * @throws CrmUnavailableException when the CRM should be tried again later, or another delivery holds the
	 * upload's or the contact's claim (then with the rest of that claim's lease as {@code Retry-After})
	 * @throws MalformedImageEventException when the event has no upload id or time
	 */
	public CrmSyncStatus sync(ImageProcessedEvent event, int attempt, int maxAttempts) {
		PhotoLink requested = photoLink(event);
		// The step's start, sent with its end (the outbox sends both after the record's commit): ingest times the step.
		Instant started = this.clock.instant();
		UUID token = UUID.randomUUID();
		Optional<CrmSyncStatus> recorded = this.transactions
			.execute((tx) -> claimUpload(requested, event, token, attempt, maxAttempts));
		if (recorded.isPresent()) {
			return recorded.get();
		}
		try {
			ContactResolution resolution;
			try {
				resolution = this.contacts.resolve(requested.contactId(), event.customerEmail(),
						event.customerPhone());
			}
			catch (CrmRejectedException ex) {
				// The CRM refused a lookup (e.g. a search it cannot run): a person has to look.
				return needsReview(requested, ex.getMessage(), attempt, started, null);
			}
			return switch (resolution) {
				case ContactResolution.NotFound notFound ->
					needsReview(requested, notFound.reason(), attempt, started, null);
				case ContactResolution.Ambiguous ambiguous -> needsReview(requested, ambiguous.reason(), attempt,
						started, (sync) -> sync.withCandidates(ambiguous.candidates()));
				case ContactResolution.Found found ->
					update(requested.forContact(found.contact().id()), found, token, attempt, started);
			};
		}
		finally {
			this.transactions.executeWithoutResult((tx) -> this.syncs.releaseClaims(token));
		}
	}

	/** The recorded status when there is nothing to do, else empty with the upload claimed by {@code token}. */
	private Optional<CrmSyncStatus> claimUpload(PhotoLink requested, ImageProcessedEvent event, UUID token,
			int attempt, int maxAttempts) {
		this.syncs.lockUntilCommit("crm-sync:upload:" + requested.uploadId());
		Optional<CrmSync> recorded = this.syncs.findById(requested.uploadId());
		if (recorded.isPresent()) {
			if (recorded.get().status() != CrmSyncStatus.FAILED || attempt > maxAttempts) {
				logger.debug("Upload {} already {}; duplicate event {} ignored", requested.uploadId(),
						recorded.get().status(), event.eventId());
				return recorded.map(CrmSync::status);
			}
			// Redriven from the dead-letter queue: try again.
			this.syncs.delete(recorded.get());
			this.syncs.flush();
		}
		claim("upload:" + requested.uploadId(), token);
		return Optional.empty();
	}

	private void claim(String key, UUID token) {
		Instant now = this.clock.instant();
		Duration lease = this.settings.retry().syncLease();
		if (this.syncs.claim(key, token, now, now.minus(lease)) == 0) {
			Duration rest = this.syncs.claimedAt(key)
				.map((claimedAt) -> Duration.between(now, claimedAt.plus(lease)))
				.filter((remaining) -> !remaining.isNegative())
				.orElse(Duration.ZERO);
			throw new CrmUnavailableException(key + " is being synced by another delivery", rest, null);
		}
	}

	private CrmSyncStatus update(PhotoLink photo, ContactResolution.Found found, UUID token, int attempt,
			Instant started) {
		// Images of one contact one at a time, so that "newer image wins" cannot race.
		Optional<CrmSync> newer = this.transactions.execute((tx) -> {
			claim("contact:" + photo.contactId(), token);
			return this.syncs.findNewerSync(photo.contactId(), photo.occurredAt());
		});
		if (newer.isPresent()) {
			return superseded(photo, newer.get(), attempt, started);
		}
		try {
			this.crm.updateContactProperty(photo.contactId(), photo.property(), photo.link());
		}
		catch (CrmRejectedException ex) {
			return needsReview(photo, ex.getMessage(), attempt, started,
					(sync) -> sync.resolvedBy(found.by(), found.contact().ownerId()));
		}
		return record(photo, attempt, started, (now) -> {
			this.syncs.save(CrmSync.synced(photo, now, attempt).resolvedBy(found.by(), found.contact().ownerId()));
			report(photo, StepOutcome.SUCCEEDED, UploadStatus.COMPLETED,
					"photo link set on contact " + photo.contactId() + " (found by " + found.by() + ")", attempt, now);
			logger.info("Photo link of upload {} set on contact {} (found by {})", photo.uploadId(),
					photo.contactId(), found.by());
			return CrmSyncStatus.SYNCED;
		});
	}

	/**
	 * Records the outcome and its status events in one transaction, unless a delivery that took over an expired
	 * claim recorded the upload first: then its status stands and nothing is sent twice.
	 */
	private CrmSyncStatus record(PhotoLink photo, int attempt, Instant started,
			java.util.function.Function<Instant, CrmSyncStatus> outcome) {
		return this.transactions.execute((tx) -> {
			this.syncs.lockUntilCommit("crm-sync:upload:" + photo.uploadId());
			Optional<CrmSync> recorded = this.syncs.findById(photo.uploadId());
			if (recorded.isPresent()) {
				return recorded.get().status();
			}
			report(photo, StepOutcome.STARTED, null, null, attempt, started);
			return outcome.apply(this.clock.instant());
		});
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

	private CrmSyncStatus needsReview(PhotoLink photo, String reason, int attempt, Instant started,
			java.util.function.UnaryOperator<CrmSync> details) {
		return record(photo, attempt, started, (now) -> {
			CrmSync sync = CrmSync.needsReview(photo, reason, now, attempt);
			this.syncs.save((details != null) ? details.apply(sync) : sync);
			report(photo, StepOutcome.NEEDS_REVIEW, UploadStatus.NEEDS_REVIEW, reason, attempt, now);
			logger.warn("Photo link of upload {} needs review: {}", photo.uploadId(), reason);
			return CrmSyncStatus.NEEDS_REVIEW;
		});
	}

	private CrmSyncStatus superseded(PhotoLink photo, CrmSync newer, int attempt, Instant started) {
		return record(photo, attempt, started, (now) -> {
			String reason = "contact " + photo.contactId() + " already shows the newer image of upload "
					+ newer.uploadId();
			this.syncs.save(CrmSync.superseded(photo, reason, now, attempt));
			report(photo, StepOutcome.SKIPPED, UploadStatus.COMPLETED, reason, attempt, now);
			logger.info("Photo link of upload {} not sent: {}", photo.uploadId(), reason);
			return CrmSyncStatus.SUPERSEDED;
		});
	}

	private void report(PhotoLink photo, StepOutcome outcome, UploadStatus status, String reason, int attempt,
			Instant now) {
		this.events.publishEvent(new UploadStatusEvent(UUID.randomUUID(), photo.uploadId(), SERVICE, STEP, outcome,
				status, reason, attempt, now));
	}

}
