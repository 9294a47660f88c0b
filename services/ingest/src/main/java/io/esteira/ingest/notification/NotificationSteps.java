package io.esteira.ingest.notification;

import io.esteira.ingest.upload.UploadFinished;
import io.esteira.ingest.upload.timeline.UploadTimeline;
import io.esteira.contracts.event.StepOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Puts delivered notifications on the upload's timeline ({@code ingest/notified} for SNS, {@code ingest/callback}),
 * and refused ones ({@code REJECTED}, with the reason). Best effort: the notification already went out (or never
 * will), so a failure here is logged, never thrown (throwing would mark the delivery failed and send it again).
 */
@Component
class NotificationSteps {

	private static final Logger logger = LoggerFactory.getLogger(NotificationSteps.class);

	private final UploadTimeline timeline;

	NotificationSteps(UploadTimeline timeline) {
		this.timeline = timeline;
	}

	void noteDelivered(UploadFinished finished, String step, String reason) {
		note(finished, step, StepOutcome.SUCCEEDED, reason);
	}

	/** A notification that will not be sent (e.g. a callback to an internal address): {@code REJECTED}. */
	void noteRefused(UploadFinished finished, String step, String reason) {
		note(finished, step, StepOutcome.REJECTED, reason);
	}

	private void note(UploadFinished finished, String step, StepOutcome outcome, String reason) {
		try {
			this.timeline.recordOwnStep(finished.uploadId(), step, outcome, finished.status() + " " + reason);
		}
		catch (RuntimeException ex) {
			logger.warn("Upload {}: {} {} but not recorded on the timeline", finished.uploadId(), step, outcome, ex);
		}
	}

}
