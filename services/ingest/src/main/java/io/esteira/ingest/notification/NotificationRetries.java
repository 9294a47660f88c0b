package io.esteira.ingest.notification;

import java.time.Clock;
import java.time.Instant;

import io.esteira.ingest.config.IngestProperties;
import io.esteira.ingest.upload.UploadFinished;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.modulith.events.EventPublication;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Retries failed notifications from the outbox, like a Step Functions {@code Retry}: a publication that failed
 * {@code n} times is resubmitted once {@code initialInterval * backoffRate^(n-1)} (at most {@code maxInterval}) has
 * passed since its last try, until {@code maxAttempts} deliveries were tried; then it stays failed in the outbox
 * table for an operator. Publications still in flight are not touched; those cut short by a crash are resubmitted at
 * start-up ({@code spring.modulith.events.republish-outstanding-events-on-restart}).
 */
@Component
class NotificationRetries {

	private static final Logger logger = LoggerFactory.getLogger(NotificationRetries.class);

	private final FailedEventPublications failed;

	private final IngestProperties.Retry retry;

	private final Clock clock;

	NotificationRetries(FailedEventPublications failed, IngestProperties properties, Clock clock) {
		this.failed = failed;
		this.retry = properties.notifications().retry();
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${esteira.ingest.notifications.retry.check-interval:2s}")
	void resubmitDue() {
		this.failed.resubmit(ResubmissionOptions.defaults().withFilter(this::isDue));
	}

	boolean isDue(EventPublication publication) {
		if (!(publication.getEvent() instanceof UploadFinished finished)) {
			return false;
		}
		int attempts = Math.max(1, publication.getCompletionAttempts());
		if (attempts >= this.retry.maxAttempts()) {
			return false;
		}
		Instant last = (publication.getLastResubmissionDate() != null) ? publication.getLastResubmissionDate()
				: publication.getPublicationDate();
		boolean due = !this.clock.instant().isBefore(last.plus(this.retry.delayAfter(attempts)));
		if (due) {
			logger.info("Retrying notification of upload {} {} (attempt {})", finished.uploadId(), finished.status(),
					attempts + 1);
		}
		return due;
	}

}
