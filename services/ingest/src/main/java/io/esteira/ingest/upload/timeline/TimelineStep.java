package io.esteira.ingest.upload.timeline;

import java.time.Instant;

import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadStatus;

/**
 * One step report on an upload's timeline, as {@code GET /api/uploads/{id}} shows it ({@code steps}).
 *
 * @param service who ran it, e.g. {@code ingest}, {@code image-processing}
 * @param status the upload status the step implied, {@code null} if none
 * @param traceId the distributed trace the step was recorded in, {@code null} if none
 */
public record TimelineStep(String service, String step, StepOutcome outcome, UploadStatus status, String reason,
		int attempt, Instant occurredAt, String traceId) {
}
