package io.esteira.ingest.notification;

import io.esteira.ingest.upload.UploadFinished;
import io.esteira.ingest.upload.timeline.UploadTimeline;
import io.esteira.contracts.event.StepOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Puts delivered notifications on the upload's timeline ({@code ingest/notified} for SNS, {@code ingest/callback}).
 * Best effort: the notification already went out, so a failure here is logged, never thrown (throwing would mark the
 * delivery failed and send it again).
 */
@Component
class NotificationSteps {

	private static final Logger logger = LoggerFactory.getLogger(NotificationSteps.class);

	private final UploadTimeline timeline;

	NotificationSteps(UploadTimeline timeline) {
		this.timeline = timeline;
	}

	void noteDelivered(UploadFinished finished, String step, String reason) {
		try {
			this.timeline.recordOwnStep(finished.uploadId(), step, StepOutcome.SUCCEEDED,
					finished.status() + " " + reason);
		}
		catch (RuntimeException ex) {
			logger.warn("Upload {}: {} delivered but not recorded on the timeline", finished.uploadId(), step, ex);
		}
	}

}
