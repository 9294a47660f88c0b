package io.esteira.ingest.deadletter;

import java.util.UUID;

import io.esteira.ingest.upload.timeline.UploadTimeline;
import io.esteira.platform.aws.EsteiraAwsProperties;
import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.contracts.event.PipelineNames;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.contracts.s3.S3Events;
import io.esteira.contracts.s3.S3ObjectEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Puts a message moved back from a dead-letter queue on the timeline of the upload it is about (step
 * {@value #STEP}): a status report or an "image processed" event names its upload, an S3 event its object. The
 * receive-and-resend move records each message it resends; before an SQS message move task, which does not show what
 * it moves, the dead-letter queue is read (and left as it was) so its messages can be recorded once the task started.
 * Bookkeeping never stops a move: a message that names no known upload is moved all the same.
 */
@Component
class DeadLetterSteps {

	static final String STEP = PipelineNames.Steps.DEAD_LETTER_REDRIVE;

	private static final Logger logger = LoggerFactory.getLogger(DeadLetterSteps.class);

	private final UploadTimeline timeline;

	private final EsteiraAwsProperties aws;

	private final JsonMapper json;

	DeadLetterSteps(UploadTimeline timeline, EsteiraAwsProperties aws, JsonMapper json) {
		this.timeline = timeline;
		this.aws = aws;
		this.json = json;
	}

	/** Records that {@code body} went from {@code deadLetterQueue} back to {@code queue}. */
	void moved(String queue, String deadLetterQueue, String body) {
		String reason = "moved from " + deadLetterQueue + " back to " + queue;
		try {
			if (queue.equals(this.aws.queues().status())) {
				record(this.json.readValue(body, UploadStatusEvent.class).uploadId(), reason);
			}
			else if (queue.equals(this.aws.queues().imageEvents())) {
				record(this.json.readValue(body, ImageProcessedEvent.class).uploadId(), reason);
			}
			else {
				for (S3ObjectEvent event : S3Events.decode(body)) {
					this.timeline.recordOwnStepForObject(event.key(), STEP, StepOutcome.SUCCEEDED, reason);
				}
			}
		}
		catch (RuntimeException ex) {
			logger.info("A message moved from {} back to {} names no upload ({}); not on any timeline",
					deadLetterQueue, queue, ex.toString());
		}
	}

	private void record(UUID uploadId, String reason) {
		if (uploadId != null) {
			this.timeline.recordOwnStep(uploadId, STEP, StepOutcome.SUCCEEDED, reason);
		}
	}

}
