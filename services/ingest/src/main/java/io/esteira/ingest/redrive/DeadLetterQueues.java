package io.esteira.ingest.redrive;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.esteira.shared.aws.EsteiraAwsProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * The dead-letter queues of the pipeline's queues, found from each queue's {@code RedrivePolicy}: what sits in them,
 * and moving their messages back to the source queue by receive-and-resend (works on ElasticMQ and on AWS; on AWS
 * {@code StartMessageMoveTask} would do the same server-side). A message is deleted from the dead-letter queue only
 * after it was sent back, so a crash in between can duplicate, never lose, a message; the consumers are idempotent.
 */
@Component
class DeadLetterQueues {

	/** Messages shown per queue; the count is complete. */
	static final int SAMPLE_SIZE = 10;

	/** Messages moved per request at most; ask again for more. */
	static final int MAX_MOVE = 1000;

	private static final int BODY_PREVIEW = 2000;

	private static final Logger logger = LoggerFactory.getLogger(DeadLetterQueues.class);

	private final SqsAsyncClient sqs;

	private final EsteiraAwsProperties aws;

	private final JsonMapper json;

	DeadLetterQueues(SqsAsyncClient sqs, EsteiraAwsProperties aws, JsonMapper json) {
		this.sqs = sqs;
		this.aws = aws;
		this.json = json;
	}

	/**
	 * A queue's dead-letter queue and what it holds.
	 *
	 * @param messages approximate number of messages (visible and in flight)
	 * @param sample up to {@value #SAMPLE_SIZE} of them, bodies cut at 2,000 characters
	 */
	record DeadLetters(String queue, String deadLetterQueue, long messages, List<DeadLetter> sample) {
	}

	/** One dead-lettered message. */
	record DeadLetter(String messageId, String body, int receiveCount, String sentTimestamp) {
	}

	/** What a move did. */
	record Moved(String queue, String deadLetterQueue, int moved) {
	}

	List<DeadLetters> list() {
		List<DeadLetters> all = new ArrayList<>();
		for (String queue : queues()) {
			String dlq = deadLetterQueueName(queue);
			if (dlq != null) {
				all.add(inspect(queue, dlq));
			}
		}
		return all;
	}

	DeadLetters inspect(String queue) {
		return inspect(requireKnown(queue), requireDeadLetterQueue(queue));
	}

	Moved moveBack(String queue) {
		String dlq = requireDeadLetterQueue(requireKnown(queue));
		String sourceUrl = url(queue);
		String dlqUrl = url(dlq);
		int moved = 0;
		while (moved < MAX_MOVE) {
			List<Message> messages = this.sqs
				.receiveMessage((receive) -> receive.queueUrl(dlqUrl)
					.maxNumberOfMessages(10)
					.visibilityTimeout(30)
					.waitTimeSeconds(0)
					.messageAttributeNames("All"))
				.join()
				.messages();
			if (messages.isEmpty()) {
				break;
			}
			for (Message message : messages) {
				this.sqs.sendMessage((send) -> send.queueUrl(sourceUrl)
					.messageBody(message.body())
					.messageAttributes(message.messageAttributes())).join();
				this.sqs.deleteMessage((delete) -> delete.queueUrl(dlqUrl).receiptHandle(message.receiptHandle()))
					.join();
				moved++;
			}
		}
		logger.info("Moved {} message(s) from {} back to {}", moved, dlq, queue);
		return new Moved(queue, dlq, moved);
	}

	private DeadLetters inspect(String queue, String dlq) {
		String dlqUrl = url(dlq);
		Map<QueueAttributeName, String> attributes = this.sqs
			.getQueueAttributes((request) -> request.queueUrl(dlqUrl)
				.attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
						QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
			.join()
			.attributes();
		long count = Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
				+ Long.parseLong(
						attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
		// A zero visibility timeout leaves the messages where they are, visible to the next look or move.
		Map<String, DeadLetter> sample = new LinkedHashMap<>();
		List<Message> messages = this.sqs
			.receiveMessage((receive) -> receive.queueUrl(dlqUrl)
				.maxNumberOfMessages(SAMPLE_SIZE)
				.visibilityTimeout(0)
				.waitTimeSeconds(0)
				.messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
						MessageSystemAttributeName.SENT_TIMESTAMP))
			.join()
			.messages();
		for (Message message : messages) {
			String body = message.body();
			Map<MessageSystemAttributeName, String> system = message.attributes();
			sample.putIfAbsent(message.messageId(),
					new DeadLetter(message.messageId(),
							(body.length() > BODY_PREVIEW) ? body.substring(0, BODY_PREVIEW) : body,
							Integer.parseInt(
									system.getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "0")),
							system.get(MessageSystemAttributeName.SENT_TIMESTAMP)));
		}
		return new DeadLetters(queue, dlq, count, List.copyOf(sample.values()));
	}

	private List<String> queues() {
		EsteiraAwsProperties.Queues queues = this.aws.queues();
		return List.of(queues.images(), queues.invoices(), queues.imageEvents(), queues.status());
	}

	private String requireKnown(String queue) {
		if (!queues().contains(queue)) {
			throw new QueueNotFoundException(queue);
		}
		return queue;
	}

	private String requireDeadLetterQueue(String queue) {
		String dlq = deadLetterQueueName(queue);
		if (dlq == null) {
			throw new QueueNotFoundException(queue);
		}
		return dlq;
	}

	/** The name at the end of the {@code deadLetterTargetArn} of the queue's redrive policy, {@code null} if none. */
	private String deadLetterQueueName(String queue) {
		String policy = this.sqs
			.getQueueAttributes((request) -> request.queueUrl(url(queue)).attributeNames(QueueAttributeName.REDRIVE_POLICY))
			.join()
			.attributes()
			.get(QueueAttributeName.REDRIVE_POLICY);
		if (policy == null || policy.isBlank()) {
			return null;
		}
		JsonNode target = this.json.readTree(policy).path("deadLetterTargetArn");
		if (!target.isString()) {
			return null;
		}
		String arn = target.asString();
		return arn.substring(arn.lastIndexOf(':') + 1);
	}

	private String url(String queue) {
		return this.sqs.getQueueUrl((request) -> request.queueName(queue)).join().queueUrl();
	}

}
