package io.esteira.ingest.upload.erasure;

import io.esteira.contracts.event.UploadErasedEvent;
import io.esteira.platform.aws.EsteiraAwsProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Tells CRM sync that an image upload was erased: the {@link UploadErasedEvent} the erasure published goes to the
 * image-events queue ({@code esteira.aws.queues.image-events}), beside the image-processed events, from the outbox once
 * the erasure committed. A send that failed is sent again with the same {@code eventId}, so CRM sync can drop
 * duplicates.
 */
@Component
class ErasureNotifier {

	private static final Logger logger = LoggerFactory.getLogger(ErasureNotifier.class);

	private final SqsAsyncClient sqs;

	private final String queue;

	private final JsonMapper json;

	ErasureNotifier(SqsAsyncClient sqs, EsteiraAwsProperties aws, JsonMapper json) {
		this.sqs = sqs;
		this.queue = aws.queues().imageEvents();
		this.json = json;
	}

	@TransactionalEventListener
	void on(UploadErasedEvent erased) {
		String body = this.json.writeValueAsString(erased);
		String url = this.sqs.getQueueUrl((request) -> request.queueName(this.queue)).join().queueUrl();
		this.sqs.sendMessage((send) -> send.queueUrl(url).messageBody(body)).join();
		logger.info("Upload {}: erasure sent to {} for CRM sync", erased.uploadId(), this.queue);
	}

}
