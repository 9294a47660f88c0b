package io.esteira.ingest.upload;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadStatus;

/**
 * An upload as {@code GET /api/uploads/{id}} shows it, with its timeline.
 *
 * @param kind {@code image} or {@code invoice}
 * @param contentType the type detected from the bytes (declared, for a direct upload)
 * @param objectKey the key in the uploads bucket
 * @param hasCallback whether the final status is POSTed to a callback URL (the URL itself is not shown)
 * @param awaitingObject a direct upload whose object no service has reported on yet
 * @param stuckSince when the stuck-upload check found it without progress; {@code null} if it is not stuck
 * @param steps every step report, oldest first, as received
 * @param timeline the steps merged per run: a {@code STARTED} report and the report that ended the same step
 * (same service, step and attempt) make one entry with start and end
 */
public record UploadView(UUID id, String kind, UploadStatus status, String originalFilename, String contentType,
		long sizeBytes, String objectKey, String customerEmail, String customerPhone, String crmContactId,
		String externalRef, boolean hasCallback, boolean awaitingObject, Instant stuckSince, Instant createdAt,
		Instant updatedAt, List<Step> steps, List<Activity> timeline) {

	/**
	 * One step report.
	 *
	 * @param service who ran it, e.g. {@code ingest}, {@code image-processing}
	 * @param status the upload status the step implied, {@code null} if none
	 * @param traceId the distributed trace the step was recorded in, {@code null} if none
	 */
	public record Step(String service, String step, StepOutcome outcome, UploadStatus status, String reason,
			int attempt, Instant occurredAt, String traceId) {
	}

	/**
	 * One run of a step.
	 *
	 * @param outcome how it ended; {@code STARTED} while it runs
	 * @param startedAt when it started; equal to {@code endedAt} for a step reported only once it ended
	 * @param endedAt when it ended, {@code null} while it runs
	 * @param status the upload status it implied, {@code null} if none
	 */
	public record Activity(String service, String step, int attempt, StepOutcome outcome, UploadStatus status,
			String reason, Instant startedAt, Instant endedAt) {

		/** Merges step reports (oldest first) into runs, in the order the runs started. */
		static List<Activity> of(List<Step> steps) {
			List<Activity> runs = new ArrayList<>();
			for (Step step : steps) {
				int open = openRun(runs, step);
				if (step.outcome() == StepOutcome.STARTED) {
					if (open < 0) {
						runs.add(new Activity(step.service(), step.step(), step.attempt(), StepOutcome.STARTED,
								step.status(), step.reason(), step.occurredAt(), null));
					}
				}
				else if (open >= 0) {
					Activity started = runs.get(open);
					runs.set(open, new Activity(started.service(), started.step(), started.attempt(), step.outcome(),
							(step.status() != null) ? step.status() : started.status(), step.reason(),
							started.startedAt(), step.occurredAt()));
				}
				else {
					runs.add(new Activity(step.service(), step.step(), step.attempt(), step.outcome(), step.status(),
							step.reason(), step.occurredAt(), step.occurredAt()));
				}
			}
			return List.copyOf(runs);
		}

		private static int openRun(List<Activity> runs, Step step) {
			for (int i = runs.size() - 1; i >= 0; i--) {
				Activity run = runs.get(i);
				if (run.endedAt() == null && run.attempt() == step.attempt()
						&& Objects.equals(run.service(), step.service()) && Objects.equals(run.step(), step.step())) {
					return i;
				}
			}
			return -1;
		}

	}

}
