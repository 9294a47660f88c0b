package io.esteira.imageprocessing.image;

import java.util.List;

import io.awspring.cloud.sqs.annotation.SqsListener;
import io.esteira.shared.s3.S3Events;
import io.esteira.shared.s3.S3ObjectEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Consumes S3 event notifications for {@code images/} from the images queue. A message that is not an S3 event
 * throws ({@link io.esteira.shared.s3.MalformedEventException}), comes back and ends in the dead-letter queue; so does
 * one whose processing fails for a transient reason more often than the redrive policy allows.
 */
@Component
class ImageEventListener {

	private static final Logger logger = LoggerFactory.getLogger(ImageEventListener.class);

	private final ImageProcessingService service;

	ImageEventListener(ImageProcessingService service) {
		this.service = service;
	}

	@SqsListener(value = "${esteira.aws.queues.images}", maxConcurrentMessages = "${esteira.images.concurrency:2}",
			maxMessagesPerPoll = "${esteira.images.concurrency:2}")
	void onMessage(String body) {
		List<S3ObjectEvent> events = S3Events.decode(body);
		if (events.isEmpty()) {
			logger.info("S3 notification without records (s3:TestEvent) acknowledged");
		}
		for (S3ObjectEvent event : events) {
			if (event.isObjectCreated()) {
				// One transaction per record: a failure on a later record redelivers the message, and the records
				// already handled are then duplicates.
				this.service.process(event);
			}
			else {
				logger.info("Ignored {} for s3://{}/{}", event.eventName(), event.bucket(), event.key());
			}
		}
	}

}
