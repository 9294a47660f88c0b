package io.esteira.ingest.upload.timeline;

import java.time.Duration;

import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.ingest.upload.UploadKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The pipeline's upload metrics, counted once the transaction that recorded them committed (a rolled-back status
 * counts nothing):
 * <ul>
 * <li>{@value #UPLOADS} (Prometheus {@code esteira_uploads_total}), tags {@code kind}, {@code status}: uploads that
 * entered a status, every kind and status registered at zero from the start;</li>
 * <li>{@value #STEP_DURATION} (Prometheus {@code esteira_step_duration_seconds}, with histogram buckets), tags
 * {@code service}, {@code step}, {@code outcome}: each run of a step that has a start and an end on the timeline (a
 * {@code STARTED} report and the report that ended it), from start to end as the services reported them.</li>
 * </ul>
 */
@Component
class UploadMetrics {

	static final String UPLOADS = "esteira.uploads";

	static final String STEP_DURATION = "esteira.step.duration";

	/** Histogram range: below a few milliseconds nothing is measured, above a few hours a step is stuck anyway. */
	private static final Duration MIN_EXPECTED = Duration.ofMillis(5);

	private static final Duration MAX_EXPECTED = Duration.ofHours(2);

	private final MeterRegistry registry;

	UploadMetrics(MeterRegistry registry) {
		this.registry = registry;
		for (UploadKind kind : UploadKind.values()) {
			for (UploadStatus status : UploadStatus.values()) {
				uploads(kind, status);
			}
		}
	}

	/** The upload entered {@code status}; counted after commit. */
	void entered(UploadKind kind, UploadStatus status) {
		afterCommit(() -> uploads(kind, status).increment());
	}

	/** A run of a step ended after {@code duration}; recorded after commit. */
	void stepFinished(String service, String step, StepOutcome outcome, Duration duration) {
		if (duration.isNegative()) {
			// the services' clocks disagree; a negative time says nothing about the step
			return;
		}
		afterCommit(() -> Timer.builder(STEP_DURATION)
			.description("Time from a step's STARTED report to the report that ended it")
			.tag("service", service)
			.tag("step", step)
			.tag("outcome", outcome.name())
			.publishPercentileHistogram()
			.minimumExpectedValue(MIN_EXPECTED)
			.maximumExpectedValue(MAX_EXPECTED)
			.register(this.registry)
			.record(duration));
	}

	private Counter uploads(UploadKind kind, UploadStatus status) {
		return Counter.builder(UPLOADS)
			.description("Uploads that entered a status")
			.tag("kind", kind.value())
			.tag("status", status.name())
			.register(this.registry);
	}

	private static void afterCommit(Runnable action) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			action.run();
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				action.run();
			}

		});
	}

}
