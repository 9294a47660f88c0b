package io.esteira.crmsync.photo;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

import org.springframework.data.domain.Persistable;

/** The outcome of syncing one upload's photo link (table {@code crm_syncs}); one row per upload, written once. */
@Entity
@Table(name = "crm_syncs")
class CrmSync implements Persistable<UUID> {

	@Id
	private UUID uploadId;

	private String contactId;

	@Enumerated(EnumType.STRING)
	private CrmSyncStatus status;

	private String property;

	private String link;

	private String reason;

	private Instant eventOccurredAt;

	private Instant syncedAt;

	private Instant recordedAt;

	private int attempts;

	private String resolvedBy;

	private String ownerId;

	private String candidates;

	private String lastError;

	/** The upload's pipeline run this was recorded in (1, or a redrive's); a later run's event looks again. */
	private int run = 1;

	/** The upload's tenant: whose CRM connection and contacts. */
	private String tenant = io.esteira.contracts.event.Tenants.DEFAULT;

	/** When the upload's erasure was recorded ({@link CrmSyncStatus#ERASED}). */
	private Instant erasedAt;

	/** When the erasure's photo property was handled on the contact (cleared, or found showing a newer photo). */
	private Instant photoClearedAt;

	@Transient
	private boolean isNew = true;

	protected CrmSync() {
	}

	private CrmSync(PhotoLink photo, CrmSyncStatus status, String reason, Instant now, int attempts) {
		this.uploadId = photo.uploadId();
		this.contactId = photo.contactId();
		this.status = status;
		this.property = photo.property();
		this.link = photo.link();
		this.reason = reason;
		this.eventOccurredAt = photo.occurredAt();
		this.syncedAt = (status == CrmSyncStatus.SYNCED) ? now : null;
		this.recordedAt = now;
		this.attempts = attempts;
		this.run = Math.max(1, photo.run());
		this.tenant = photo.tenant();
	}

	static CrmSync synced(PhotoLink photo, Instant now, int attempts) {
		return new CrmSync(photo, CrmSyncStatus.SYNCED, null, now, attempts);
	}

	static CrmSync failed(PhotoLink photo, String error, Instant now, int attempts) {
		return new CrmSync(photo, CrmSyncStatus.FAILED, error, now, attempts);
	}

	/** How the contact was found ({@code id}, {@code email}, {@code phone}) and who owns it. */
	CrmSync resolvedBy(String by, String owner) {
		this.resolvedBy = by;
		this.ownerId = owner;
		return this;
	}

	/** The contacts that matched when several did. */
	CrmSync withCandidates(java.util.List<String> ids) {
		this.candidates = String.join(",", ids);
		return this;
	}

	/**
	 * An erasure of an upload never synced here (its image event never came, or comes later): recorded so that a
	 * late image event does nothing.
	 */
	static CrmSync erased(PhotoLink photo, Instant now) {
		CrmSync sync = new CrmSync(photo, CrmSyncStatus.ERASED, ERASED_REASON, now, 0);
		sync.erasedAt = now;
		sync.photoClearedAt = now;
		return sync;
	}

	/** What an erased upload's row says instead of what it said before (nothing of the customer). */
	static final String ERASED_REASON = "erased at the customer's request (LGPD)";

	/**
	 * Erased at the customer's request: final, and nothing of the customer is kept (the candidates, reasons and
	 * errors the CRM gave). The contact id of a linked upload stays: the CRM's record of which contact's photo was
	 * cleared and noted (an id in the tenant's CRM, no e-mail or phone).
	 * @param linked whether the upload's link was put on the contact ({@link CrmSyncStatus#SYNCED})
	 */
	void erase(Instant now, boolean linked) {
		this.status = CrmSyncStatus.ERASED;
		this.erasedAt = now;
		this.reason = ERASED_REASON;
		this.candidates = null;
		this.lastError = null;
		this.ownerId = null;
		if (!linked) {
			// Its link was never on a contact: nothing to clear there, and no contact to keep.
			this.contactId = null;
			this.photoClearedAt = now;
		}
	}

	/** The photo property was handled on the contact (cleared, or it showed a newer photo). */
	void photoCleared(Instant now) {
		this.photoClearedAt = now;
	}

	Instant photoClearedAt() {
		return this.photoClearedAt;
	}

	String link() {
		return this.link;
	}

	String property() {
		return this.property;
	}

	String tenant() {
		return this.tenant;
	}

	static CrmSync needsReview(PhotoLink photo, String reason, Instant now, int attempts) {
		return new CrmSync(photo, CrmSyncStatus.NEEDS_REVIEW, reason, now, attempts);
	}

	static CrmSync superseded(PhotoLink photo, String reason, Instant now, int attempts) {
		return new CrmSync(photo, CrmSyncStatus.SUPERSEDED, reason, now, attempts);
	}

	@Override
	public UUID getId() {
		return this.uploadId;
	}

	@Override
	public boolean isNew() {
		return this.isNew;
	}

	@PostLoad
	@PostPersist
	void markNotNew() {
		this.isNew = false;
	}

	UUID uploadId() {
		return this.uploadId;
	}

	CrmSyncStatus status() {
		return this.status;
	}

	void lastError(String error) {
		this.lastError = error;
	}

	String reason() {
		return this.reason;
	}

	String contactId() {
		return this.contactId;
	}

	int run() {
		return this.run;
	}

	/** Reported again for a later run (a redrive of an upload whose sync had ended). */
	void reportedInRun(int run) {
		this.run = Math.max(this.run, run);
	}

}
