package io.esteira.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.esteira.contracts.s3.S3Events;
import io.esteira.contracts.s3.S3ObjectEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The bridge against S3Proxy and ElasticMQ, polled by hand so each listing is a step of the test. */
class S3EventBridgeTest {

	private static final String BUCKET = "esteira-uploads";

	private final EsteiraInfrastructure infra = EsteiraInfrastructure.shared();

	private final S3Client s3 = this.infra.s3Client();

	private final SqsClient sqs = this.infra.sqsClient();

	private final String prefix = "bridge-" + UUID.randomUUID() + "/";

	private final String queue = this.sqs.createQueue((create) -> create.queueName("bridge-" + UUID.randomUUID()))
		.queueUrl();

	private final S3EventBridge bridge = new S3EventBridge(this.s3, this.sqs, BUCKET, Map.of(this.prefix, this.queue));

	@AfterEach
	void deleteQueue() {
		this.bridge.close();
		this.sqs.deleteQueue((delete) -> delete.queueUrl(this.queue));
	}

	@Test
	void aFileCaughtWhileS3ProxyWritesAnObjectGetsNoEventOnlyTheObjectDoes() {
		String key = this.prefix + "photo.jpg";
		String inProgress = key + "-" + UUID.randomUUID();
		put(inProgress, "half a photo");
		this.bridge.poll();
		assertThat(events()).as("nothing for a file that may still be written").isEmpty();

		// S3Proxy renames the finished file to the object's key.
		this.s3.deleteObject((delete) -> delete.bucket(BUCKET).key(inProgress));
		put(key, "the whole photo");
		this.bridge.poll();

		assertThat(events()).extracting(S3ObjectEvent::eventName, S3ObjectEvent::key)
			.containsExactly(tuple("ObjectCreated:Put", key));
	}

	@Test
	void anObjectWhoseNameOnlyLooksLikeAWriteInProgressIsAnnouncedOneListingLater() {
		String key = this.prefix + "export-" + UUID.randomUUID();
		put(key, "a real object");
		this.bridge.poll();
		assertThat(events()).isEmpty();

		this.bridge.poll();
		assertThat(events()).extracting(S3ObjectEvent::key).containsExactly(key);

		this.s3.deleteObject((delete) -> delete.bucket(BUCKET).key(key));
		this.bridge.poll();
		assertThat(events()).extracting(S3ObjectEvent::eventName).containsExactly("ObjectRemoved:Delete");
	}

	private void put(String key, String content) {
		this.s3.putObject((request) -> request.bucket(BUCKET).key(key), RequestBody.fromString(content));
	}

	private List<S3ObjectEvent> events() {
		List<S3ObjectEvent> events = new ArrayList<>();
		List<Message> messages;
		do {
			messages = this.sqs.receiveMessage((request) -> request.queueUrl(this.queue).maxNumberOfMessages(10))
				.messages();
			for (Message message : messages) {
				events.addAll(S3Events.decode(message.body()));
				this.sqs.deleteMessage((delete) -> delete.queueUrl(this.queue).receiptHandle(message.receiptHandle()));
			}
		}
		while (!messages.isEmpty());
		return events;
	}

}
