package io.esteira.ingest.deadletter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.esteira.ingest.config.IngestProperties;
import io.esteira.ingest.config.IngestProperties.DeadLetters.MoveMethod;
import io.esteira.platform.aws.EsteiraAwsProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sqs.model.UnsupportedOperationException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * The dead-letter queues of the pipeline's queues, found from each queue's {@code RedrivePolicy}: what sits in them,
 * and moving their messages back to the source queue. The move is an SQS message move task
 * ({@code StartMessageMoveTask}, server-side and asynchronous; progress from {@code ListMessageMoveTasks}) where the
 * endpoint supports it (AWS, ElasticMQ 1.5+), else receive-and-resend (emulators without move tasks): a message is
 * deleted from the dead-letter queue only after it was sent back, so a crash in between can duplicate, never lose, a
 * message; the consumers are idempotent. {@code esteira.ingest.dead-letters.move} forces either method.
 */
@Component
class DeadLetterQueues {

	/** Messages shown per queue; the count is complete. */
	static final int SAMPLE_SIZE = 10;

	/** Messages moved per request at most; ask again for more. */
	static final int MAX_MOVE = 1000;

	private static final int BODY_PREVIEW = 2000;

	private static final String MOVE_TASK = "move-task";

	private static final String RESEND = "resend";

	private static final Logger logger = LoggerFactory.getLogger(DeadLetterQueues.class);

	private final SqsAsyncClient sqs;

	private final EsteiraAwsProperties aws;

	private final JsonMapper json;

	private final MoveMethod method;

	private final DeadLetterSteps steps;

	/** Set once the endpoint answered that it has no move tasks (in {@code auto}, every later move resends). */
	private final AtomicBoolean moveTasksUnsupported = new AtomicBoolean();

	DeadLetterQueues(SqsAsyncClient sqs, EsteiraAwsProperties aws, JsonMapper json, IngestProperties properties,
			DeadLetterSteps steps) {
		this.steps = steps;
		this.sqs = sqs;
		this.aws = aws;
		this.json = json;
		this.method = properties.deadLetters().move();
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

	/**
	 * What a move request did.
	 *
	 * @param method {@code move-task} (SQS moves the messages in the background: follow {@code task}) or
	 * {@code resend} (done: {@code moved} messages were moved)
	 * @param started whether this request started the move; {@code false} when a move task was already running
	 * (it is shown instead)
	 * @param moved messages moved: all of them for {@code resend}, so far for {@code move-task}
	 * @param task the move task, {@code null} for {@code resend}
	 */
	record Moved(String queue, String deadLetterQueue, String method, boolean started, long moved, MoveTask task) {
	}

	/**
	 * One SQS message move task out of a dead-letter queue.
	 *
	 * @param taskHandle set while it runs (it could be cancelled with it)
	 * @param status {@code RUNNING}, {@code COMPLETED}, {@code CANCELLING}, {@code CANCELLED} or {@code FAILED}
	 * @param toMove messages it set out to move, {@code null} if not known yet
	 * @param startedAt epoch milliseconds
	 */
	record MoveTask(String taskHandle, String status, long moved, Long toMove, Long startedAt, String failureReason) {

		static MoveTask of(ListMessageMoveTasksResultEntry entry) {
			return new MoveTask(entry.taskHandle(), entry.status(),
					(entry.approximateNumberOfMessagesMoved() != null) ? entry.approximateNumberOfMessagesMoved() : 0,
					entry.approximateNumberOfMessagesToMove(), entry.startedTimestamp(), entry.failureReason());
		}

		boolean isRunning() {
			return "RUNNING".equals(this.status);
		}

	}

	/**
	 * The recent move tasks of a queue's dead-letter queue, newest first.
	 *
	 * @param supported {@code false} where the endpoint has no move tasks (moves are receive-and-resend there)
	 */
	record MoveTasks(String queue, String deadLetterQueue, boolean supported, List<MoveTask> tasks) {
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
		return inspect(requireKnown(queue), nameOf(requireDeadLetterQueueArn(queue)));
	}

	/** Moves the dead-letter queue's messages back to {@code queue}, by move task where possible. */
	Moved moveBack(String queue) {
		String dlqArn = requireDeadLetterQueueArn(requireKnown(queue));
		if (this.method != MoveMethod.RESEND && !(this.method == MoveMethod.AUTO && this.moveTasksUnsupported.get())) {
			try {
				return startMoveTask(queue, dlqArn);
			}
			catch (SqsException ex) {
				if (this.method == MoveMethod.MOVE_TASK || !isUnsupported(ex)) {
					throw ex;
				}
				this.moveTasksUnsupported.set(true);
				logger.info("The SQS endpoint has no message move tasks ({}); moving by receive-and-resend",
						ex.awsErrorDetails().errorCode());
			}
		}
		return resend(queue, nameOf(dlqArn));
	}

	/** The recent move tasks out of {@code queue}'s dead-letter queue; none where the endpoint has no move tasks. */
	MoveTasks moveTasks(String queue) {
		String dlqArn = requireDeadLetterQueueArn(requireKnown(queue));
		if (this.method == MoveMethod.RESEND || (this.method == MoveMethod.AUTO && this.moveTasksUnsupported.get())) {
			return new MoveTasks(queue, nameOf(dlqArn), false, List.of());
		}
		try {
			return new MoveTasks(queue, nameOf(dlqArn), true, listMoveTasks(dlqArn));
		}
		catch (SqsException ex) {
			if (this.method == MoveMethod.MOVE_TASK || !isUnsupported(ex)) {
				throw ex;
			}
			this.moveTasksUnsupported.set(true);
			return new MoveTasks(queue, nameOf(dlqArn), false, List.of());
		}
	}

	/**
	 * Starts a move task back to {@code queue}, unless one is running already (SQS allows one per queue): asking
	 * twice starts one task.
	 */
	private Moved startMoveTask(String queue, String dlqArn) {
		Optional<MoveTask> running = listMoveTasks(dlqArn).stream().filter(MoveTask::isRunning).findFirst();
		if (running.isPresent()) {
			return new Moved(queue, nameOf(dlqArn), MOVE_TASK, false, running.get().moved(), running.get());
		}
		String sourceArn = arnOf(url(queue));
		// A move task does not show what it moves: read the messages first, to put each on its upload's timeline.
		List<String> bodies = readAll(url(nameOf(dlqArn)));
		String handle = join(this.sqs.startMessageMoveTask(
				(start) -> start.sourceArn(dlqArn).destinationArn(sourceArn)))
			.taskHandle();
		logger.info("Started message move task {} from {} back to {}", handle, nameOf(dlqArn), queue);
		bodies.forEach((body) -> this.steps.moved(queue, nameOf(dlqArn), body));
		MoveTask task = listMoveTasks(dlqArn).stream()
			.filter((listed) -> handle.equals(listed.taskHandle()))
			.findFirst()
			.orElseGet(() -> new MoveTask(handle, "RUNNING", 0, null, null, null));
		return new Moved(queue, nameOf(dlqArn), MOVE_TASK, true, task.moved(), task);
	}

	/**
	 * The bodies of the dead-letter queue's messages (up to {@value #MAX_MOVE}), leaving every message where it was:
	 * each is received (so that the next receive returns others), then all are made visible again at once.
	 */
	private List<String> readAll(String dlqUrl) {
		List<String> bodies = new ArrayList<>();
		List<String> receipts = new ArrayList<>();
		try {
			while (bodies.size() < MAX_MOVE) {
				List<Message> messages = join(this.sqs.receiveMessage((receive) -> receive.queueUrl(dlqUrl)
					.maxNumberOfMessages(10)
					.visibilityTimeout(60)
					.waitTimeSeconds(0))).messages();
				if (messages.isEmpty()) {
					break;
				}
				for (Message message : messages) {
					bodies.add(message.body());
					receipts.add(message.receiptHandle());
				}
			}
		}
		finally {
			for (int from = 0; from < receipts.size(); from += 10) {
				List<String> batch = receipts.subList(from, Math.min(receipts.size(), from + 10));
				List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
				for (int i = 0; i < batch.size(); i++) {
					entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
						.id(Integer.toString(i))
						.receiptHandle(batch.get(i))
						.visibilityTimeout(0)
						.build());
				}
				join(this.sqs.changeMessageVisibilityBatch((change) -> change.queueUrl(dlqUrl).entries(entries)));
			}
		}
		return bodies;
	}

	private List<MoveTask> listMoveTasks(String dlqArn) {
		return join(this.sqs.listMessageMoveTasks((list) -> list.sourceArn(dlqArn).maxResults(10))).results()
			.stream()
			.map(MoveTask::of)
			.toList();
	}

	private Moved resend(String queue, String dlq) {
		String sourceUrl = url(queue);
		String dlqUrl = url(dlq);
		int moved = 0;
		while (moved < MAX_MOVE) {
			List<Message> messages = join(this.sqs.receiveMessage((receive) -> receive.queueUrl(dlqUrl)
				.maxNumberOfMessages(10)
				.visibilityTimeout(30)
				.waitTimeSeconds(0)
				.messageAttributeNames("All")))
				.messages();
			if (messages.isEmpty()) {
				break;
			}
			for (Message message : messages) {
				join(this.sqs.sendMessage((send) -> send.queueUrl(sourceUrl)
					.messageBody(message.body())
					.messageAttributes(message.messageAttributes())));
				join(this.sqs.deleteMessage(
						(delete) -> delete.queueUrl(dlqUrl).receiptHandle(message.receiptHandle())));
				this.steps.moved(queue, dlq, message.body());
				moved++;
			}
		}
		logger.info("Moved {} message(s) from {} back to {} by receive-and-resend", moved, dlq, queue);
		return new Moved(queue, dlq, RESEND, true, moved, null);
	}

	/**
	 * Whether the endpoint answered that it does not know the action (emulators without move tasks). On AWS,
	 * {@code UnsupportedOperation} also means the queue cannot be a move's source; resending works there too.
	 */
	static boolean isUnsupported(SqsException ex) {
		if (ex instanceof UnsupportedOperationException || ex.statusCode() == 501) {
			return true;
		}
		String code = (ex.awsErrorDetails() != null) ? ex.awsErrorDetails().errorCode() : null;
		return code != null && (code.contains("UnsupportedOperation") || code.contains("UnknownOperation")
				|| code.contains("InvalidAction") || code.contains("NotImplemented"));
	}

	/** Waits for an SDK call, unwrapping its exception so that SQS errors keep their type. */
	private static <T> T join(CompletableFuture<T> call) {
		try {
			return call.join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException cause) {
				throw cause;
			}
			throw ex;
		}
	}

	/**
	 * How many messages a queue holds, approximately ({@code GetQueueAttributes}).
	 *
	 * @param visible waiting to be received
	 * @param inFlight received and not yet deleted or made visible again
	 */
	record Depth(long visible, long inFlight) {

		long total() {
			return this.visible + this.inFlight;
		}

	}

	/** The approximate depth of a queue, by name. */
	Depth depth(String queue) {
		Map<QueueAttributeName, String> attributes = this.sqs
			.getQueueAttributes((request) -> request.queueUrl(url(queue))
				.attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
						QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
			.join()
			.attributes();
		return new Depth(
				Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")),
				Long.parseLong(
						attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0")));
	}

	private DeadLetters inspect(String queue, String dlq) {
		String dlqUrl = url(dlq);
		long count = depth(dlq).total();
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

	/** The pipeline's queues (those with a dead-letter queue can be inspected and moved back). */
	List<String> queues() {
		EsteiraAwsProperties.Queues queues = this.aws.queues();
		return List.of(queues.images(), queues.invoices(), queues.imageEvents(), queues.status());
	}

	private String requireKnown(String queue) {
		if (!queues().contains(queue)) {
			throw new QueueNotFoundException(queue);
		}
		return queue;
	}

	private String requireDeadLetterQueueArn(String queue) {
		String arn = deadLetterQueueArn(queue);
		if (arn == null) {
			throw new QueueNotFoundException(queue);
		}
		return arn;
	}

	/** The name of the queue's dead-letter queue, {@code null} if it has none. */
	String deadLetterQueueName(String queue) {
		String arn = deadLetterQueueArn(queue);
		return (arn != null) ? nameOf(arn) : null;
	}

	/** The {@code deadLetterTargetArn} of the queue's redrive policy, {@code null} if none. */
	private String deadLetterQueueArn(String queue) {
		String policy = this.sqs
			.getQueueAttributes(
					(request) -> request.queueUrl(url(queue)).attributeNames(QueueAttributeName.REDRIVE_POLICY))
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
		return target.asString();
	}

	private static String nameOf(String arn) {
		return arn.substring(arn.lastIndexOf(':') + 1);
	}

	private String arnOf(String queueUrl) {
		return join(this.sqs.getQueueAttributes(
				(request) -> request.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN)))
			.attributes()
			.get(QueueAttributeName.QUEUE_ARN);
	}

	private String url(String queue) {
		return this.sqs.getQueueUrl((request) -> request.queueName(queue)).join().queueUrl();
	}

}
