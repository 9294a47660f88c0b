package io.esteira.ingest.upload.timeline;

import java.time.Instant;
import java.util.UUID;

import io.esteira.contracts.event.PipelineNames;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
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

	private UploadStep(UUID uploadId, UUID eventId, String service, String step, StepOutcome outcome, UploadStatus status,
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

	/**
	 * The first step of an upload, when ingest registered it ({@code received}, {@code presigned} or
	 * {@code registered}): {@code RECEIVED}, dated when the upload was created.
	 */
	static UploadStep registered(UUID uploadId, String step, String reason, Instant createdAt, Instant now,
			String traceId) {
		return ingest(uploadId, step, StepOutcome.SUCCEEDED, UploadStatus.RECEIVED, reason, 1, createdAt, now,
				traceId);
	}

	/** A redrive started {@code run} of an upload that was {@code before}. */
	static UploadStep redriveStarted(UUID uploadId, UploadStatus before, int run, Instant now, String traceId) {
		return ingest(uploadId, PipelineNames.Steps.REDRIVE, StepOutcome.STARTED, UploadStatus.PROCESSING,
				"retry requested after " + before, run, now, now, traceId);
	}

	/** A step reported by another service, or by ingest after the fact; dated by the report, else when recorded. */
	static UploadStep reported(UUID uploadId, UploadStatusEvent event, Instant now, String traceId) {
		return new UploadStep(uploadId, event.eventId(), event.service(), event.step(), event.outcome(),
				event.status(), event.reason(), event.attempt(),
				(event.occurredAt() != null) ? event.occurredAt() : now, now, traceId);
	}

	private static UploadStep ingest(UUID uploadId, String step, StepOutcome outcome, UploadStatus status,
			String reason, int attempt, Instant occurredAt, Instant recordedAt, String traceId) {
		return new UploadStep(uploadId, UUID.randomUUID(), PipelineNames.Services.INGEST, step, outcome, status,
				reason, attempt, occurredAt, recordedAt, traceId);
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

	TimelineStep toView() {
		return new TimelineStep(this.service, this.step, this.outcome, this.status, this.reason, this.attempt,
				this.occurredAt, this.traceId);
	}

}
