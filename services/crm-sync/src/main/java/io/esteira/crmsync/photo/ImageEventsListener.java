package io.esteira.crmsync.photo;

import io.awspring.cloud.sqs.annotation.SqsListener;
import io.awspring.cloud.sqs.listener.SqsHeaders;
import io.esteira.shared.event.ImageProcessedEvent;

import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code esteira.aws.queues.image-events}. The message is acknowledged when this method returns, i.e. after
 * the sync's transaction committed; an exception leaves it to come back after the visibility timeout. Bodies that do
 * not convert to {@link ImageProcessedEvent} fail before reaching here and end in the dead-letter queue.
 */
@Component
class ImageEventsListener {

	private final PhotoLinkService photoLinks;

	ImageEventsListener(PhotoLinkService photoLinks) {
		this.photoLinks = photoLinks;
	}

	@SqsListener("${esteira.aws.queues.image-events}")
	void onImageProcessed(ImageProcessedEvent event,
			@Header(name = SqsHeaders.MessageSystemAttributes.SQS_APPROXIMATE_RECEIVE_COUNT,
					required = false) String receiveCount) {
		this.photoLinks.sync(event, attempt(receiveCount));
	}

	private static int attempt(String receiveCount) {
		try {
			return (receiveCount != null) ? Math.max(1, Integer.parseInt(receiveCount)) : 1;
		}
		catch (NumberFormatException ex) {
			return 1;
		}
	}

}
