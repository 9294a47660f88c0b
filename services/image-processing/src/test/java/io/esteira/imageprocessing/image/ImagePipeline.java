package io.esteira.imageprocessing.image;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadMetadata;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.contracts.s3.S3Events;
import io.esteira.contracts.s3.S3ObjectEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.TestQueues;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.awaitility.Awaitility.await;

/**
 * The image pipeline as a test sees it: objects put into the uploads bucket, S3 events sent to the images queue the
 * way S3 sends them, and what comes out: the {@code images} and {@code image_renditions} rows, the renditions in the
 * output bucket, the events on the status and image-events queues, and the images queue's dead letters.
 */
final class ImagePipeline {

	static final String UPLOADS = "esteira-uploads";

	static final String OUTPUT = "esteira-output";

	static final String IMAGES_QUEUE = "esteira-images";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final S3Client s3;

	private final SqsClient sqs;

	private final EsteiraInfrastructure infra;

	private final JdbcTemplate jdbc;

	private final String imagesQueue;

	private final String imagesDeadLetterQueue;

	private final TestQueues queues;

	private final List<UploadStatusEvent> statusEvents = new ArrayList<>();

	private final List<ImageProcessedEvent> imageEvents = new ArrayList<>();

	/** The pipeline with its queues purged and no image recorded: a clean slate for one test. */
	static ImagePipeline cleared(EsteiraInfrastructure infra, JdbcTemplate jdbc) {
		infra.purgeQueues();
		jdbc.update("delete from images");
		return new ImagePipeline(infra, jdbc);
	}

	private ImagePipeline(EsteiraInfrastructure infra, JdbcTemplate jdbc) {
		this.infra = infra;
		this.s3 = infra.s3Client();
		this.sqs = infra.sqsClient();
		this.jdbc = jdbc;
		this.imagesQueue = infra.queueUrl(IMAGES_QUEUE);
		this.imagesDeadLetterQueue = infra.deadLetterQueueUrl(IMAGES_QUEUE);
		this.queues = new TestQueues(infra);
	}

	/** The status events collected so far ({@link #collect()}). */
	List<UploadStatusEvent> statusEvents() {
		return this.statusEvents;
	}

	/** The "image processed" events collected so far ({@link #collect()}). */
	List<ImageProcessedEvent> imageEvents() {
		return this.imageEvents;
	}

	/** The bodies of the messages in the images queue's dead-letter queue (they stay there). */
	List<String> deadLetterBodies() {
		return this.sqs
			.receiveMessage((request) -> request.queueUrl(this.imagesDeadLetterQueue)
				.maxNumberOfMessages(10)
				.visibilityTimeout(0))
			.messages()
			.stream()
			.map(Message::body)
			.toList();
	}

	static Map<String, String> uploadMetadata(UUID uploadId) {
		return Map.of(UploadMetadata.UPLOAD_ID, uploadId.toString(), UploadMetadata.KIND, "image",
				UploadMetadata.CRM_CONTACT_ID, "901", UploadMetadata.CUSTOMER_EMAIL, "ana@example.com",
				UploadMetadata.CUSTOMER_PHONE, "+5511999990000", UploadMetadata.TENANT, "acme");
	}

	String put(String key, byte[] content, Map<String, String> metadata) {
		return putInto(UPLOADS, key, content, metadata);
	}

	String putInto(String bucket, String key, byte[] content, Map<String, String> metadata) {
		String eTag = this.s3
			.putObject((request) -> request.bucket(bucket).key(key).metadata(metadata), RequestBody.fromBytes(content))
			.eTag();
		return eTag.replace("\"", "");
	}

	static S3ObjectEvent created(String key, long size, String eTag, String sequencer) {
		return new S3ObjectEvent("ObjectCreated:Put", Instant.now(), UPLOADS, key, size, eTag, null, sequencer);
	}

	void send(S3ObjectEvent event) {
		sendRaw(S3Events.encode(event, "us-east-1"));
	}

	/** Sends {@code event} as ingest's redrive of run {@code run} does (with the run as a message attribute). */
	void sendRedrive(S3ObjectEvent event, int run) {
		this.sqs.sendMessage((request) -> request.queueUrl(this.imagesQueue)
			.messageBody(S3Events.encode(event, "us-east-1"))
			.messageAttributes(Map.of(S3Events.REDRIVE_RUN_ATTRIBUTE,
					MessageAttributeValue.builder().dataType("Number").stringValue(Integer.toString(run)).build())));
	}

	void sendRaw(String body) {
		this.sqs.sendMessage((request) -> request.queueUrl(this.imagesQueue).messageBody(body));
	}

	/** Waits until every message sent to the images queue has been acknowledged (or dead-lettered). */
	void awaitImagesQueueDrained() {
		// Generous: on a loaded 2-core machine a redelivery cycle alone takes several visibility timeouts.
		await().atMost(Duration.ofSeconds(40)).until(() -> this.queues.isSettled(IMAGES_QUEUE));
	}

	int deadLetterCount() {
		String url = this.imagesDeadLetterQueue;
		Map<QueueAttributeName, String> attributes = this.sqs
			.getQueueAttributes((request) -> request.queueUrl(url)
				.attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
						QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
			.attributes();
		return attributes.values().stream().mapToInt(Integer::parseInt).sum();
	}

	ImageProcessedEvent awaitImageEvent(UUID uploadId) {
		return await().atMost(Duration.ofSeconds(15)).until(() -> {
			collect();
			return this.imageEvents.stream().filter((e) -> e.uploadId().equals(uploadId)).findFirst().orElse(null);
		}, (event) -> event != null);
	}

	UploadStatusEvent awaitStatus(UUID uploadId, String step, StepOutcome outcome) {
		return awaitStatus(uploadId, step, outcome, Duration.ofSeconds(15));
	}

	UploadStatusEvent awaitStatus(UUID uploadId, String step, StepOutcome outcome, Duration atMost) {
		return await().atMost(atMost).until(() -> {
			collect();
			return this.statusEvents.stream()
				.filter((e) -> e.uploadId().equals(uploadId) && e.step().equals(step) && e.outcome() == outcome)
				.findFirst()
				.orElse(null);
		}, (event) -> event != null);
	}

	/** Moves what the event queues hold into {@link #statusEvents()} and {@link #imageEvents()}. */
	void collect() {
		receiveAll("esteira-status").forEach((body) -> this.statusEvents.add(JSON.readValue(body, UploadStatusEvent.class)));
		receiveAll("esteira-image-events")
			.forEach((body) -> this.imageEvents.add(JSON.readValue(body, ImageProcessedEvent.class)));
	}

	private List<String> receiveAll(String queue) {
		String url = this.infra.queueUrl(queue);
		List<String> bodies = new ArrayList<>();
		List<Message> messages;
		do {
			messages = this.sqs.receiveMessage((request) -> request.queueUrl(url).maxNumberOfMessages(10)).messages();
			for (Message message : messages) {
				bodies.add(message.body());
				this.sqs.deleteMessage((request) -> request.queueUrl(url).receiptHandle(message.receiptHandle()));
			}
		}
		while (!messages.isEmpty());
		return bodies;
	}

	Map<String, Object> row(UUID uploadId) {
		List<Map<String, Object>> rows = this.jdbc.queryForList("select * from images where upload_id = ?", uploadId);
		if (rows.isEmpty()) {
			return null;
		}
		return rows.getFirst();
	}

	List<Map<String, Object>> renditions(UUID uploadId) {
		return this.jdbc.queryForList("""
				select r.name, r.bucket, r.object_key, r.width, r.height, r.bytes, r.content_type
				from image_renditions r join images i on i.id = r.image_id
				where i.upload_id = ? order by r.width""", uploadId);
	}

	boolean exists(String bucket, String key) {
		try {
			this.s3.headObject((request) -> request.bucket(bucket).key(key));
			return true;
		}
		catch (NoSuchKeyException ex) {
			return false;
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 404) {
				return false;
			}
			throw ex;
		}
	}

}
