package io.esteira.crmsync.photo;

import java.util.List;

import io.awspring.cloud.sqs.annotation.SqsListener;
import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.contracts.event.UploadErasedEvent;
import io.esteira.crmsync.config.CrmProperties;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.messaging.Message;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code esteira.aws.queues.image-events} in batches: up to {@value #MESSAGES_PER_POLL} messages per poll
 * (SQS's most), handed to {@link ImageEventBatches}, which gathers the polls of a short window into one batch for
 * the CRM and settles every message itself (acknowledgement mode {@code MANUAL}): deleted when handled, made visible
 * after the retry policy's delay when the CRM failed it, sent again (not counted as an attempt) when it only had to
 * wait. The method returns when its messages are settled. The queue also carries {@link UploadErasedEvent}s (an upload
 * erased at the customer's request, LGPD), told apart by their top-level {@code "type":"upload-erased"}. A body that is not an {@link ImageProcessedEvent} (or is
 * longer than {@code esteira.crm.batch.max-message-chars}) is settled alone, on its way to the dead-letter queue: it
 * never holds back the rest of its poll.
 */
@Component
class ImageEventsListener {

	/** The listener container's id (the consumer is paused and resumed through it). */
	static final String ID = "image-events";

	/** SQS returns at most ten messages per receive. */
	static final int MESSAGES_PER_POLL = 10;

	private final ImageEventBatches batches;

	private final JsonMapper json;

	/** Bodies longer than this are not image events (image-processing sends about 1 KB). */
	private final int maxBodyChars;

	ImageEventsListener(ImageEventBatches batches, JsonMapper json, CrmProperties settings) {
		this.batches = batches;
		this.json = json;
		this.maxBodyChars = settings.batch().maxMessageChars();
	}

	@SqsListener(value = "${esteira.aws.queues.image-events}", id = ID, acknowledgementMode = "MANUAL",
			maxMessagesPerPoll = "" + MESSAGES_PER_POLL,
			messageVisibilitySeconds = "${esteira.crm.batch.message-visibility-seconds:60}")
	void onImageEvents(List<Message<String>> messages) {
		List<ImageEventDelivery> deliveries = messages.stream().map(this::read).toList();
		// A short poll means the queue had no more: hand it on at once, do not wait for more to gather.
		this.batches.handle(deliveries, messages.size() < MESSAGES_PER_POLL);
	}

	private ImageEventDelivery read(Message<String> message) {
		Object payload = message.getPayload();
		if (payload instanceof ImageProcessedEvent event) {
			return ImageEventDelivery.of(message, event, null);
		}
		String body = String.valueOf(payload);
		if (body.length() > this.maxBodyChars) {
			return ImageEventDelivery.of(message, null, "image event of " + body.length() + " characters, over "
					+ this.maxBodyChars);
		}
		try {
			JsonNode tree = this.json.readTree(body);
			if (tree == null || !tree.isObject()) {
				return ImageEventDelivery.of(message, null, "empty image event");
			}
			JsonNode type = tree.get("type");
			if (type != null && !type.isNull()) {
				// Image events have no type; an erasure says so.
				if (!UploadErasedEvent.TYPE.equals(type.asString())) {
					return ImageEventDelivery.of(message, null, "not an image event nor an erasure (another type)");
				}
				UploadErasedEvent erasure = this.json.treeToValue(tree, UploadErasedEvent.class);
				return (erasure.uploadId() != null) ? ImageEventDelivery.ofErasure(message, erasure)
						: ImageEventDelivery.of(message, null, "erasure without uploadId");
			}
			ImageProcessedEvent event = this.json.treeToValue(tree, ImageProcessedEvent.class);
			return (event != null) ? ImageEventDelivery.of(message, event, null)
					: ImageEventDelivery.of(message, null, "empty image event");
		}
		catch (JacksonException ex) {
			return ImageEventDelivery.of(message, null,
					"not an image event: " + ex.getOriginalMessage().lines().findFirst().orElse(""));
		}
	}

}
