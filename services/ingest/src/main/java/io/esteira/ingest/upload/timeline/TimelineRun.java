package io.esteira.ingest.upload.timeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadStatus;

/**
 * One run of a step, as {@code GET /api/uploads/{id}} shows it ({@code timeline}): a {@code STARTED} report and the
 * report that ended the same step (same service, step and attempt) make one run with start and end.
 *
 * @param outcome how it ended; {@code STARTED} while it runs
 * @param startedAt when it started; equal to {@code endedAt} for a step reported only once it ended
 * @param endedAt when it ended, {@code null} while it runs
 * @param status the upload status it implied, {@code null} if none
 */
public record TimelineRun(String service, String step, int attempt, StepOutcome outcome, UploadStatus status,
		String reason, Instant startedAt, Instant endedAt) {

	/** Merges step reports (oldest first) into runs, in the order the runs started. */
	public static List<TimelineRun> of(List<TimelineStep> steps) {
		List<TimelineRun> runs = new ArrayList<>();
		for (TimelineStep step : steps) {
			int open = openRun(runs, step);
			if (step.outcome() == StepOutcome.STARTED) {
				if (open < 0) {
					runs.add(new TimelineRun(step.service(), step.step(), step.attempt(), StepOutcome.STARTED,
							step.status(), step.reason(), step.occurredAt(), null));
				}
			}
			else if (open >= 0) {
				TimelineRun started = runs.get(open);
				runs.set(open, new TimelineRun(started.service(), started.step(), started.attempt(), step.outcome(),
						(step.status() != null) ? step.status() : started.status(), step.reason(),
						started.startedAt(), step.occurredAt()));
			}
			else {
				runs.add(new TimelineRun(step.service(), step.step(), step.attempt(), step.outcome(), step.status(),
						step.reason(), step.occurredAt(), step.occurredAt()));
			}
		}
		return List.copyOf(runs);
	}

	private static int openRun(List<TimelineRun> runs, TimelineStep step) {
		for (int i = runs.size() - 1; i >= 0; i--) {
			TimelineRun run = runs.get(i);
			if (run.endedAt() == null && run.attempt() == step.attempt()
					&& Objects.equals(run.service(), step.service()) && Objects.equals(run.step(), step.step())) {
				return i;
			}
		}
		return -1;
	}

}
