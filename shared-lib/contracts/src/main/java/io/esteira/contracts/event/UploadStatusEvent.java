package io.esteira.contracts.event;

import java.time.Instant;
import java.util.UUID;

/**
 * A step of an upload's timeline, reported by the service that ran it to ingest (status queue).
 *
 * @param eventId unique per step report; ingest records each id once
 * @param service the reporting service, e.g. {@code image-processing}
 * @param step the step name, e.g. {@code thumbnail}, {@code crm-sync}, {@code invoice-import}
 * @param status the upload status this step implies, or {@code null} when it implies none
 * @param reason why a step was rejected or failed (also a short summary on success), may be {@code null}
 * @param bucket the bucket of the object the step is about, or {@code null}; with {@code key}, it lets ingest
 * register an upload it has not seen (an object another system dropped into the uploads bucket)
 * @param key the key of that object, or {@code null}
 */
public record UploadStatusEvent(UUID eventId, UUID uploadId, String service, String step, StepOutcome outcome,
		UploadStatus status, String reason, int attempt, Instant occurredAt, String bucket, String key) {

	/** A step report that does not name its object (the upload is known to ingest). */
	public UploadStatusEvent(UUID eventId, UUID uploadId, String service, String step, StepOutcome outcome,
			UploadStatus status, String reason, int attempt, Instant occurredAt) {
		this(eventId, uploadId, service, step, outcome, status, reason, attempt, occurredAt, null, null);
	}

	public static UploadStatusEvent of(UUID uploadId, String service, String step, StepOutcome outcome,
			UploadStatus status, String reason, Instant occurredAt) {
		return new UploadStatusEvent(UUID.randomUUID(), uploadId, service, step, outcome, status, reason, 1,
				occurredAt);
	}

	/** This report with the attempt number it was made on. */
	public UploadStatusEvent withAttempt(int attempt) {
		return new UploadStatusEvent(this.eventId, this.uploadId, this.service, this.step, this.outcome, this.status,
				this.reason, attempt, this.occurredAt, this.bucket, this.key);
	}

	/** This report naming the object it is about, so that ingest can register the upload if it does not know it. */
	public UploadStatusEvent forObject(String bucket, String key) {
		return new UploadStatusEvent(this.eventId, this.uploadId, this.service, this.step, this.outcome, this.status,
				this.reason, this.attempt, this.occurredAt, bucket, key);
	}

}
