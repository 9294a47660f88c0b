package io.esteira.invoice.imports;

import java.util.List;

import io.esteira.invoice.config.InvoiceProperties;
import io.esteira.platform.aws.EsteiraAwsProperties;
import io.esteira.platform.retry.RetryPolicies;
import io.esteira.platform.retry.RetryPolicy;
import io.esteira.platform.retry.StepDelivery;
import io.esteira.contracts.s3.S3Events;
import io.esteira.contracts.s3.S3ObjectEvent;
import io.awspring.cloud.sqs.annotation.SqsListener;
import io.awspring.cloud.sqs.listener.SqsHeaders;
import io.awspring.cloud.sqs.listener.Visibility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/**
 * Consumes S3 event notifications from the invoices queue and imports each new object of the uploads bucket.
 * {@code s3:TestEvent}, removals and events for other buckets (a guard against loops through the output bucket) are
 * acknowledged and dropped. For files larger than {@code large-file-bytes} the message's visibility timeout is raised
 * to {@code large-file-visibility} first.
 * <p>
 * Bad files never throw (the import ends REJECTED). Anything else that fails the import (S3 or the database
 * unavailable) is transient and retried by the policy of step {@code invoice-import}
 * ({@code esteira.retry.steps.invoice-import.*}, else {@code esteira.retry.default.*}): the message's visibility is
 * changed to the policy's delay and the exception propagates, so SQS delivers it again then. When the last attempt
 * fails, the import is recorded FAILED (summary and status event) and the message is made visible at once, so SQS
 * moves it to the dead-letter queue (keep {@code max-attempts} equal to the queue's {@code maxReceiveCount}).
 * Messages that are not S3 events are bad input too: made visible at once and thrown, so they reach the dead-letter
 * queue without waiting.
 */
@Component
class InvoiceEventListener {

	private static final Logger logger = LoggerFactory.getLogger(InvoiceEventListener.class);

	private static final int MAX_REASON_LENGTH = 500;

	private final InvoiceImportService imports;

	private final EsteiraAwsProperties aws;

	private final InvoiceProperties properties;

	private final RetryPolicy retry;

	InvoiceEventListener(InvoiceImportService imports, EsteiraAwsProperties aws, InvoiceProperties properties,
			RetryPolicies retryPolicies) {
		this.imports = imports;
		this.aws = aws;
		this.properties = properties;
		this.retry = retryPolicies.forStep(InvoiceImportService.IMPORT_STEP);
	}

	@SqsListener("${esteira.aws.queues.invoices}")
	void onS3Event(String body,
			@Header(name = SqsHeaders.MessageSystemAttributes.SQS_APPROXIMATE_RECEIVE_COUNT,
					required = false) String receiveCount,
			@Header(name = S3Events.REDRIVE_RUN_ATTRIBUTE, required = false) Object redriveRun,
			Visibility visibility) {
		StepDelivery delivery = new StepDelivery(this.retry, receiveCount, visibility);
		// Not an S3 event: made visible at once and thrown, no retry will make it one.
		List<S3ObjectEvent> events = delivery.decode(body);
		long bytes = events.stream().mapToLong(S3ObjectEvent::size).sum();
		if (bytes > this.properties.largeFileBytes()) {
			// A large file outlasts the queue's visibility timeout: without this, the message would come back
			// while it is imported and a second delivery would wait on the import's claim.
			visibility.changeTo((int) this.properties.largeFileVisibility().toSeconds());
		}
		for (S3ObjectEvent event : events) {
			if (!event.isObjectCreated()) {
				logger.debug("Ignoring {} of s3://{}/{}", event.eventName(), event.bucket(), event.key());
			}
			else if (!this.aws.uploadsBucket().equals(event.bucket())) {
				logger.warn("Ignoring {} of s3://{}/{}: not the uploads bucket", event.eventName(), event.bucket(),
						event.key());
			}
			else {
				importObject(event, delivery, S3Events.redriveRun(redriveRun));
			}
		}
	}

	private void importObject(S3ObjectEvent event, StepDelivery delivery, int redriveRun) {
		try {
			this.imports.importObject(event, delivery.attempt(), redriveRun);
		}
		catch (RuntimeException ex) {
			// Replaces the large-file visibility too: the retry comes after the policy's delay, not 15 minutes.
			if (delivery.retryLater(() -> giveUp(event, delivery.attempt(), ex))) {
				logger.warn("s3://{}/{}: attempt {} of {} failed ({}); retrying in {} s", event.bucket(),
						event.key(), delivery.attempt(), delivery.maxAttempts(), ex.toString(),
						delivery.retryDelaySeconds());
			}
			throw ex;
		}
	}

	private void giveUp(S3ObjectEvent event, int attempt, RuntimeException cause) {
		String reason = reason(cause);
		try {
			boolean recorded = this.imports.fail(event, attempt, reason);
			logger.error("s3://{}/{}: attempt {} of {} failed ({}); giving up{}", event.bucket(), event.key(),
					attempt, this.retry.maxAttempts(), reason,
					recorded ? ", import FAILED" : " (this object version was already imported)", cause);
		}
		catch (RuntimeException ex) {
			// The failure cannot even be recorded (the database is what failed): the message still goes to the
			// dead-letter queue, from where it can be moved back.
			cause.addSuppressed(ex);
			logger.error("s3://{}/{}: attempt {} of {} failed ({}); giving up, and the failure could not be recorded",
					event.bucket(), event.key(), attempt, this.retry.maxAttempts(), reason, cause);
		}
	}

	/** What failed, for the timeline: the exception's type and message, shortened. */
	private static String reason(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String text = "transient failure, retries exhausted: " + root.getClass().getSimpleName()
				+ ((root.getMessage() != null) ? ": " + root.getMessage().strip().replaceAll("\\s+", " ") : "");
		return (text.length() > MAX_REASON_LENGTH) ? text.substring(0, MAX_REASON_LENGTH - 1) + "…" : text;
	}

}
