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

	@Transient
	private boolean isNew = true;

	protected CrmSync() {
	}

	private CrmSync(UUID uploadId, String contactId, CrmSyncStatus status, String property, String link,
			String reason, Instant eventOccurredAt, Instant now, int attempts) {
		this.uploadId = uploadId;
		this.contactId = contactId;
		this.status = status;
		this.property = property;
		this.link = link;
		this.reason = reason;
		this.eventOccurredAt = eventOccurredAt;
		this.syncedAt = (status == CrmSyncStatus.SYNCED) ? now : null;
		this.recordedAt = now;
		this.attempts = attempts;
	}

	static CrmSync synced(PhotoLink photo, Instant now, int attempts) {
		return new CrmSync(photo.uploadId(), photo.contactId(), CrmSyncStatus.SYNCED, photo.property(), photo.link(),
				null, photo.occurredAt(), now, attempts);
	}

	static CrmSync failed(PhotoLink photo, String error, Instant now, int attempts) {
		return new CrmSync(photo.uploadId(), photo.contactId(), CrmSyncStatus.FAILED, photo.property(), photo.link(),
				error, photo.occurredAt(), now, attempts);
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

	static CrmSync needsReview(PhotoLink photo, String reason, Instant now, int attempts) {
		return new CrmSync(photo.uploadId(), photo.contactId(), CrmSyncStatus.NEEDS_REVIEW, photo.property(),
				photo.link(), reason, photo.occurredAt(), now, attempts);
	}

	static CrmSync superseded(PhotoLink photo, String reason, Instant now, int attempts) {
		return new CrmSync(photo.uploadId(), photo.contactId(), CrmSyncStatus.SUPERSEDED, photo.property(),
				photo.link(), reason, photo.occurredAt(), now, attempts);
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

}
