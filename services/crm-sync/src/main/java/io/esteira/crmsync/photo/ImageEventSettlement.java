package io.esteira.crmsync.photo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.awspring.cloud.sqs.listener.SqsHeaders;
import io.awspring.cloud.sqs.listener.Visibility;
import io.awspring.cloud.sqs.listener.acknowledgement.Acknowledgement;
import io.esteira.crmsync.config.CrmProperties;
import io.esteira.crmsync.crm.CrmAvailability;
import io.esteira.crmsync.crm.CrmUnavailableException;
import io.esteira.platform.observability.PipelineTracing;
import io.esteira.platform.retry.RetryPolicy;
import io.esteira.platform.retry.StepDelivery;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import org.springframework.messaging.Message;
import org.springframework.stereotype.Component;

/**
 * Carries out the {@link Verdict} of each delivery of a batch on its SQS message:
 * <ul>
 * <li>{@link Verdict.Done}: deleted;</li>
 * <li>{@link Verdict.Retry}: the {@code crm-sync} step's {@link RetryPolicy} through {@link StepDelivery}: visible
 * again after the policy's delay, never sooner than the CRM asked ({@code Retry-After}, else the rate-limit period
 * for a 429); on the policy's last attempt the upload is recorded {@code FAILED} and the message made visible at
 * once, on its way to the dead-letter queue;</li>
 * <li>{@link Verdict.Defer}: sent again, delayed (at most SQS's 15 minutes), with the attempts made so far in
 * {@value ImageEventDelivery#ATTEMPTS_BEFORE}, then deleted: waiting is not an attempt, and the queue's
 * {@code maxReceiveCount} starts again for the new message;</li>
 * <li>{@link Verdict.Dead}: made visible at once and not deleted, so that SQS moves it to the dead-letter queue.</li>
 * </ul>
 * Metric {@code esteira.crm.deferred} (counter): deliveries sent again to wait.
 */
@Component
class ImageEventSettlement {

	private static final Logger logger = LoggerFactory.getLogger(ImageEventSettlement.class);

	private static final int MAX_DELAY_SECONDS = 900;

	private static final int PAUSED_RECHECK_SECONDS = 15;

	private final PhotoLinkService photoLinks;

	private final PhotoErasures erasures;

	private final SqsAsyncClient sqs;

	private final CrmProperties settings;

	private final MeterRegistry meters;

	private final CrmAvailability availability;

	ImageEventSettlement(PhotoLinkService photoLinks, PhotoErasures erasures, SqsAsyncClient sqs,
			CrmProperties settings, MeterRegistry meters, CrmAvailability availability) {
		this.photoLinks = photoLinks;
		this.erasures = erasures;
		this.sqs = sqs;
		this.settings = settings;
		this.meters = meters;
		this.availability = availability;
	}

	void settle(Map<ImageEventDelivery, Verdict> verdicts, RetryPolicy retry) {
		List<Message<String>> done = new ArrayList<>();
		verdicts.forEach((delivery, verdict) -> {
			String uploadId = (delivery.uploadId() != null) ? String.valueOf(delivery.uploadId()) : "unknown";
			try (MDC.MDCCloseable logged = MDC.putCloseable(PipelineTracing.UPLOAD_ID, uploadId)) {
				switch (verdict) {
					case Verdict.Done ignored -> done.add(delivery.message());
					case Verdict.Retry retrying -> retry(delivery, retrying.failure(), retry);
					case Verdict.Defer deferred -> sendAgain(delivery, duringPause(deferred));
					case Verdict.Dead dead -> {
						logger.warn("Image event {} goes to the dead-letter queue: {}", messageId(delivery), dead.why());
						visibility(delivery.message()).changeTo(0);
					}
				}
			}
		});
		if (!done.isEmpty()) {
			// Not waited for: the container batches acknowledgements, and a container being stopped (a pause) may
			// never run them — such a message comes back after its visibility and is found recorded.
			Acknowledgement.acknowledgeAsync(done).exceptionally((ex) -> {
				logger.warn("{} image events could not be deleted ({}); they come back and are found handled",
						done.size(), ex.getMessage());
				return null;
			});
		}
	}

	private void retry(ImageEventDelivery delivery, CrmUnavailableException failure, RetryPolicy retry) {
		StepDelivery step = new StepDelivery(retry, Integer.toString(delivery.attempt()),
				visibility(delivery.message()));
		Runnable giveUp = (delivery.erasure() != null) ? () -> this.erasures.fail(delivery, failure.getMessage())
				: () -> this.photoLinks.fail(delivery, failure.getMessage());
		if (step.retryLater(giveUp, floor(failure))) {
			logger.warn("Upload {}: attempt {} of {} failed ({}); retrying in {} s", delivery.uploadId(),
					delivery.attempt(), step.maxAttempts(), failure.getMessage(), step.retryDelaySeconds());
		}
		else {
			logger.warn("Upload {}: attempt {} of {} failed ({}); giving up", delivery.uploadId(),
					delivery.attempt(), step.maxAttempts(), failure.getMessage());
		}
	}

	/**
	 * While CRM calls are paused (daily quota, refused key) this instance's consumer is stopped, so an event sent
	 * again comes back to no one here; it waits up to {@value #PAUSED_RECHECK_SECONDS} s, so that it is handled soon
	 * after the pause ends (at midnight, or when an operator lifts it), and another replica that takes it meanwhile
	 * learns of the pause from HubSpot with one call.
	 */
	private Verdict.Defer duringPause(Verdict.Defer deferred) {
		Duration pause = this.availability.remaining();
		if (pause.isZero()) {
			return deferred;
		}
		long recheck = Duration.ofSeconds(PAUSED_RECHECK_SECONDS).toMillis();
		long wait = Math.clamp(deferred.after().toMillis(), Math.min(pause.toMillis(), recheck), recheck);
		return new Verdict.Defer(Duration.ofMillis(wait), deferred.why());
	}

	/** The least the next attempt waits: what the CRM asked, else the rate-limit window for a 429. */
	private Duration floor(CrmUnavailableException failure) {
		return failure.retryAfter()
			.orElse((failure.reason() == CrmUnavailableException.Reason.RATE_LIMITED)
					? this.settings.rateLimit().period() : Duration.ZERO);
	}

	/**
	 * Sends the delivery again to come back after {@code after}, then deletes it at once (not through the
	 * container's batched acknowledgements, which a pause may stop before they run). When SQS refuses the copy, the
	 * delivery is left in flight to come back by itself.
	 */
	private void sendAgain(ImageEventDelivery delivery, Verdict.Defer deferred) {
		Message<String> message = delivery.message();
		String queueUrl = message.getHeaders().get(SqsHeaders.SQS_QUEUE_URL_HEADER, String.class);
		var source = ImageEventDelivery.source(message);
		String body = source.map(software.amazon.awssdk.services.sqs.model.Message::body)
			.orElseGet(() -> String.valueOf(message.getPayload()));
		Map<String, MessageAttributeValue> attributes = new HashMap<>(
				source.map(software.amazon.awssdk.services.sqs.model.Message::messageAttributes).orElse(Map.of()));
		attributes.put(ImageEventDelivery.ATTEMPTS_BEFORE, MessageAttributeValue.builder()
			.dataType("Number")
			.stringValue(Integer.toString(delivery.attempt() - 1))
			.build());
		int delay = (int) Math.min(MAX_DELAY_SECONDS, Math.max(1, (deferred.after().toMillis() + 999) / 1000));
		try {
			this.sqs.sendMessage((request) -> request.queueUrl(queueUrl)
				.messageBody(body)
				.delaySeconds(delay)
				.messageAttributes(attributes)).join();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not send image event {} again ({}); it comes back after its visibility timeout",
					messageId(delivery), ex.getMessage());
			visibility(message).changeTo(delay);
			return;
		}
		this.meters.counter("esteira.crm.deferred").increment();
		logger.debug("Image event {} back in {} s, not counted as an attempt: {}", messageId(delivery), delay,
				deferred.why());
		String receiptHandle = message.getHeaders().get(SqsHeaders.SQS_RECEIPT_HANDLE_HEADER, String.class);
		try {
			this.sqs.deleteMessage((request) -> request.queueUrl(queueUrl).receiptHandle(receiptHandle)).join();
		}
		catch (RuntimeException ex) {
			// The original comes back too: a duplicate, found handled or deferred again.
			logger.warn("Image event {} was sent again but could not be deleted ({})", messageId(delivery),
					ex.getMessage());
		}
	}

	private static Visibility visibility(Message<String> message) {
		return message.getHeaders().get(SqsHeaders.SQS_VISIBILITY_TIMEOUT_HEADER, Visibility.class);
	}

	private static String messageId(ImageEventDelivery delivery) {
		return String.valueOf(delivery.message().getHeaders().getId());
	}

}
