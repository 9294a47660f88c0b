package io.esteira.crmsync.photo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.contracts.event.PipelineNames;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.Tenants;
import io.esteira.contracts.event.Thumbnails;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.crmsync.config.CrmProperties;
import io.esteira.crmsync.contact.ContactQuery;
import io.esteira.crmsync.contact.ContactResolution;
import io.esteira.crmsync.contact.ContactResolver;
import io.esteira.crmsync.crm.CrmClient;
import io.esteira.crmsync.crm.CrmConnection;
import io.esteira.crmsync.crm.CrmConnections;
import io.esteira.crmsync.crm.CrmOutcome;
import io.esteira.crmsync.crm.CrmUnavailableException;
import io.esteira.platform.logging.PersonalData;
import io.esteira.platform.observability.PipelineTracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Puts the permalink of each upload's thumbnail on its CRM contact, exactly once per upload, a batch of uploads at a
 * time, and reports the {@code crm-sync} step to ingest through the outbox.
 * <ul>
 * <li>An event whose values are not an upload's (a contact id, email or phone far longer than any, a processing time
 * in the future): {@link CrmSyncStatus#NEEDS_REVIEW} with a reason naming the field and the limit, before any CRM
 * call, so it cannot fail the batch's requests for the other uploads.</li>
 * <li>An upload already recorded is left alone: redeliveries and duplicates (also two in one batch) do nothing here
 * (a {@code FAILED} one is tried again when its message was redriven from the dead-letter queue; an event of a
 * later run, after {@code POST /api/uploads/{id}/retry}, syncs a {@code FAILED} or {@code NEEDS_REVIEW} upload again
 * and reports a settled one again).</li>
 * <li>The contacts are resolved together ({@link ContactResolver}: id, email, phone); none or several:
 * {@link CrmSyncStatus#NEEDS_REVIEW} with the candidates, no update.</li>
 * <li>The contact already shows a newer image: {@link CrmSyncStatus#SUPERSEDED}, no update. Two images of one
 * contact in a batch: the newest goes on, the others come back a moment later (and find it).</li>
 * <li>The contacts are updated in one batch request; an item the CRM refuses (a validation rule, an unknown contact):
 * {@link CrmSyncStatus#NEEDS_REVIEW} with the CRM's message, never retried.</li>
 * <li>The CRM is unavailable: nothing is recorded for the uploads concerned ({@link Verdict#of}).</li>
 * </ul>
 * <p>
 * <b>No transaction spans a CRM call</b>, so no connection or lock is held while HubSpot answers or the rate limit
 * waits. Once per upload is kept by claims instead (table {@code crm_sync_claims}, a row per claimed key):
 * <ol>
 * <li><em>claim the uploads</em> (a short transaction each, under the upload's advisory lock): a recorded upload is
 * done; otherwise row {@code upload:<id>} is inserted with this batch's token, or taken over when older than
 * {@code esteira.crm.retry.sync-lease} (its holder is presumed dead). Held by a live delivery: this one comes back
 * when the lease has run out (not an attempt);</li>
 * <li>resolve the contacts (CRM calls, no transaction);</li>
 * <li><em>claim the contacts</em> ({@code contact:<id>}, same rules) and look for a newer image of each, so that
 * images of one contact are synced one at a time and "newer image wins" cannot race;</li>
 * <li>update the contacts (one CRM call per 100, no transaction);</li>
 * <li><em>record</em> each upload (short transaction under its advisory lock): the row and its status events (the
 * outbox) commit together, unless the upload is already recorded (a delivery that took over an expired claim got
 * there first: its outcome stands, nothing is sent twice);</li>
 * <li>give the claims back, whatever happened (a crash leaves them to expire).</li>
 * </ol>
 */
@Service
public class PhotoLinkService {

	static final String SERVICE = PipelineNames.Services.CRM_SYNC;

	static final String STEP = PipelineNames.Steps.CRM_SYNC;

	/** The rendition whose permalink goes on the contact. */
	static final String RENDITION = Thumbnails.CRM_RENDITION;

	/** Longer contact ids are no CRM's (HubSpot's are numbers of up to 30 digits). */
	static final int MAX_CONTACT_ID_CHARS = 100;

	/** The longest email address there can be (RFC 5321: a 254-character path). */
	static final int MAX_EMAIL_CHARS = 254;

	/** E.164 has 15 digits; with a prefix, spaces and punctuation, 32 characters are plenty. */
	static final int MAX_PHONE_CHARS = 32;

	/** How far in the future an image may say it was processed (the services' clocks differ by seconds). */
	static final Duration MAX_CLOCK_SKEW = Duration.ofHours(1);

	/** How soon an older image of a contact synced in the same batch comes back (and finds the newer one). */
	private static final Duration SAME_CONTACT_DELAY = Duration.ofSeconds(2);

	private static final Logger logger = LoggerFactory.getLogger(PhotoLinkService.class);

	private final CrmSyncRepository syncs;

	private final ContactResolver contacts;

	private final CrmConnections connections;

	private final ApplicationEventPublisher events;

	private final CrmProperties settings;

	private final Clock clock;

	private final TransactionTemplate transactions;

	private final PipelineTracing tracing;

	PhotoLinkService(CrmSyncRepository syncs, ContactResolver contacts, CrmConnections connections,
			ApplicationEventPublisher events, CrmProperties settings, Clock clock, TransactionTemplate transactions,
			PipelineTracing tracing) {
		this.syncs = syncs;
		this.contacts = contacts;
		this.connections = connections;
		this.events = events;
		this.settings = settings;
		this.clock = clock;
		this.transactions = transactions;
		this.tracing = tracing;
	}

	/**
	 * Syncs the photo links of a batch of deliveries (events already parsed) of one tenant, in short transactions
	 * around the CRM calls, through the tenant's CRM connection; a tenant without one needs review, with no CRM call.
	 * @param tenant the tenant of every delivery (a batch never mixes tenants: each has its own CRM account)
	 * @param maxAttempts the step's retry policy's attempts in all (a {@code FAILED} upload delivered again within
	 * them was redriven from the dead-letter queue, and is tried again)
	 * @return a verdict for every delivery, and the uploads now {@link CrmSyncStatus#SYNCED} whose owner may still
	 * have to be told ({@link OwnerNotifications})
	 */
	Result sync(String tenant, List<ImageEventDelivery> deliveries, int maxAttempts) {
		Optional<CrmConnection> connection = this.connections.forTenant(tenant);
		Map<ImageEventDelivery, Verdict> verdicts = new LinkedHashMap<>();
		Map<ImageEventDelivery, UUID> synced = new LinkedHashMap<>();
		Map<UUID, Run> runs = new LinkedHashMap<>();
		UUID token = UUID.randomUUID();
		try {
			// 1. One run per upload (a duplicate in the batch is done with it), each claimed or found recorded.
			for (ImageEventDelivery delivery : deliveries) {
				PhotoLink photo;
				try {
					if (delivery.event() == null) {
						throw new MalformedImageEventException(delivery.malformed());
					}
					photo = photoLink(delivery.event());
				}
				catch (MalformedImageEventException ex) {
					verdicts.put(delivery, new Verdict.Dead(ex.getMessage()));
					continue;
				}
				Run same = runs.get(photo.uploadId());
				if (same != null) {
					logger.debug("Duplicate event {} of upload {} in one batch", delivery.event().eventId(),
							photo.uploadId());
					same.duplicates.add(delivery);
					continue;
				}
				Run run = new Run(delivery, photo, this.clock.instant());
				runs.put(photo.uploadId(), run);
				Optional<CrmSyncStatus> recorded = this.transactions
					.execute((tx) -> claimUpload(run, token, maxAttempts));
				if (recorded.isPresent()) {
					run.end(switch (recorded.get()) {
						case FAILED -> new Verdict.Dead("upload " + photo.uploadId()
								+ " already failed; on to the dead-letter queue");
						default -> Verdict.DONE;
					}, recorded.get());
				}
				else if (run.isOpen()) {
					// Never sent to the CRM, where one absurd value could fail the whole batch's request.
					implausible(delivery.event(), run.started).ifPresent((reason) -> needsReview(run, reason, null));
				}
				if (run.isOpen() && connection.isEmpty()) {
					needsReview(run, noConnection(tenant), null);
				}
			}
			List<Run> open = runs.values().stream().filter(Run::isOpen).toList();
			if (!open.isEmpty()) {
				resolveAndUpdate(connection.orElseThrow().client(), open, token);
			}
		}
		catch (CrmUnavailableException ex) {
			runs.values().stream().filter(Run::isOpen).forEach((run) -> run.end(Verdict.of(ex), null));
		}
		finally {
			this.transactions.executeWithoutResult((tx) -> this.syncs.releaseClaims(token));
		}
		for (Run run : runs.values()) {
			Verdict verdict = (run.verdict != null) ? run.verdict : Verdict.DONE;
			verdicts.put(run.delivery, verdict);
			run.duplicates.forEach((duplicate) -> verdicts.put(duplicate, (verdict instanceof Verdict.Dead) ? verdict
					: Verdict.DONE));
			if (run.status == CrmSyncStatus.SYNCED) {
				synced.put(run.delivery, run.photo.uploadId());
			}
		}
		return new Result(verdicts, synced);
	}

	/** The verdicts, and the deliveries of uploads that are {@link CrmSyncStatus#SYNCED}. */
	record Result(Map<ImageEventDelivery, Verdict> verdicts, Map<ImageEventDelivery, UUID> synced) {
	}

	/** The reason of an upload whose tenant has no CRM connection (a malformed tenant id is not repeated). */
	static String noConnection(String tenant) {
		return "no CRM connection for tenant " + (Tenants.isValid(tenant) ? tenant : "(malformed tenant id)");
	}

	private void resolveAndUpdate(CrmClient crm, List<Run> open, UUID token) {
		Map<ContactQuery, ContactResolution> resolutions = this.contacts.resolve(crm, open.stream()
			.map((run) -> new ContactQuery(run.photo.contactId(), run.event().customerEmail(),
					run.event().customerPhone()))
			.toList());
		Map<String, Run> updates = new LinkedHashMap<>();
		List<Run> found = new ArrayList<>();
		for (Run run : open) {
			ContactResolution resolution = resolutions.get(new ContactQuery(run.photo.contactId(),
					run.event().customerEmail(), run.event().customerPhone()));
			switch (resolution) {
				case ContactResolution.NotFound notFound -> needsReview(run, notFound.reason(), null);
				case ContactResolution.Ambiguous ambiguous ->
					needsReview(run, ambiguous.reason(), (sync) -> sync.withCandidates(ambiguous.candidates()));
				case ContactResolution.Found hit -> {
					run.found = hit;
					run.photo = run.photo.forContact(hit.contact().id());
					found.add(run);
				}
				case null -> needsReview(run, "the contact could not be resolved", null);
			}
		}
		// Newest image of each contact first; the older ones of the batch come back after it is recorded.
		found.sort(Comparator.comparing((Run run) -> run.photo.occurredAt()).reversed());
		for (Run run : found) {
			String contactId = run.photo.contactId();
			if (updates.containsKey(contactId)) {
				run.end(new Verdict.Defer(SAME_CONTACT_DELAY,
						"a newer image of contact " + shown(contactId) + " is in the same batch"), null);
				continue;
			}
			Optional<Verdict> claimed = this.transactions.execute((tx) -> {
				Optional<Duration> held = claim(contactClaim(run.photo.tenant(), contactId), token);
				if (held.isPresent()) {
					return Optional.<Verdict>of(new Verdict.Defer(held.get(),
							"contact " + shown(contactId) + " is being synced by another delivery"));
				}
				this.syncs.findNewerSync(run.photo.tenant(), contactId, run.photo.occurredAt())
					.ifPresent((newer) -> run.newer = newer);
				return Optional.<Verdict>empty();
			});
			if (claimed.isPresent()) {
				run.end(claimed.get(), null);
			}
			else if (run.newer != null) {
				superseded(run);
			}
			else {
				updates.put(contactId, run);
			}
		}
		if (updates.isEmpty()) {
			return;
		}
		Map<String, String> values = new LinkedHashMap<>();
		updates.forEach((contactId, run) -> values.put(contactId, run.photo.link()));
		Map<String, CrmOutcome<String>> outcomes = crm.updateContactProperty(this.settings.photoProperty(),
				values);
		updates.forEach((contactId, run) -> {
			switch (outcomes.get(contactId)) {
				case CrmOutcome.Done<String> done -> synced(run);
				case CrmOutcome.Refused<String> refused -> needsReview(run, refused.reason(),
						(sync) -> sync.resolvedBy(run.found.by(), run.found.contact().ownerId()));
				case CrmOutcome.Unavailable<String> unavailable -> run.end(Verdict.of(unavailable.failure()), null);
				case null -> run.end(Verdict.of(new CrmUnavailableException(
						"the CRM said nothing of contact " + shown(contactId), null)), null);
			}
		});
	}

	/**
	 * The recorded status when there is nothing to do, else empty with the upload claimed by {@code token}. An upload
	 * recorded in an earlier run than the event's (a redrive, {@code POST /api/uploads/{id}/retry}) is synced again
	 * when it had ended {@code FAILED} or {@code NEEDS_REVIEW}, and its outcome reported again when it had ended
	 * {@code SYNCED} or {@code SUPERSEDED}; a {@code FAILED} one is also synced again when its message was moved back
	 * from the dead-letter queue (delivered again within the policy's attempts).
	 */
	private Optional<CrmSyncStatus> claimUpload(Run run, UUID token, int maxAttempts) {
		UUID uploadId = run.photo.uploadId();
		this.syncs.lockUntilCommit("crm-sync:upload:" + uploadId);
		Optional<CrmSync> recorded = this.syncs.findById(uploadId);
		if (recorded.isPresent()) {
			CrmSync sync = recorded.get();
			if (sync.status() == CrmSyncStatus.ERASED) {
				logger.info("Upload {} was erased at the customer's request; image event {} ignored", uploadId,
						run.event().eventId());
				return Optional.of(sync.status());
			}
			boolean laterRun = run.photo.run() > sync.run();
			if (laterRun && (sync.status() == CrmSyncStatus.SYNCED || sync.status() == CrmSyncStatus.SUPERSEDED)) {
				reportAgain(run, sync);
				return Optional.of(sync.status());
			}
			if (!laterRun && (sync.status() != CrmSyncStatus.FAILED || run.delivery.attempt() > maxAttempts)) {
				logger.debug("Upload {} already {}; duplicate event {} ignored", uploadId, sync.status(),
						run.event().eventId());
				return Optional.of(sync.status());
			}
			logger.info("Upload {}: {} earlier (run {}); syncing it again in run {}", uploadId, sync.status(),
					sync.run(), run.photo.run());
			this.syncs.delete(sync);
			this.syncs.flush();
		}
		Optional<Duration> held = claim("upload:" + uploadId, token);
		if (held.isPresent()) {
			run.end(new Verdict.Defer(held.get(), "upload " + uploadId + " is being synced by another delivery"),
					null);
		}
		return Optional.empty();
	}

	/**
	 * A later run of an upload whose photo link is already settled (the upload was redriven after a later report
	 * was lost, or its owner's task could not be created): the step is reported again for the new run, without
	 * another CRM update.
	 */
	private void reportAgain(Run run, CrmSync sync) {
		this.tracing.continueInTransaction(run.photo.uploadId(), run.delivery.traceContext(), STEP);
		Instant now = this.clock.instant();
		report(run, StepOutcome.STARTED, null, null, run.started);
		String reason = (sync.status() == CrmSyncStatus.SYNCED)
				? "run " + run.photo.run() + ": photo link already on the contact" : sync.reason();
		report(run, (sync.status() == CrmSyncStatus.SYNCED) ? StepOutcome.SUCCEEDED : StepOutcome.SKIPPED,
				UploadStatus.COMPLETED, reason, now);
		sync.reportedInRun(run.photo.run());
		logger.info("Upload {}: run {} of a photo link already {}; reported again", run.photo.uploadId(),
				run.photo.run(), sync.status());
	}

	/**
	 * Claims {@code key} ({@code upload:<id>}, {@link #contactClaim}) for the delivery of {@code token}; when another
	 * delivery holds it, the rest of its lease.
	 */
	Optional<Duration> claim(String key, UUID token) {
		Instant now = this.clock.instant();
		Duration lease = this.settings.retry().syncLease();
		if (this.syncs.claim(key, token, now, now.minus(lease)) == 1) {
			return Optional.empty();
		}
		return Optional.of(this.syncs.claimedAt(key)
			.map((claimedAt) -> Duration.between(now, claimedAt.plus(lease)))
			.filter((remaining) -> remaining.compareTo(Duration.ofSeconds(1)) > 0)
			.orElse(Duration.ofSeconds(1)));
	}

	private void synced(Run run) {
		record(run, (now) -> {
			this.syncs.save(CrmSync.synced(run.photo, now, run.delivery.attempt())
				.resolvedBy(run.found.by(), run.found.contact().ownerId()));
			report(run, StepOutcome.SUCCEEDED, UploadStatus.COMPLETED,
					"photo link set on the contact (found by " + run.found.by() + ")", now);
			logger.info("Photo link of upload {} set on contact {} of tenant {} (found by {})", run.photo.uploadId(),
					shown(run.photo.contactId()), run.photo.tenant(), run.found.by());
			return CrmSyncStatus.SYNCED;
		});
	}

	private void needsReview(Run run, String given, UnaryOperator<CrmSync> details) {
		// A CRM's message may quote a value it refused: no e-mail or phone goes to the timeline or the log.
		String reason = PersonalData.mask(given);
		record(run, (now) -> {
			CrmSync sync = CrmSync.needsReview(run.photo, reason, now, run.delivery.attempt());
			this.syncs.save((details != null) ? details.apply(sync) : sync);
			report(run, StepOutcome.NEEDS_REVIEW, UploadStatus.NEEDS_REVIEW, reason, now);
			logger.warn("Photo link of upload {} needs review: {}", run.photo.uploadId(), reason);
			return CrmSyncStatus.NEEDS_REVIEW;
		});
	}

	private void superseded(Run run) {
		record(run, (now) -> {
			String reason = "the contact already shows a newer image";
			this.syncs.save(CrmSync.superseded(run.photo, reason, now, run.delivery.attempt()));
			report(run, StepOutcome.SKIPPED, UploadStatus.COMPLETED, reason, now);
			logger.info("Photo link of upload {} not sent: contact {} already shows the newer image of upload {}",
					run.photo.uploadId(), shown(run.photo.contactId()), run.newer.uploadId());
			return CrmSyncStatus.SUPERSEDED;
		});
	}

	/**
	 * Records the outcome and its status events in one transaction, unless a delivery that took over an expired
	 * claim recorded the upload first: then its status stands and nothing is sent twice.
	 */
	private void record(Run run, Function<Instant, CrmSyncStatus> outcome) {
		CrmSyncStatus status = this.transactions.execute((tx) -> {
			this.syncs.lockUntilCommit("crm-sync:upload:" + run.photo.uploadId());
			Optional<CrmSync> recorded = this.syncs.findById(run.photo.uploadId());
			if (recorded.isPresent()) {
				return recorded.get().status();
			}
			this.tracing.continueInTransaction(run.photo.uploadId(), run.delivery.traceContext(), STEP);
			report(run, StepOutcome.STARTED, null, null, run.started);
			return outcome.apply(this.clock.instant());
		});
		run.end(Verdict.DONE, status);
	}

	/**
	 * Retries ran out: records the upload as {@link CrmSyncStatus#FAILED} with the last error and reports the step
	 * failed. An upload already recorded (e.g. synced, but its task could not be created) only keeps the error.
	 */
	@Transactional
	void fail(ImageEventDelivery delivery, String lastError) {
		ImageProcessedEvent event = delivery.event();
		int attempt = delivery.attempt();
		PhotoLink photo = photoLink(event);
		this.syncs.lockUntilCommit("crm-sync:upload:" + photo.uploadId());
		Optional<CrmSync> recorded = this.syncs.findById(photo.uploadId());
		if (recorded.isPresent()) {
			recorded.get().lastError(lastError);
			return;
		}
		this.tracing.continueInTransaction(photo.uploadId(), delivery.traceContext(), STEP);
		Instant now = this.clock.instant();
		String reason = PersonalData.mask("gave up after " + attempt + " attempts: " + lastError);
		this.syncs.save(CrmSync.failed(photo, reason, now, attempt));
		this.events.publishEvent(new UploadStatusEvent(UUID.randomUUID(), photo.uploadId(), SERVICE, STEP,
				StepOutcome.FAILED, UploadStatus.FAILED, reason, attempt, now));
		logger.error("Photo link of upload {} failed: {}", photo.uploadId(), reason);
	}

	private PhotoLink photoLink(ImageProcessedEvent event) {
		if (event.uploadId() == null || event.occurredAt() == null) {
			throw new MalformedImageEventException("Image event " + event.eventId() + " has no "
					+ ((event.uploadId() == null) ? "uploadId" : "occurredAt"));
		}
		if (event.renditions() == null || event.renditions().isEmpty()) {
			// image-processing announces an image with its renditions, always: this is some other message.
			throw new MalformedImageEventException("Image event " + event.eventId() + " has no renditions");
		}
		String contactId = event.crmContactId();
		if (contactId != null) {
			contactId = contactId.strip();
		}
		return new PhotoLink(event.uploadId(), (contactId == null || contactId.isEmpty()) ? null : contactId,
				this.settings.photoProperty(), permalink(event.uploadId()), event.occurredAt(), event.run(),
				event.tenant());
	}

	/** The claim of a tenant's contact: contact ids are per CRM account, so two tenants may have the same. */
	static String contactClaim(String tenant, String contactId) {
		return "contact:" + tenant + ":" + contactId;
	}

	/**
	 * A contact id as logs and messages show it: a CRM's id as it is, a webhook receiver's {@code email:...} or
	 * {@code phone:...} reference without the address or number.
	 */
	static String shown(String contactId) {
		if (contactId == null) {
			return null;
		}
		int colon = contactId.indexOf(':');
		return (colon > 0) ? contactId.substring(0, colon) + ":(hidden)" : PersonalData.mask(contactId);
	}

	/**
	 * Why an event's values are not an upload's (far longer than any contact id, email address or phone number, or
	 * processed in the future, which would make it the contact's newest photo for ever); empty when they are
	 * plausible. The reason names the field and the limit, never the value (reasons travel to ingest's timeline).
	 */
	static Optional<String> implausible(ImageProcessedEvent event, Instant now) {
		return Optional.ofNullable(tooLong("crmContactId", event.crmContactId(), MAX_CONTACT_ID_CHARS))
			.or(() -> Optional.ofNullable(tooLong("customerEmail", event.customerEmail(), MAX_EMAIL_CHARS)))
			.or(() -> Optional.ofNullable(tooLong("customerPhone", event.customerPhone(), MAX_PHONE_CHARS)))
			.or(() -> event.occurredAt().isAfter(now.plus(MAX_CLOCK_SKEW))
					? Optional.of("the image event says it was processed in the future (" + event.occurredAt() + ")")
					: Optional.empty());
	}

	private static String tooLong(String field, String value, int max) {
		return (value != null && value.length() > max)
				? "the image event's " + field + " has " + value.length() + " characters, more than " + max : null;
	}

	String permalink(UUID uploadId) {
		String base = this.settings.publicBaseUrl();
		while (base.endsWith("/")) {
			base = base.substring(0, base.length() - 1);
		}
		return base + Thumbnails.permalinkPath(uploadId, RENDITION);
	}

	private void report(Run run, StepOutcome outcome, UploadStatus status, String reason, Instant now) {
		this.events.publishEvent(new UploadStatusEvent(UUID.randomUUID(), run.photo.uploadId(), SERVICE, STEP,
				outcome, status, reason, run.delivery.attempt(), now));
	}

	/** One upload's way through a batch. */
	private static final class Run {

		final ImageEventDelivery delivery;

		final Set<ImageEventDelivery> duplicates = new HashSet<>();

		/** The step's start, sent with its end (the outbox sends both after the record's commit). */
		final Instant started;

		PhotoLink photo;

		ContactResolution.Found found;

		CrmSync newer;

		Verdict verdict;

		CrmSyncStatus status;

		Run(ImageEventDelivery delivery, PhotoLink photo, Instant started) {
			this.delivery = delivery;
			this.photo = photo;
			this.started = started;
		}

		ImageProcessedEvent event() {
			return this.delivery.event();
		}

		boolean isOpen() {
			return this.verdict == null;
		}

		void end(Verdict verdict, CrmSyncStatus status) {
			this.verdict = verdict;
			this.status = status;
		}

	}

}
