package io.esteira.ingest.upload;

import java.time.Instant;
import java.util.UUID;

import io.esteira.shared.event.StepOutcome;
import io.esteira.shared.event.UploadStatus;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

import org.springframework.data.domain.Persistable;

/**
 * One entry of an upload's timeline; {@code eventId} is unique, so a redelivered report is stored once.
 * {@code traceId} is the trace the step was recorded in (the reporting service's, carried by the SQS message), or
 * {@code null} when nothing was traced.
 */
@Entity
@Table(name = "upload_steps")
class UploadStep implements Persistable<UUID> {

	@Id
	private UUID id;

	private UUID uploadId;

	private UUID eventId;

	private String service;

	private String step;

	@Enumerated(EnumType.STRING)
	private StepOutcome outcome;

	@Enumerated(EnumType.STRING)
	private UploadStatus status;

	private String reason;

	private int attempt;

	private Instant occurredAt;

	private Instant recordedAt;

	private String traceId;

	/** Steps are never updated: saving one is always an insert, without a select first. */
	@Transient
	private boolean isNew = true;

	protected UploadStep() {
	}

	UploadStep(UUID uploadId, UUID eventId, String service, String step, StepOutcome outcome, UploadStatus status,
			String reason, int attempt, Instant occurredAt, Instant recordedAt, String traceId) {
		this.id = UUID.randomUUID();
		this.uploadId = uploadId;
		this.eventId = eventId;
		this.service = service;
		this.step = step;
		this.outcome = outcome;
		this.status = status;
		this.reason = reason;
		this.attempt = attempt;
		this.occurredAt = occurredAt;
		this.recordedAt = recordedAt;
		this.traceId = traceId;
	}

	@Override
	public UUID getId() {
		return this.id;
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

	UploadView.Step toView() {
		return new UploadView.Step(this.service, this.step, this.outcome, this.status, this.reason, this.attempt,
				this.occurredAt, this.traceId);
	}

}
