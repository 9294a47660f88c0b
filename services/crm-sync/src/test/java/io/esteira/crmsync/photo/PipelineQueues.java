package io.esteira.crmsync.photo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.TestQueues;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/** The queues around crm-sync as a test sees them: what goes in, what comes out on status, what died. */
final class PipelineQueues {

	static final String IMAGE_EVENTS = EsteiraInfrastructure.NAMES.queues().imageEvents();

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	private final SqsClient sqs;

	private final JsonMapper json = JsonMapper.builder().build();

	private final String imageEvents;

	private final String imageEventsDlq;

	private final String status;

	private final TestQueues queues;

	private final List<UploadStatusEvent> statusEvents = new ArrayList<>();

	/** The queues purged and HubSpot's stand-in back to its defaults: a clean slate for one test. */
	static PipelineQueues cleared(EsteiraInfrastructure infrastructure) {
		infrastructure.purgeQueues();
		infrastructure.hubSpot().reset();
		return new PipelineQueues(infrastructure);
	}

	private PipelineQueues(EsteiraInfrastructure infrastructure) {
		this.sqs = infrastructure.sqsClient();
		this.imageEvents = infrastructure.queueUrl(IMAGE_EVENTS);
		this.imageEventsDlq = infrastructure.deadLetterQueueUrl(IMAGE_EVENTS);
		this.status = infrastructure.queueUrl(EsteiraInfrastructure.NAMES.queues().status());
		this.queues = new TestQueues(infrastructure);
	}

	/** Sends a body as is: no message attributes, so no type header. */
	void sendRawImageEvent(String body) {
		this.sqs.sendMessage((request) -> request.queueUrl(this.imageEvents).messageBody(body));
	}

	/** Sends a body as is, with these message attributes (strings). */
	void sendRawImageEvent(String body, Map<String, String> attributes) {
		Map<String, MessageAttributeValue> values = new LinkedHashMap<>();
		attributes.forEach((name, value) -> values.put(name,
				MessageAttributeValue.builder().dataType("String").stringValue(value).build()));
		this.sqs.sendMessage((request) -> request.queueUrl(this.imageEvents).messageBody(body).messageAttributes(values));
	}

	/** Sends bodies in SQS batches of ten, so that one poll receives up to ten together. */
	void sendRawImageEvents(List<String> bodies) {
		for (int from = 0; from < bodies.size(); from += 10) {
			List<software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry> entries = new ArrayList<>();
			for (int i = from; i < Math.min(bodies.size(), from + 10); i++) {
				entries.add(software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry.builder()
					.id(Integer.toString(i))
					.messageBody(bodies.get(i))
					.build());
			}
			this.sqs.sendMessageBatch((request) -> request.queueUrl(this.imageEvents).entries(entries));
		}
	}

	String toJson(Object value) {
		return this.json.writeValueAsString(value);
	}

	/**
	 * The status events received so far for the upload that end its step (reads and deletes what is on the status
	 * queue); the {@code STARTED} report each run sends with its end is in {@link #allStatusEventsFor}.
	 */
	List<UploadStatusEvent> statusEventsFor(UUID uploadId) {
		return allStatusEventsFor(uploadId).stream().filter((event) -> event.outcome() != StepOutcome.STARTED).toList();
	}

	/** Every status event received so far for the upload (reads and deletes what is on the status queue). */
	synchronized List<UploadStatusEvent> allStatusEventsFor(UUID uploadId) {
		List<Message> messages;
		do {
			messages = this.sqs.receiveMessage((request) -> request.queueUrl(this.status).maxNumberOfMessages(10))
				.messages();
			for (Message message : messages) {
				this.statusEvents.add(this.json.readValue(message.body(), UploadStatusEvent.class));
				this.sqs.deleteMessage((request) -> request.queueUrl(this.status).receiptHandle(message.receiptHandle()));
			}
		}
		while (!messages.isEmpty());
		return this.statusEvents.stream().filter((event) -> uploadId.equals(event.uploadId())).toList();
	}

	UploadStatusEvent awaitStatusEvent(UUID uploadId) {
		return await().atMost(PATIENCE).until(() -> statusEventsFor(uploadId), (events) -> !events.isEmpty()).getFirst();
	}

	/** Waits until every image event sent so far has been deleted (acknowledged) or moved to the DLQ. */
	void awaitImageEventsSettled() {
		await().atMost(PATIENCE).until(() -> this.queues.messageCount(IMAGE_EVENTS) == 0);
	}

	/** Messages on the image-events queue: visible, in flight or delayed. */
	int messageCountInImageEvents() {
		return this.queues.messageCount(IMAGE_EVENTS);
	}

	int deadLetterCount() {
		return this.queues.deadLetterCount(IMAGE_EVENTS);
	}

	List<String> deadLetterBodies() {
		return this.sqs
			.receiveMessage((request) -> request.queueUrl(this.imageEventsDlq).maxNumberOfMessages(10).visibilityTimeout(0))
			.messages()
			.stream()
			.map(Message::body)
			.toList();
	}

}
