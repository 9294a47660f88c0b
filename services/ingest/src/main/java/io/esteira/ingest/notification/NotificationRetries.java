package io.esteira.ingest.notification;

import java.time.Clock;
import java.time.Instant;
import java.util.SplittableRandom;

import io.esteira.ingest.upload.UploadFinished;
import io.esteira.contracts.event.PipelineNames;
import io.esteira.platform.retry.RetryPolicies;
import io.esteira.platform.retry.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.modulith.events.EventPublication;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Retries failed notifications from the outbox with the {@code notified} step's {@link RetryPolicy}
 * ({@code esteira.retry.steps.notified.*}): a publication that failed {@code n} times is resubmitted once the
 * policy's delay after attempt {@code n} has passed since its last try, until {@code maxAttempts} deliveries were
 * tried; then it stays failed in the outbox table for an operator. Failed publications are looked at every
 * {@code esteira.ingest.notifications.check-interval}. Publications still in flight are not touched; those cut short by a crash are resubmitted at
 * start-up ({@code spring.modulith.events.republish-outstanding-events-on-restart}).
 */
@Component
class NotificationRetries {

	private static final Logger logger = LoggerFactory.getLogger(NotificationRetries.class);

	private final FailedEventPublications failed;

	private final RetryPolicy retry;

	private final Clock clock;

	NotificationRetries(FailedEventPublications failed, RetryPolicies retries, Clock clock) {
		this.failed = failed;
		this.retry = retries.forStep(PipelineNames.Steps.NOTIFIED);
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${esteira.ingest.notifications.check-interval:2s}")
	void resubmitDue() {
		this.failed.resubmit(ResubmissionOptions.defaults().withFilter(this::isDue));
	}

	boolean isDue(EventPublication publication) {
		if (!(publication.getEvent() instanceof UploadFinished finished)) {
			return false;
		}
		int attempts = Math.max(1, publication.getCompletionAttempts());
		if (this.retry.isLastAttempt(attempts)) {
			return false;
		}
		Instant last = (publication.getLastResubmissionDate() != null) ? publication.getLastResubmissionDate()
				: publication.getPublicationDate();
		// Asked again at every check: the jitter is drawn from the publication and attempt, so it stays put.
		SplittableRandom jitter = new SplittableRandom(publication.getIdentifier().getMostSignificantBits() ^ attempts);
		boolean due = !this.clock.instant().isBefore(last.plus(this.retry.delay(attempts, jitter)));
		if (due) {
			logger.info("Retrying notification of upload {} {} (attempt {})", finished.uploadId(), finished.status(),
					attempts + 1);
		}
		return due;
	}

}
