package io.esteira.shared.event;

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
 */
public record UploadStatusEvent(UUID eventId, UUID uploadId, String service, String step, StepOutcome outcome,
		UploadStatus status, String reason, int attempt, Instant occurredAt) {

	public static UploadStatusEvent of(UUID uploadId, String service, String step, StepOutcome outcome,
			UploadStatus status, String reason, Instant occurredAt) {
		return new UploadStatusEvent(UUID.randomUUID(), uploadId, service, step, outcome, status, reason, 1,
				occurredAt);
	}

}
