package io.esteira.crmsync.photo;

import java.time.Duration;
import java.time.Instant;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadErasedEvent;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.crmsync.config.CrmProperties;
import io.esteira.crmsync.crm.CrmConnection;
import io.esteira.crmsync.crm.CrmConnections;
import io.esteira.crmsync.crm.CrmOutcome;
import io.esteira.crmsync.crm.CrmUnavailableException;
import io.esteira.platform.logging.PersonalData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Erases uploads at their customer's request (LGPD, {@link UploadErasedEvent} on the image-events queue), a batch of
 * one tenant at a time, through the tenant's CRM connection (same client, rate limit and retry policy as syncs):
 * <ol>
 * <li><em>record</em> the erasure (short transaction, under the upload's lock and claim, so that no sync of the upload
 * runs meanwhile): the row becomes {@link CrmSyncStatus#ERASED} — final: a later or redelivered image event of the
 * upload does nothing — and keeps nothing of the customer (candidates, reasons, errors, owner). An upload never seen
 * here is recorded erased all the same (its image event may still come);</li>
 * <li>when the upload's link was on a contact ({@link CrmSyncStatus#SYNCED}): <em>clear</em> the photo property there
 * only if it still holds this upload's permalink (a newer photo stays), under the contact's claim;</li>
 * <li><em>note</em> it on the contact ({@code esteira.crm.erasure.note}, nothing of the customer), once
 * ({@link OwnerNotifications#noteErasures}).</li>
 * </ol>
 * Each step is recorded when done ({@code photo_cleared_at}, {@code erasure_note_id}), so a redelivered erasure
 * makes no second call. The step {@code crm-sync} is reported to ingest ({@code SUCCEEDED}, no status of the upload)
 * when the property is handled. The CRM unavailable: retried as syncs are.
 */
@Service
class PhotoErasures {

	private static final Logger logger = LoggerFactory.getLogger(PhotoErasures.class);

	/** How soon the erasure of another upload of the same contact in the batch comes back. */
	private static final Duration SAME_CONTACT_DELAY = Duration.ofSeconds(2);

	private final CrmSyncRepository syncs;

	private final CrmConnections connections;

	private final OwnerNotifications notifications;

	private final PhotoLinkService photoLinks;

	private final ApplicationEventPublisher events;

	private final CrmProperties settings;

	private final Clock clock;

	private final TransactionTemplate transactions;

	PhotoErasures(CrmSyncRepository syncs, CrmConnections connections, OwnerNotifications notifications,
			PhotoLinkService photoLinks, ApplicationEventPublisher events, CrmProperties settings, Clock clock,
			TransactionTemplate transactions) {
		this.syncs = syncs;
		this.connections = connections;
		this.notifications = notifications;
		this.photoLinks = photoLinks;
		this.events = events;
		this.settings = settings;
		this.clock = clock;
		this.transactions = transactions;
	}

	/** Erases the uploads of these deliveries (all of {@code tenant}); a verdict for each. */
	Map<ImageEventDelivery, Verdict> erase(String tenant, List<ImageEventDelivery> deliveries) {
		Map<ImageEventDelivery, Verdict> verdicts = new LinkedHashMap<>();
		Map<UUID, ImageEventDelivery> firsts = new LinkedHashMap<>();
		Map<String, CrmSync> toClear = new LinkedHashMap<>();
		Map<UUID, ImageEventDelivery> toNote = new LinkedHashMap<>();
		Optional<CrmConnection> connection = this.connections.forTenant(tenant);
		UUID token = UUID.randomUUID();
		try {
			for (ImageEventDelivery delivery : deliveries) {
				UUID uploadId = delivery.erasure().uploadId();
				if (firsts.putIfAbsent(uploadId, delivery) != null) {
					continue;
				}
				Optional<Verdict> early = this.transactions.execute((tx) -> record(delivery, connection, token,
						toClear));
				if (early.isPresent()) {
					verdicts.put(delivery, early.get());
				}
				else {
					toNote.put(uploadId, delivery);
				}
			}
			if (!toClear.isEmpty()) {
				clear(connection.orElseThrow(), toClear, firsts, verdicts);
			}
			toNote.keySet().removeIf((uploadId) -> verdicts.containsKey(firsts.get(uploadId)));
			if (!toNote.isEmpty() && connection.isPresent()) {
				this.notifications.noteErasures(connection.get(), toNote.keySet())
					.forEach((uploadId, failure) -> verdicts.put(toNote.get(uploadId), Verdict.of(failure)));
			}
		}
		catch (CrmUnavailableException ex) {
			firsts.values().forEach((delivery) -> verdicts.putIfAbsent(delivery, Verdict.of(ex)));
		}
		finally {
			this.transactions.executeWithoutResult((tx) -> this.syncs.releaseClaims(token));
		}
		// A duplicate in the batch is done with its first; the first's verdict is its own (done when nothing said).
		Map<ImageEventDelivery, Verdict> all = new LinkedHashMap<>();
		for (ImageEventDelivery delivery : deliveries) {
			ImageEventDelivery first = firsts.get(delivery.erasure().uploadId());
			all.put(delivery, (delivery == first) ? verdicts.getOrDefault(first, Verdict.DONE) : Verdict.DONE);
		}
		return all;
	}

	/**
	 * Records the erasure and decides what is left to do: a verdict when nothing (or not now), else empty — the
	 * row then waits for its contact's property to be cleared (added to {@code toClear}) or its note.
	 */
	private Optional<Verdict> record(ImageEventDelivery delivery, Optional<CrmConnection> connection, UUID token,
			Map<String, CrmSync> toClear) {
		UploadErasedEvent erasure = delivery.erasure();
		UUID uploadId = erasure.uploadId();
		this.syncs.lockUntilCommit("crm-sync:upload:" + uploadId);
		Instant now = this.clock.instant();
		Optional<Duration> held = this.photoLinks.claim("upload:" + uploadId, token);
		if (held.isPresent()) {
			return Optional.of(new Verdict.Defer(held.get(), "upload " + uploadId + " is being synced by another delivery"));
		}
		Optional<CrmSync> recorded = this.syncs.findById(uploadId);
		if (recorded.isEmpty()) {
			this.syncs.save(CrmSync.erased(new PhotoLink(uploadId, null, this.settings.photoProperty(),
					this.photoLinks.permalink(uploadId), erasure.erasedAt() != null ? erasure.erasedAt() : now, 1,
					erasure.tenant()), now));
			report(delivery, StepOutcome.SUCCEEDED, "nothing of the upload was on the CRM", now);
			logger.info("Upload {} erased before it was synced; a later image event of it will do nothing", uploadId);
			return Optional.of(Verdict.DONE);
		}
		CrmSync sync = recorded.get();
		if (!sync.tenant().equals(erasure.tenant())) {
			// Never another tenant's CRM: ingest and the image event disagree, a person has to look.
			return Optional.of(new Verdict.Dead("erasure of upload " + uploadId + " names another tenant than its sync"));
		}
		if (sync.status() != CrmSyncStatus.ERASED) {
			boolean linked = sync.status() == CrmSyncStatus.SYNCED;
			sync.erase(now, linked);
			if (!linked) {
				report(delivery, StepOutcome.SUCCEEDED, "nothing of the upload was on the CRM", now);
				logger.info("Upload {} erased; its photo link was never on a contact", uploadId);
				return Optional.of(Verdict.DONE);
			}
			logger.info("Upload {} erased; clearing its photo link on contact {}", uploadId,
					PhotoLinkService.shown(sync.contactId()));
		}
		if (sync.photoClearedAt() != null) {
			// Only the note may be left (none when the contact is gone from the row).
			return (sync.contactId() == null) ? Optional.of(Verdict.DONE) : Optional.empty();
		}
		if (connection.isEmpty()) {
			sync.photoCleared(now);
			String reason = PhotoLinkService.noConnection(sync.tenant()) + ": the photo link could not be removed "
					+ "from the CRM contact";
			report(delivery, StepOutcome.NEEDS_REVIEW, reason, now);
			logger.warn("Upload {} erased, but {}", uploadId, reason);
			return Optional.of(Verdict.DONE);
		}
		String contactClaim = PhotoLinkService.contactClaim(sync.tenant(), sync.contactId());
		if (toClear.containsKey(sync.contactId())) {
			return Optional.of(new Verdict.Defer(SAME_CONTACT_DELAY, "another erasure of the contact is in the batch"));
		}
		Optional<Duration> contactHeld = this.photoLinks.claim(contactClaim, token);
		if (contactHeld.isPresent()) {
			return Optional.of(new Verdict.Defer(contactHeld.get(), "the contact is being synced by another delivery"));
		}
		toClear.put(sync.contactId(), sync);
		return Optional.empty();
	}

	/** Clears the photo property where it still holds the erased upload's link, and records each outcome. */
	private void clear(CrmConnection connection, Map<String, CrmSync> toClear, Map<UUID, ImageEventDelivery> firsts,
			Map<ImageEventDelivery, Verdict> verdicts) {
		Map<String, String> expected = new LinkedHashMap<>();
		toClear.forEach((contactId, sync) -> expected.put(contactId, sync.link()));
		Map<String, CrmOutcome<Boolean>> outcomes = connection.client()
			.clearContactProperty(this.settings.photoProperty(), expected);
		toClear.forEach((contactId, sync) -> {
			ImageEventDelivery delivery = firsts.get(sync.uploadId());
			CrmOutcome<Boolean> outcome = outcomes.get(contactId);
			switch (outcome) {
				case CrmOutcome.Done<Boolean> done -> cleared(delivery, (done.value()) ? StepOutcome.SUCCEEDED
						: StepOutcome.SKIPPED, (done.value()) ? "photo removed from the CRM contact"
								: "the CRM contact no longer showed this photo; nothing removed");
				case CrmOutcome.Refused<Boolean> refused -> cleared(delivery, StepOutcome.NEEDS_REVIEW,
						"the CRM refused to remove the photo from the contact: " + refused.reason());
				case CrmOutcome.Unavailable<Boolean> unavailable -> verdicts.put(delivery,
						Verdict.of(unavailable.failure()));
				case null -> verdicts.put(delivery, Verdict.of(new CrmUnavailableException(
						"the CRM said nothing of the contact", null)));
			}
		});
	}

	private void cleared(ImageEventDelivery delivery, StepOutcome outcome, String reason) {
		this.transactions.executeWithoutResult((tx) -> {
			UUID uploadId = delivery.erasure().uploadId();
			this.syncs.lockUntilCommit("crm-sync:upload:" + uploadId);
			this.syncs.findById(uploadId).filter((sync) -> sync.photoClearedAt() == null).ifPresent((sync) -> {
				Instant now = this.clock.instant();
				sync.photoCleared(now);
				report(delivery, outcome, reason, now);
				logger.info("Erased upload {}: {}", uploadId, PersonalData.mask(reason));
			});
		});
	}

	/**
	 * Retries ran out for an erasure: the row stays {@link CrmSyncStatus#ERASED} (nothing of the customer is kept),
	 * the step is reported failed; the message goes to the dead-letter queue, to be moved back once the CRM is.
	 */
	void fail(ImageEventDelivery delivery, String lastError) {
		String reason = PersonalData.mask("the photo could not be removed from the CRM contact after "
				+ delivery.attempt() + " attempts: " + lastError);
		this.transactions.executeWithoutResult((tx) -> report(delivery, StepOutcome.FAILED, reason,
				this.clock.instant()));
		logger.error("Erasure of upload {} failed: {}", delivery.erasure().uploadId(), reason);
	}

	/** The step, with no status of the upload (ingest decides what an erased upload's status is). */
	private void report(ImageEventDelivery delivery, StepOutcome outcome, String reason, Instant now) {
		this.events.publishEvent(new UploadStatusEvent(UUID.randomUUID(), delivery.erasure().uploadId(),
				PhotoLinkService.SERVICE, PhotoLinkService.STEP, outcome, null, reason, delivery.attempt(), now));
	}

}
