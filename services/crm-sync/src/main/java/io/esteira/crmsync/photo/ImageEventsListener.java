package io.esteira.crmsync.photo;

import java.time.Duration;

import io.awspring.cloud.sqs.annotation.SqsListener;
import io.awspring.cloud.sqs.listener.SqsHeaders;
import io.awspring.cloud.sqs.listener.Visibility;
import io.esteira.crmsync.config.CrmProperties;
import io.esteira.crmsync.crm.CrmUnavailableException;
import io.esteira.shared.event.ImageProcessedEvent;
import io.esteira.shared.observability.PipelineTracing;
import io.esteira.shared.retry.RetryPolicy;
import io.esteira.shared.retry.SqsAttempts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code esteira.aws.queues.image-events}. The message is acknowledged when this method returns, i.e. after
 * the sync's transaction committed and the owner was notified. When the CRM is unavailable the message's visibility
 * is changed to the retry delay ({@link RetryDelays}) and the exception propagates, so SQS redelivers it then — no
 * thread sleeps. On the last attempt ({@code esteira.crm.retry.max-attempts}) the step is recorded {@code FAILED}
 * with the last error and the message is made visible at once, so SQS moves it to the dead-letter queue. Bodies that
 * do not convert to {@link ImageProcessedEvent} fail before reaching here and end in the dead-letter queue.
 */
@Component
class ImageEventsListener {

	/** The listener container's id (the consumer is paused and resumed through it). */
	static final String ID = "image-events";

	private static final Logger logger = LoggerFactory.getLogger(ImageEventsListener.class);

	private final PhotoLinkService photoLinks;

	private final OwnerNotifications notifications;

	private final RetryDelays delays;

	private final CrmProperties settings;

	ImageEventsListener(PhotoLinkService photoLinks, OwnerNotifications notifications, RetryDelays delays,
			CrmProperties settings) {
		this.photoLinks = photoLinks;
		this.notifications = notifications;
		this.delays = delays;
		this.settings = settings;
	}

	@SqsListener(value = "${esteira.aws.queues.image-events}", id = ID)
	void onImageProcessed(ImageProcessedEvent event,
			@Header(name = SqsHeaders.MessageSystemAttributes.SQS_APPROXIMATE_RECEIVE_COUNT,
					required = false) String receiveCount,
			Visibility visibility) {
		int attempt = SqsAttempts.attempt(receiveCount);
		// Every log line about this delivery names its upload (JSON logs: the uploadId field).
		try (MDC.MDCCloseable logged = MDC.putCloseable(PipelineTracing.UPLOAD_ID, String.valueOf(event.uploadId()))) {
			try {
				CrmSyncStatus status = this.photoLinks.sync(event, attempt);
				if (status == CrmSyncStatus.FAILED) {
					visibility.changeTo(0);
					throw new GaveUpException(
							"upload " + event.uploadId() + " already failed; on to the dead-letter queue");
				}
				this.notifications.notifyOwner(event.uploadId());
			}
			catch (CrmUnavailableException ex) {
				retryLater(event, attempt, ex, visibility);
				throw ex;
			}
		}
	}

	private void retryLater(ImageProcessedEvent event, int attempt, CrmUnavailableException ex,
			Visibility visibility) {
		int maxAttempts = this.settings.retry().maxAttempts();
		if (attempt >= maxAttempts) {
			this.photoLinks.fail(event, attempt, ex.getMessage());
			visibility.changeTo(0);
			logger.warn("Upload {}: attempt {} of {} failed ({}); giving up", event.uploadId(), attempt, maxAttempts,
					ex.getMessage());
			return;
		}
		Duration delay = this.delays.delay(ex, attempt);
		int seconds = RetryPolicy.toVisibilitySeconds(delay);
		visibility.changeTo(seconds);
		logger.warn("Upload {}: attempt {} of {} failed ({}); retrying in {} s", event.uploadId(), attempt,
				maxAttempts, ex.getMessage(), seconds);
	}

	/** A delivery after the last attempt: fail fast so that SQS moves the message to the dead-letter queue. */
	static final class GaveUpException extends RuntimeException {

		GaveUpException(String message) {
			super(message);
		}

	}

}
