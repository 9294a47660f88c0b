package io.esteira.crmsync.photo;

import java.time.Duration;

import io.awspring.cloud.sqs.annotation.SqsListener;
import io.awspring.cloud.sqs.listener.SqsHeaders;
import io.awspring.cloud.sqs.listener.Visibility;
import io.esteira.crmsync.config.CrmProperties;
import io.esteira.crmsync.crm.CrmAvailability;
import io.esteira.crmsync.crm.CrmUnavailableException;
import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.platform.observability.PipelineTracing;
import io.esteira.platform.retry.RetryPolicy;
import io.esteira.platform.retry.RetryPolicies;
import io.esteira.platform.retry.StepDelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code esteira.aws.queues.image-events}. The message is acknowledged when this method returns, i.e. after
 * the sync's transaction committed and the owner was notified. When the CRM is unavailable the {@code crm-sync}
 * step's {@link RetryPolicy} ({@code esteira.retry.steps.crm-sync.*}, else {@code esteira.retry.default.*}) is carried
 * out by {@link StepDelivery}: the message's visibility is changed to the policy's delay, but never less than what
 * the CRM asked for (see {@link #floor}), and the exception propagates, so SQS redelivers it then — no thread sleeps.
 * On the policy's last attempt the step is recorded {@code FAILED} with the last error and the message is made visible
 * at once, so SQS moves it to the dead-letter queue. Bodies that do not convert to {@link ImageProcessedEvent} fail
 * before reaching here and end in the dead-letter queue.
 */
@Component
class ImageEventsListener {

	/** The listener container's id (the consumer is paused and resumed through it). */
	static final String ID = "image-events";

	private static final Logger logger = LoggerFactory.getLogger(ImageEventsListener.class);

	private final PhotoLinkService photoLinks;

	private final OwnerNotifications notifications;

	private final CrmAvailability availability;

	private final CrmProperties settings;

	private final RetryPolicy retry;

	ImageEventsListener(PhotoLinkService photoLinks, OwnerNotifications notifications, CrmAvailability availability,
			CrmProperties settings, RetryPolicies retryPolicies) {
		this.photoLinks = photoLinks;
		this.notifications = notifications;
		this.availability = availability;
		this.settings = settings;
		this.retry = retryPolicies.forStep(PhotoLinkService.STEP);
	}

	@SqsListener(value = "${esteira.aws.queues.image-events}", id = ID)
	void onImageProcessed(ImageProcessedEvent event,
			@Header(name = SqsHeaders.MessageSystemAttributes.SQS_APPROXIMATE_RECEIVE_COUNT,
					required = false) String receiveCount,
			Visibility visibility) {
		StepDelivery delivery = new StepDelivery(this.retry, receiveCount, visibility);
		// Every log line about this delivery names its upload (JSON logs: the uploadId field).
		try (MDC.MDCCloseable logged = MDC.putCloseable(PipelineTracing.UPLOAD_ID, String.valueOf(event.uploadId()))) {
			try {
				CrmSyncStatus status = this.photoLinks.sync(event, delivery.attempt(), delivery.maxAttempts());
				if (status == CrmSyncStatus.FAILED) {
					visibility.changeTo(0);
					throw new GaveUpException(
							"upload " + event.uploadId() + " already failed; on to the dead-letter queue");
				}
				this.notifications.notifyOwner(event.uploadId());
			}
			catch (CrmUnavailableException ex) {
				retryLater(event, delivery, ex);
				throw ex;
			}
		}
	}

	private void retryLater(ImageProcessedEvent event, StepDelivery delivery, CrmUnavailableException ex) {
		if (delivery.retryLater(() -> this.photoLinks.fail(event, delivery.attempt(), ex.getMessage()), floor(ex))) {
			logger.warn("Upload {}: attempt {} of {} failed ({}); retrying in {} s", event.uploadId(),
					delivery.attempt(), delivery.maxAttempts(), ex.getMessage(), delivery.retryDelaySeconds());
		}
		else {
			logger.warn("Upload {}: attempt {} of {} failed ({}); giving up", event.uploadId(), delivery.attempt(),
					delivery.maxAttempts(), ex.getMessage());
		}
	}

	/**
	 * The least the next attempt waits, whatever the policy's delay, by why the CRM was unavailable: rate limited —
	 * what it asked ({@code Retry-After}), else the rate-limit window; daily quota used up, token refused — until the
	 * pause ends ({@link CrmAvailability}); anything else (5xx, timeout, reset) — a {@code Retry-After} if given.
	 */
	private Duration floor(CrmUnavailableException ex) {
		return switch (ex.reason()) {
			case RATE_LIMITED -> ex.retryAfter().orElse(this.settings.rateLimit().period());
			case DAILY_LIMIT, CREDENTIALS_REFUSED -> this.availability.remaining();
			case TRANSIENT -> ex.retryAfter().orElse(Duration.ZERO);
		};
	}

	/** A delivery after the last attempt: fail fast so that SQS moves the message to the dead-letter queue. */
	static final class GaveUpException extends RuntimeException {

		GaveUpException(String message) {
			super(message);
		}

	}

}
