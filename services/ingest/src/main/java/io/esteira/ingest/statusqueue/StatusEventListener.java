package io.esteira.ingest.statusqueue;

import java.util.ArrayList;
import java.util.List;

import io.awspring.cloud.sqs.annotation.SqsListener;
import io.awspring.cloud.sqs.listener.SqsHeaders;
import io.awspring.cloud.sqs.listener.Visibility;
import io.esteira.ingest.upload.timeline.UploadTimeline;
import io.esteira.contracts.event.PipelineNames;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.platform.observability.PipelineTracing;
import io.esteira.platform.retry.RetryPolicies;
import io.esteira.platform.retry.StepDelivery;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/**
 * Consumes the status queue. The body is JSON of {@link UploadStatusEvent}, converted by the parameter type (no type
 * header needed, so any producer can send it). The message is acknowledged only after the step's transaction
 * committed. A report about an upload ingest does not know registers it when it names the upload's object
 * ({@link UploadTimeline#record}); otherwise it is logged and acknowledged (redelivering it would not help).
 * <ul>
 * <li>Bad input is never retried with a delay: a body that does not convert fails before this listener runs, and one
 * that lacks ids or names a service or step over {@value #MAX_NAME_LENGTH} characters is made visible again at once
 * and thrown; either way it reaches the dead-letter queue after the queue's {@code maxReceiveCount} deliveries. A
 * reason over {@value #MAX_REASON_LENGTH} characters is cut (SQS bounds a message at 256 KB).</li>
 * <li>A failure to record (the database unavailable) carries out the {@code status} step's retry policy
 * ({@code esteira.retry.steps.status.*}) through the message's visibility: it comes back after the policy's delay
 * for this attempt, so a database outage of several minutes is ridden out instead of filling the dead-letter
 * queue.</li>
 * <li>On the policy's last attempt there is nothing to record (the database is what failed): the failure is logged
 * and counted ({@code esteira.status.failures}), and the message is made visible at once, on to
 * {@code esteira-status-dlq}, where a redrive finds it. Keep {@code max-attempts} equal to the queue's
 * {@code maxReceiveCount}.</li>
 * </ul>
 */
@Component
class StatusEventListener {

	private static final Logger logger = LoggerFactory.getLogger(StatusEventListener.class);

	/** Longest service or step name accepted: longer ones are malformed. */
	static final int MAX_NAME_LENGTH = 64;

	/** Longest reason recorded: longer ones are cut. */
	static final int MAX_REASON_LENGTH = 2000;

	private final UploadTimeline timeline;

	private final RetryPolicies retries;

	private final MeterRegistry meters;

	StatusEventListener(UploadTimeline timeline, RetryPolicies retries, MeterRegistry meters) {
		this.timeline = timeline;
		this.retries = retries;
		this.meters = meters;
	}

	@SqsListener("${esteira.aws.queues.status}")
	void onStatus(UploadStatusEvent event,
			@Header(name = SqsHeaders.MessageSystemAttributes.SQS_APPROXIMATE_RECEIVE_COUNT,
					required = false) String receiveCount,
			Visibility visibility) {
		StepDelivery delivery = new StepDelivery(this.retries.forStep(PipelineNames.Steps.STATUS), receiveCount,
				visibility);
		UploadStatusEvent complete = requireComplete(event, visibility);
		// Every log line about this step names its upload.
		try (MDC.MDCCloseable upload = MDC.putCloseable(PipelineTracing.UPLOAD_ID, complete.uploadId().toString())) {
			try {
				this.timeline.record(complete);
			}
			catch (RuntimeException ex) {
				retryLaterOrGiveUp(complete, delivery, ex);
				throw ex;
			}
		}
	}

	private void retryLaterOrGiveUp(UploadStatusEvent event, StepDelivery delivery, RuntimeException ex) {
		String reason = ex.getClass().getSimpleName();
		// Nothing to record on the last attempt: the database is what failed.
		if (delivery.retryLater(() -> {
		})) {
			this.meters.counter("esteira.status.retries", "reason", reason).increment();
			logger.warn("Status event {} ({}/{}): attempt {} of {} failed ({}); retrying in {} s", event.eventId(),
					event.service(), event.step(), delivery.attempt(), delivery.maxAttempts(), ex.toString(),
					delivery.retryDelaySeconds());
			return;
		}
		this.meters.counter("esteira.status.failures", "reason", reason).increment();
		logger.error("Status event {} ({}/{}): attempt {} of {} failed ({}); giving up, on to the dead-letter queue",
				event.eventId(), event.service(), event.step(), delivery.attempt(), delivery.maxAttempts(),
				ex.toString());
	}

	private static UploadStatusEvent requireComplete(UploadStatusEvent event, Visibility visibility) {
		List<String> missing = new ArrayList<>();
		if (isTooLong(event.service()) || isTooLong(event.step())) {
			// Bad input: nothing any service reports (names are a few words), and not worth a row.
			visibility.changeTo(0);
			throw new MalformedStatusEventException(
					"Status event with a service or step name over " + MAX_NAME_LENGTH + " characters");
		}
		if (event.eventId() == null) {
			missing.add("eventId");
		}
		if (event.uploadId() == null) {
			missing.add("uploadId");
		}
		if (event.service() == null || event.service().isBlank()) {
			missing.add("service");
		}
		if (event.step() == null || event.step().isBlank()) {
			missing.add("step");
		}
		if (event.outcome() == null) {
			missing.add("outcome");
		}
		if (!missing.isEmpty()) {
			// Bad input: waiting between deliveries would not help.
			visibility.changeTo(0);
			throw new MalformedStatusEventException("Status event without " + String.join(", ", missing));
		}
		return withBoundedReason(event);
	}

	private static boolean isTooLong(String name) {
		return name != null && name.length() > MAX_NAME_LENGTH;
	}

	/** The report, its reason cut to {@value #MAX_REASON_LENGTH} characters (a timeline row, not a log file). */
	private static UploadStatusEvent withBoundedReason(UploadStatusEvent event) {
		String reason = event.reason();
		if (reason == null || reason.length() <= MAX_REASON_LENGTH) {
			return event;
		}
		String cut = reason.substring(0, MAX_REASON_LENGTH) + "... (" + (reason.length() - MAX_REASON_LENGTH)
				+ " more characters cut)";
		return new UploadStatusEvent(event.eventId(), event.uploadId(), event.service(), event.step(), event.outcome(),
				event.status(), cut, event.attempt(), event.occurredAt(), event.bucket(), event.key());
	}

}
