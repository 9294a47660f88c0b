package io.esteira.ingest.notification;

import java.util.LinkedHashMap;
import java.util.Map;

import io.esteira.ingest.config.IngestProperties;
import io.esteira.ingest.upload.UploadFinished;
import io.esteira.contracts.event.PipelineNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Publishes every terminal status to the SNS topic {@code esteira.ingest.notifications.topic-arn}: the body is the
 * {@link UploadFinished.Notification} as JSON, and the message attributes {@code kind}, {@code status} and (when
 * known) {@code customer} let each subscription filter (see the README). Runs after the status committed, from the
 * outbox: a failure leaves the publication failed, and the outbox resubmission delivers it again ({@link NotificationOutboxStep}).
 */
@Component
class SnsNotifier {

	private static final Logger logger = LoggerFactory.getLogger(SnsNotifier.class);

	private final SnsClient sns;

	private final JsonMapper json;

	private final String topicArn;

	private final NotificationSteps timeline;

	SnsNotifier(SnsClient sns, JsonMapper json, IngestProperties properties, NotificationSteps timeline) {
		this.timeline = timeline;
		this.sns = sns;
		this.json = json;
		this.topicArn = properties.notifications().topicArn().strip();
	}

	@Async
	@TransactionalEventListener
	void on(UploadFinished finished) {
		if (this.topicArn.isEmpty()) {
			return;
		}
		Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
		attributes.put("kind", text(finished.kind()));
		attributes.put("status", text(finished.status().name()));
		if (finished.customer() != null) {
			attributes.put("customer", text(finished.customer()));
		}
		String messageId = this.sns
			.publish((publish) -> publish.topicArn(this.topicArn)
				.message(this.json.writeValueAsString(finished.notification()))
				.messageAttributes(attributes))
			.messageId();
		logger.info("Upload {} {}: published to SNS as {}", finished.uploadId(), finished.status(), messageId);
		this.timeline.noteDelivered(finished, PipelineNames.Steps.NOTIFIED, "SNS message " + messageId);
	}

	private static MessageAttributeValue text(String value) {
		return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
	}

}
