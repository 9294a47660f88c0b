package io.esteira.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.contracts.event.UploadStatusEvent;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.json.JsonMapper;

/**
 * What tests ask of the pipeline's queues: how many messages a queue (or its DLQ) holds, and the events that reached
 * the status and image-events queues, read and removed, and kept for later questions.
 */
public final class TestQueues {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final EsteiraInfrastructure infra;

	private final List<UploadStatusEvent> statusEvents = new ArrayList<>();

	private final List<ImageProcessedEvent> imageEvents = new ArrayList<>();

	public TestQueues(EsteiraInfrastructure infra) {
		this.infra = infra;
	}

	/** Sends any body (an encoded S3 event, garbage) to a queue, by name. */
	public void send(String queueName, String body) {
		this.infra.sqsClient()
			.sendMessage((request) -> request.queueUrl(this.infra.queueUrl(queueName)).messageBody(body));
	}

	/** Messages in a queue, visible, in flight or delayed; zero means everything sent was acknowledged. */
	public int messageCount(String queueName) {
		return count(this.infra.queueUrl(queueName));
	}

	/** Whether a queue holds no message at all. */
	public boolean isSettled(String queueName) {
		return messageCount(queueName) == 0;
	}

	/** Messages in a queue's dead-letter queue. */
	public int deadLetterCount(String queueName) {
		return count(this.infra.deadLetterQueueUrl(queueName));
	}

	/** The status events received so far for an upload (reading and deleting whatever is on the status queue). */
	public synchronized List<UploadStatusEvent> statusEvents(UUID uploadId) {
		this.statusEvents.addAll(drain(EsteiraInfrastructure.NAMES.queues().status(),
				(body) -> JSON.readValue(body, UploadStatusEvent.class)));
		return this.statusEvents.stream().filter((event) -> uploadId.equals(event.uploadId())).toList();
	}

	/** The "image processed" events received so far for an upload (reading and deleting the image-events queue). */
	public synchronized List<ImageProcessedEvent> imageEvents(UUID uploadId) {
		this.imageEvents.addAll(drain(EsteiraInfrastructure.NAMES.queues().imageEvents(),
				(body) -> JSON.readValue(body, ImageProcessedEvent.class)));
		return this.imageEvents.stream().filter((event) -> uploadId.equals(event.uploadId())).toList();
	}

	/** Forgets the events read so far. */
	public synchronized void clear() {
		this.statusEvents.clear();
		this.imageEvents.clear();
	}

	private <T> List<T> drain(String queueName, Function<String, T> decode) {
		SqsClient sqs = this.infra.sqsClient();
		String url = this.infra.queueUrl(queueName);
		List<T> received = new ArrayList<>();
		List<Message> messages;
		do {
			messages = sqs
				.receiveMessage((request) -> request.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0))
				.messages();
			for (Message message : messages) {
				received.add(decode.apply(message.body()));
				sqs.deleteMessage((request) -> request.queueUrl(url).receiptHandle(message.receiptHandle()));
			}
		}
		while (!messages.isEmpty());
		return received;
	}

	private int count(String queueUrl) {
		Map<QueueAttributeName, String> attributes = this.infra.sqsClient()
			.getQueueAttributes((request) -> request.queueUrl(queueUrl)
				.attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
						QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
						QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
			.attributes();
		return attributes.values().stream().mapToInt(Integer::parseInt).sum();
	}

}
