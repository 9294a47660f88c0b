package io.esteira.testkit;

import java.net.URI;
import java.util.Map;

import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** ElasticMQ inside this JVM on a free loopback port, speaking the SQS protocol. */
public final class TestSqs {

	private final SQSRestServer server;

	private final int port;

	private TestSqs(SQSRestServer server, int port) {
		this.server = server;
		this.port = port;
	}

	public static TestSqs start() {
		int port = Ports.free();
		SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1")
			.withPort(port)
			.withServerAddress(NodeAddress.apply("http", "127.0.0.1", port, ""))
			.withAWSRegion(AwsTestClients.REGION.id())
			.start();
		server.waitUntilStarted();
		return new TestSqs(server, port);
	}

	public URI endpoint() {
		return URI.create("http://127.0.0.1:" + this.port);
	}

	/**
	 * Creates {@code name} and its dead-letter queue {@code name-dlq}; after {@code maxReceiveCount} failed deliveries
	 * a message moves to the DLQ.
	 * @return the queue URL
	 */
	public static String createQueueWithDlq(SqsClient sqs, String name, int maxReceiveCount,
			int visibilityTimeoutSeconds) {
		String dlqUrl = sqs.createQueue((request) -> request.queueName(name + "-dlq")
			.attributes(Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "1209600")))
			.queueUrl();
		String dlqArn = sqs
			.getQueueAttributes((request) -> request.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
			.attributes()
			.get(QueueAttributeName.QUEUE_ARN);
		String redrive = "{\"maxReceiveCount\":\"" + maxReceiveCount + "\",\"deadLetterTargetArn\":\"" + dlqArn
				+ "\"}";
		return sqs.createQueue((request) -> request.queueName(name)
			.attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, redrive, QueueAttributeName.VISIBILITY_TIMEOUT,
					Integer.toString(visibilityTimeoutSeconds))))
			.queueUrl();
	}

	public void stop() {
		this.server.stopAndGetFuture().apply();
	}

}
