package io.esteira.invoice;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.esteira.contracts.event.PipelineNames;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadMetadata;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.contracts.s3.S3Events;
import io.esteira.contracts.s3.S3ObjectEvent;
import io.esteira.testkit.AwsTestClients;
import io.esteira.testkit.EsteiraInfrastructure;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.json.JsonMapper;

/**
 * What surrounds the service in the pipeline, for tests: ingest's writes to the uploads bucket, S3's event
 * notifications (sent by hand, as S3 would), and ingest's side of the status queue.
 */
public final class TestPipeline {

	public static final String UPLOADS_BUCKET = "esteira-uploads";

	public static final String INVOICES_QUEUE = "esteira-invoices";

	public static final String STATUS_QUEUE = "esteira-status";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final EsteiraInfrastructure infra = EsteiraInfrastructure.shared();

	private final List<UploadStatusEvent> statusEvents = new ArrayList<>();

	private final List<String> deadLetterBodies = new ArrayList<>();

	/** Puts a file into the uploads bucket as ingest does, with the upload id in its metadata. */
	public S3ObjectEvent upload(String key, String content, UUID uploadId) {
		return upload(key, content.getBytes(StandardCharsets.UTF_8), uploadId);
	}

	/** Puts a file into the uploads bucket as ingest does, with the upload id in its metadata. */
	public S3ObjectEvent upload(String key, byte[] content, UUID uploadId) {
		return put(UPLOADS_BUCKET, key, content,
				Map.of(UploadMetadata.UPLOAD_ID, uploadId.toString(), UploadMetadata.KIND, "invoice"));
	}

	/** Puts a generated file into the uploads bucket as ingest does, streamed: never held in memory. */
	public S3ObjectEvent upload(String key, HostileFiles.Generated file, UUID uploadId) {
		Map<String, String> metadata = Map.of(UploadMetadata.UPLOAD_ID, uploadId.toString(), UploadMetadata.KIND,
				"invoice");
		String eTag = this.infra.s3Client()
			.putObject((request) -> request.bucket(UPLOADS_BUCKET).key(key).metadata(metadata),
					RequestBody.fromContentProvider(file::open, file.length(), "application/octet-stream"))
			.eTag()
			.replace("\"", "");
		return new S3ObjectEvent("ObjectCreated:Put", Instant.now(), UPLOADS_BUCKET, key, file.length(), eTag, null,
				Long.toHexString(System.nanoTime()).toUpperCase());
	}

	/** Deletes an object (the test S3 keeps objects in memory: large ones go once used). */
	public void delete(S3ObjectEvent event) {
		this.infra.s3Client().deleteObject((request) -> request.bucket(event.bucket()).key(event.key()));
	}

	/** The error report of an import, as text: {@code reports/invoices/{uploadId}/errors.csv} in the output bucket. */
	public String errorReport(UUID uploadId) {
		return this.infra.s3Client()
			.getObjectAsBytes((request) -> request.bucket("esteira-output")
				.key("reports/invoices/" + uploadId + "/errors.csv"))
			.asUtf8String();
	}

	/**
	 * Puts an object and returns the {@code ObjectCreated:Put} event S3 would send for it (unsent).
	 */
	public S3ObjectEvent put(String bucket, String key, byte[] content, Map<String, String> metadata) {
		String eTag = this.infra.s3Client()
			.putObject((request) -> request.bucket(bucket).key(key).metadata(metadata), RequestBody.fromBytes(content))
			.eTag()
			.replace("\"", "");
		return new S3ObjectEvent("ObjectCreated:Put", Instant.now(), bucket, key, content.length, eTag, null,
				Long.toHexString(System.nanoTime()).toUpperCase());
	}

	/** Sends the event to the invoices queue, as S3's bucket notification would. */
	public void announce(S3ObjectEvent event) {
		send(S3Events.encode(event, AwsTestClients.REGION.id()));
	}

	/**
	 * Sends the object's event as ingest's redrive of run {@code run} does ({@code POST /api/uploads/{id}/retry}): a
	 * new {@code ObjectCreated:Put} without a sequencer, the run as a message attribute.
	 */
	public void announceRedrive(S3ObjectEvent original, int run) {
		S3ObjectEvent redrive = new S3ObjectEvent("ObjectCreated:Put", Instant.now(), original.bucket(),
				original.key(), original.size(), original.eTag(), null, null);
		this.infra.sqsClient()
			.sendMessage((request) -> request.queueUrl(this.infra.queueUrl(INVOICES_QUEUE))
				.messageBody(S3Events.encode(redrive, AwsTestClients.REGION.id()))
				.messageAttributes(Map.of(S3Events.REDRIVE_RUN_ATTRIBUTE, MessageAttributeValue.builder()
					.dataType("Number")
					.stringValue(Integer.toString(run))
					.build())));
	}

	/** Sends any message body to the invoices queue. */
	public void send(String body) {
		this.infra.sqsClient()
			.sendMessage((request) -> request.queueUrl(this.infra.queueUrl(INVOICES_QUEUE)).messageBody(body));
	}

	/** Status events received so far for the upload (receiving, and deleting, whatever is on the status queue). */
	public List<UploadStatusEvent> statusEvents(UUID uploadId) {
		List<Message> messages;
		do {
			messages = this.infra.sqsClient()
				.receiveMessage((request) -> request.queueUrl(this.infra.queueUrl(STATUS_QUEUE))
					.maxNumberOfMessages(10)
					.waitTimeSeconds(0))
				.messages();
			for (Message message : messages) {
				this.statusEvents.add(JSON.readValue(message.body(), UploadStatusEvent.class));
				this.infra.sqsClient()
					.deleteMessage((request) -> request.queueUrl(this.infra.queueUrl(STATUS_QUEUE))
						.receiptHandle(message.receiptHandle()));
			}
		}
		while (!messages.isEmpty());
		return this.statusEvents.stream().filter((event) -> uploadId.equals(event.uploadId())).toList();
	}

	/** The upload's {@code invoice-import} outcome (its first status after STARTED), awaited up to {@code patience}. */
	public UploadStatusEvent awaitFinalStatus(UUID uploadId, Duration patience) {
		return Awaitility.await()
			.atMost(patience)
			.pollDelay(Duration.ZERO)
			.until(() -> statusEvents(uploadId).stream()
				.filter((event) -> PipelineNames.Steps.INVOICE_IMPORT.equals(event.step())
						&& event.outcome() != StepOutcome.STARTED)
				.toList(), (events) -> !events.isEmpty())
			.getFirst();
	}

	/**
	 * A clean slate for the next test: lets the previous test's acknowledgements (sent in batches) land for up to
	 * 5 s, then purges every queue and dead-letter queue (leftovers of a failed test too).
	 */
	public void settleAndPurgeQueues() {
		try {
			Awaitility.await().atMost(Duration.ofSeconds(5)).until(this::invoicesQueueIsSettled);
		}
		catch (ConditionTimeoutException ex) {
			// Leftovers of a failed test: purged below.
		}
		this.infra.purgeQueues();
	}

	/** Whether the invoices queue holds no message, visible or in flight: everything sent was acknowledged. */
	public boolean invoicesQueueIsSettled() {
		return messageCount(this.infra.queueUrl(INVOICES_QUEUE)) == 0;
	}

	/** The bodies that reached the invoices dead-letter queue so far (receiving, and deleting, what is there). */
	public List<String> deadLetterBodies() {
		String queueUrl = this.infra.deadLetterQueueUrl(INVOICES_QUEUE);
		List<Message> messages;
		do {
			messages = this.infra.sqsClient()
				.receiveMessage((request) -> request.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0))
				.messages();
			for (Message message : messages) {
				this.deadLetterBodies.add(message.body());
				this.infra.sqsClient()
					.deleteMessage((request) -> request.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
			}
		}
		while (!messages.isEmpty());
		return List.copyOf(this.deadLetterBodies);
	}

	/** Messages in the invoices dead-letter queue. */
	public int deadLetters() {
		return messageCount(this.infra.deadLetterQueueUrl(INVOICES_QUEUE));
	}

	private int messageCount(String queueUrl) {
		Map<QueueAttributeName, String> attributes = this.infra.sqsClient()
			.getQueueAttributes((request) -> request.queueUrl(queueUrl)
				.attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
						QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
						QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
			.attributes();
		return attributes.values().stream().mapToInt(Integer::parseInt).sum();
	}

}
