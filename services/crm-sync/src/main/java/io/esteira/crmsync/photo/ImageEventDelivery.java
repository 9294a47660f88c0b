package io.esteira.crmsync.photo;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.awspring.cloud.sqs.listener.SqsHeaders;
import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.contracts.event.Tenants;
import io.esteira.contracts.event.UploadErasedEvent;
import io.esteira.platform.observability.PipelineTracing;
import io.esteira.platform.retry.SqsAttempts;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import org.springframework.messaging.Message;

/**
 * One received message of the image-events queue — an image event, or an upload's erasure — and which attempt it
 * is. Waiting (for the rate limit, another delivery, a pause) is not an
 * attempt: such a delivery is sent again as a new message carrying the attempts made so far in
 * {@value #ATTEMPTS_BEFORE}, so the attempt is that plus the new message's receive count.
 *
 * @param message what SQS delivered (acknowledged, made visible or sent again through it)
 * @param event the image event, or {@code null} when the body is not one
 * @param erasure the erasure ({@code "type":"upload-erased"}), or {@code null} when the body is not one
 * @param malformed why the body is neither, {@code null} when it is one
 * @param attempt the 1-based attempt of this delivery
 */
record ImageEventDelivery(Message<String> message, ImageProcessedEvent event, UploadErasedEvent erasure,
		String malformed, int attempt) {

	/** Message attribute: delivery attempts made before this message was sent again. */
	static final String ATTEMPTS_BEFORE = "EsteiraAttemptsBefore";

	/** A W3C {@code traceparent} is 55 characters; anything much longer is not one. */
	private static final int MAX_TRACEPARENT_CHARS = 128;

	static ImageEventDelivery of(Message<String> message, ImageProcessedEvent event, String malformed) {
		return of(message, event, null, malformed);
	}

	static ImageEventDelivery ofErasure(Message<String> message, UploadErasedEvent erasure) {
		return of(message, null, erasure, null);
	}

	/**
	 * The tenant whose CRM the delivery concerns: its event's ({@link Tenants#DEFAULT} when it has none, or when the
	 * body is neither event: such a delivery only goes to the dead-letter queue).
	 */
	String tenant() {
		return (this.event != null) ? this.event.tenant()
				: (this.erasure != null) ? this.erasure.tenant() : Tenants.DEFAULT;
	}

	/** The upload concerned, {@code null} when the body says none. */
	UUID uploadId() {
		return (this.event != null) ? this.event.uploadId() : (this.erasure != null) ? this.erasure.uploadId() : null;
	}

	private static ImageEventDelivery of(Message<String> message, ImageProcessedEvent event,
			UploadErasedEvent erasure, String malformed) {
		int received = SqsAttempts.attempt(source(message)
			.map((raw) -> raw.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
			.orElseGet(() -> message.getHeaders()
				.get(SqsHeaders.MessageSystemAttributes.SQS_APPROXIMATE_RECEIVE_COUNT, String.class)));
		return new ImageEventDelivery(message, event, erasure, malformed, received + attemptsBefore(message));
	}

	/**
	 * The trace context the sender put on the message (W3C {@code traceparent}, a message attribute), for
	 * {@link PipelineTracing#continueInTransaction}: a batch is received in no upload's trace, so each upload's
	 * record continues its own. Empty when the message carries none.
	 */
	Map<String, String> traceContext() {
		return source(this.message).map((raw) -> raw.messageAttributes().get(PipelineTracing.TRACEPARENT))
			.map(MessageAttributeValue::stringValue)
			.filter((value) -> value.length() <= MAX_TRACEPARENT_CHARS)
			.map((value) -> Map.of(PipelineTracing.TRACEPARENT, value))
			.orElse(Map.of());
	}

	/** The SDK's message behind the Spring one, with its attributes. */
	static Optional<software.amazon.awssdk.services.sqs.model.Message> source(Message<?> message) {
		return Optional.ofNullable(message.getHeaders()
			.get(SqsHeaders.SQS_SOURCE_DATA_HEADER, software.amazon.awssdk.services.sqs.model.Message.class));
	}

	private static int attemptsBefore(Message<String> message) {
		Map<String, MessageAttributeValue> attributes = source(message)
			.map(software.amazon.awssdk.services.sqs.model.Message::messageAttributes)
			.orElse(Map.of());
		MessageAttributeValue before = attributes.get(ATTEMPTS_BEFORE);
		if (before == null || before.stringValue() == null) {
			return 0;
		}
		try {
			return Math.max(0, Math.min(1000, Integer.parseInt(before.stringValue().strip())));
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
