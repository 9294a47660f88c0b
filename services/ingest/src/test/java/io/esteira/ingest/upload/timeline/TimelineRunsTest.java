package io.esteira.ingest.upload.timeline;

import java.time.Instant;
import java.util.List;

import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimelineRunsTest {

	private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

	@Test
	void startedAndSucceededReportsOfOneStepMakeOneRunWithStartAndEnd() {
		List<TimelineRun> runs = TimelineRun.of(List.of(received(), started("thumbnail", 1, 1),
				ended("thumbnail", 1, StepOutcome.SUCCEEDED, null, "256 px", 3)));

		assertThat(runs).hasSize(2);
		TimelineRun thumbnail = runs.get(1);
		assertThat(thumbnail.outcome()).isEqualTo(StepOutcome.SUCCEEDED);
		assertThat(thumbnail.status()).isEqualTo(UploadStatus.PROCESSING);
		assertThat(thumbnail.reason()).isEqualTo("256 px");
		assertThat(thumbnail.startedAt()).isEqualTo(T0.plusSeconds(1));
		assertThat(thumbnail.endedAt()).isEqualTo(T0.plusSeconds(3));
	}

	@Test
	void eachAttemptIsItsOwnRunAndARunningStepHasNoEnd() {
		List<TimelineRun> runs = TimelineRun.of(List.of(started("crm-sync", 1, 1),
				ended("crm-sync", 1, StepOutcome.FAILED, null, "HubSpot 503", 2), started("crm-sync", 2, 10)));

		assertThat(runs).extracting(TimelineRun::attempt).containsExactly(1, 2);
		assertThat(runs.get(0).outcome()).isEqualTo(StepOutcome.FAILED);
		assertThat(runs.get(1).outcome()).isEqualTo(StepOutcome.STARTED);
		assertThat(runs.get(1).endedAt()).isNull();
	}

	@Test
	void aStepReportedOnlyWhenItEndedStartsAndEndsAtOnce() {
		TimelineRun received = TimelineRun.of(List.of(received())).getFirst();

		assertThat(received.startedAt()).isEqualTo(T0).isEqualTo(received.endedAt());
		assertThat(received.status()).isEqualTo(UploadStatus.RECEIVED);
	}

	private static TimelineStep received() {
		return new TimelineStep("ingest", "received", StepOutcome.SUCCEEDED, UploadStatus.RECEIVED, null, 1, T0,
				null);
	}

	private static TimelineStep started(String step, int attempt, int second) {
		return new TimelineStep("svc", step, StepOutcome.STARTED, UploadStatus.PROCESSING, null, attempt,
				T0.plusSeconds(second), null);
	}

	private static TimelineStep ended(String step, int attempt, StepOutcome outcome, UploadStatus status,
			String reason, int second) {
		return new TimelineStep("svc", step, outcome, status, reason, attempt, T0.plusSeconds(second), null);
	}

}
