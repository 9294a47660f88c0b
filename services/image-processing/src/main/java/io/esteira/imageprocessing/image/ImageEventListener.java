package io.esteira.imageprocessing.image;

import java.util.List;

import io.awspring.cloud.sqs.annotation.SqsListener;
import io.awspring.cloud.sqs.listener.SqsHeaders;
import io.awspring.cloud.sqs.listener.Visibility;
import io.esteira.imageprocessing.config.ImageProperties;
import io.esteira.platform.retry.RetryPolicies;
import io.esteira.platform.retry.StepDelivery;
import io.esteira.contracts.s3.MalformedEventException;
import io.esteira.contracts.s3.S3Events;
import io.esteira.contracts.s3.S3ObjectEvent;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/**
 * Consumes S3 event notifications for {@code images/} from the images queue, and carries out the {@code thumbnail}
 * step's retry policy ({@code esteira.retry.steps.thumbnail.*}, else {@code esteira.retry.default.*}) through SQS.
 * <ul>
 * <li>A redrive's notification ({@link S3Events#REDRIVE_RUN_ATTRIBUTE}) for an image already done is reported again
 * for the new run and handed on to CRM sync, without rendering it again.</li>
 * <li>Bad input is never retried: images that cannot be processed are recorded {@code REJECTED} by the service and
 * acknowledged; a body that is not an S3 event ({@link MalformedEventException}), is longer than
 * {@code esteira.images.max-message-chars} or holds more than {@code max-records-per-message} records is made visible
 * again at once and thrown, so it reaches the dead-letter queue after the queue's {@code maxReceiveCount} immediate
 * redeliveries.</li>
 * <li>A transient failure (S3 or the database unavailable, no decode slot) changes the message's visibility to the
 * policy's delay for this attempt (the SQS receive count) and throws: SQS delivers it again then, and no thread
 * waits.</li>
 * <li>On the policy's last attempt the step is recorded {@code FAILED} (the {@code images} row and the upload's
 * timeline, status {@code FAILED}) and the message is made visible at once and thrown, so SQS moves it to
 * {@code esteira-images-dlq}. Keep {@code max-attempts} equal to the queue's {@code maxReceiveCount}: with fewer,
 * the deliveries left over fail fast the same way; with more, the message reaches the DLQ before the step is
 * recorded {@code FAILED}.</li>
 * </ul>
 */
@Component
class ImageEventListener {

	private static final Logger logger = LoggerFactory.getLogger(ImageEventListener.class);

	private final ImageProcessingService service;

	private final RetryPolicies retries;

	private final MeterRegistry meters;

	private final ImageProperties properties;

	ImageEventListener(ImageProcessingService service, RetryPolicies retries, MeterRegistry meters,
			ImageProperties properties) {
		this.service = service;
		this.retries = retries;
		this.meters = meters;
		this.properties = properties;
	}

	@SqsListener(value = "${esteira.aws.queues.images}", maxConcurrentMessages = "${esteira.images.concurrency:2}",
			maxMessagesPerPoll = "${esteira.images.concurrency:2}")
	void onMessage(String body,
			@Header(name = SqsHeaders.MessageSystemAttributes.SQS_APPROXIMATE_RECEIVE_COUNT,
					required = false) String receiveCount,
			@Header(name = S3Events.REDRIVE_RUN_ATTRIBUTE, required = false) Object redriveRun,
			Visibility visibility) {
		StepDelivery delivery = new StepDelivery(this.retries.forStep(ImageProcessingService.STEP_THUMBNAIL),
				receiveCount, visibility);
		// Bad input: made visible at once and thrown, no point in waiting between deliveries.
		List<S3ObjectEvent> events = delivery.decode(body, this.properties.maxMessageChars(),
				this.properties.maxRecordsPerMessage());
		if (events.isEmpty()) {
			logger.info("S3 notification without records (s3:TestEvent) acknowledged");
		}
		for (S3ObjectEvent event : events) {
			if (event.isObjectCreated()) {
				// One transaction per record: a failure on a later record redelivers the message, and the records
				// already handled are then duplicates.
				try {
					this.service.process(event, delivery.attempt(), S3Events.redriveRun(redriveRun));
				}
				catch (RuntimeException ex) {
					retryLaterOrGiveUp(event, delivery, ex);
					throw ex;
				}
			}
			else {
				logger.info("Ignored {} for s3://{}/{}", event.eventName(), event.bucket(), event.key());
			}
		}
	}

	private void retryLaterOrGiveUp(S3ObjectEvent event, StepDelivery delivery, RuntimeException ex) {
		String reason = ImageProcessingService.failureReason(ex);
		if (delivery.retryLater(() -> recordFailure(event, delivery.attempt(), ex))) {
			this.meters.counter("esteira.images.retries", "reason", reason).increment();
			logger.warn("s3://{}/{}: attempt {} of {} failed ({}: {}); retrying in {} s", event.bucket(), event.key(),
					delivery.attempt(), delivery.maxAttempts(), reason, ex.toString(), delivery.retryDelaySeconds());
			return;
		}
		this.meters.counter("esteira.images.failures", "reason", reason).increment();
		logger.error("s3://{}/{}: attempt {} of {} failed ({}: {}); giving up, on to the dead-letter queue",
				event.bucket(), event.key(), delivery.attempt(), delivery.maxAttempts(), reason, ex.toString());
	}

	private void recordFailure(S3ObjectEvent event, int attempt, RuntimeException ex) {
		try {
			this.service.fail(event, attempt, ex);
		}
		catch (RuntimeException recordFailure) {
			// The database may be what is down: the message still goes to the DLQ, where a redrive finds it.
			logger.error("Could not record the failure of s3://{}/{}", event.bucket(), event.key(), recordFailure);
		}
	}

}
