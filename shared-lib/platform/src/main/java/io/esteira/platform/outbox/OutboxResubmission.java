package io.esteira.platform.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.esteira.platform.retry.RetryPolicies;
import io.esteira.platform.retry.RetryPolicy;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.modulith.events.EventPublication;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;

/**
 * Tries failed outbox publications again, in every service, without a restart: a publication whose send failed (SQS
 * refused it, a callback answered 500) is resubmitted once its step's {@link RetryPolicy} delay after attempt
 * {@code n} has passed since its last try, until the policy's attempts are spent; then it stays failed in the outbox
 * table, where {@link OutboxMetrics} shows its age to an alert. The step is the one an {@link OutboxStep} bean names
 * for the event, else {@value #STEP} (defaults: 1 s doubling up to 30 s, 1,000 attempts).
 * <p>
 * Publications cut short by a crash are declared failed by Spring Modulith's staleness monitor
 * ({@code spring.modulith.events.staleness.*}, 2 minutes by default here) and then follow the same path.
 * <p>
 * Safe with several replicas: Spring Modulith marks a publication resubmitted with a conditional update before it
 * resubmits it, so of two replicas looking at the same failed publication one sends it; and every consumer is
 * idempotent should a send be repeated anyway.
 */
public class OutboxResubmission implements SmartLifecycle {

	/** The step whose retry policy governs the outbox's sends by default. */
	public static final String STEP = "outbox";

	private static final Logger logger = LoggerFactory.getLogger(OutboxResubmission.class);

	private final FailedEventPublications failed;

	private final RetryPolicies policies;

	private final List<OutboxStep> steps;

	private final Clock clock;

	private final Duration checkInterval;

	private @Nullable ScheduledExecutorService scheduler;

	public OutboxResubmission(FailedEventPublications failed, RetryPolicies policies, List<OutboxStep> steps,
			Clock clock, Duration checkInterval) {
		this.failed = failed;
		this.policies = policies;
		this.steps = steps;
		this.clock = clock;
		this.checkInterval = checkInterval;
	}

	/** Resubmits every failed publication that is due. */
	public void resubmitDue() {
		this.failed.resubmit(ResubmissionOptions.defaults().withFilter(this::isDue));
	}

	/** Whether a failed publication's next attempt is due now, by its step's policy. */
	public boolean isDue(EventPublication publication) {
		Object event = publication.getEvent();
		RetryPolicy policy = this.policies.forStep(stepOf(event));
		int attempts = Math.max(1, publication.getCompletionAttempts());
		if (policy.isLastAttempt(attempts)) {
			return false;
		}
		Instant last = Objects.requireNonNullElse(publication.getLastResubmissionDate(),
				publication.getPublicationDate());
		// Asked again at every check: the jitter is drawn from the publication and attempt, so it stays put.
		SplittableRandom jitter = new SplittableRandom(publication.getIdentifier().getMostSignificantBits() ^ attempts);
		boolean due = !this.clock.instant().isBefore(last.plus(policy.delay(attempts, jitter)));
		if (due) {
			logger.info("Resubmitting {} (publication {}, attempt {})", event.getClass().getSimpleName(),
					publication.getIdentifier(), attempts + 1);
		}
		return due;
	}

	private String stepOf(Object event) {
		for (OutboxStep step : this.steps) {
			String name = step.stepOf(event);
			if (name != null) {
				return name;
			}
		}
		return STEP;
	}

	@Override
	public void start() {
		ScheduledExecutorService scheduler = Executors
			.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("outbox-resubmission").factory());
		long interval = this.checkInterval.toMillis();
		scheduler.scheduleWithFixedDelay(this::resubmitSafely, interval, interval, TimeUnit.MILLISECONDS);
		this.scheduler = scheduler;
	}

	private void resubmitSafely() {
		try {
			resubmitDue();
		}
		catch (RuntimeException ex) {
			// The database may be away too; the next check tries again.
			logger.warn("Could not look at failed outbox publications: {}", ex.toString());
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService scheduler = this.scheduler;
		if (scheduler != null) {
			scheduler.shutdownNow();
			this.scheduler = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

}
