package io.esteira.ingest.upload.redrive;

import java.util.Map;

import io.esteira.contracts.s3.S3Events;
import io.esteira.contracts.s3.S3ObjectEvent;
import io.esteira.ingest.upload.RedriveRequested;
import io.esteira.ingest.upload.UploadKind;
import io.esteira.platform.aws.EsteiraAwsProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Sends a committed redrive to the queue of the upload's kind as an S3 {@code ObjectCreated:Put} notification for the
 * original object (same format as S3's own), with the run it starts as message attribute
 * {@link S3Events#REDRIVE_RUN_ATTRIBUTE}: a service whose step already ended for the object reports that outcome for
 * the new run and hands on, so the upload resumes at the stage that failed. Runs from the outbox: a
 * failed send is retried on restart, and the consumers are idempotent if one goes out twice. The notification carries
 * no sequencer: S3's sequencers are opaque and only comparable with each other, so any value made up here would sort
 * before or after the object's real events by accident. Consumers process an upload that has not completed again
 * whatever the sequencer, and keep the sequencer of the last real event they saw.
 */
@Component
class RedriveSender {

	/**
	 * The outbox names each entry's listener by this id. It is the id this listener had before it moved here from
	 * {@code io.esteira.ingest.redrive}, so that redrives left in the outbox by an older version are still sent.
	 */
	static final String LISTENER_ID = "io.esteira.ingest.redrive.RedriveSender.on("
			+ "io.esteira.ingest.upload.RedriveRequested)";

	private static final Logger logger = LoggerFactory.getLogger(RedriveSender.class);

	private final SqsAsyncClient sqs;

	private final EsteiraAwsProperties aws;

	private final String region;

	RedriveSender(SqsAsyncClient sqs, EsteiraAwsProperties aws,
			@Value("${spring.cloud.aws.region.static:us-east-1}") String region) {
		this.sqs = sqs;
		this.aws = aws;
		this.region = region;
	}

	@TransactionalEventListener(id = LISTENER_ID)
	void on(RedriveRequested redrive) {
		String queue = (redrive.kind() == UploadKind.IMAGE) ? this.aws.queues().images() : this.aws.queues().invoices();
		String body = S3Events.encode(new S3ObjectEvent("ObjectCreated:Put", redrive.requestedAt(), redrive.bucket(),
				redrive.key(), redrive.size(), redrive.eTag(), null, null), this.region);
		String url = this.sqs.getQueueUrl((request) -> request.queueName(queue)).join().queueUrl();
		MessageAttributeValue run = MessageAttributeValue.builder()
			.dataType("Number")
			.stringValue(Integer.toString(redrive.run()))
			.build();
		this.sqs.sendMessage((send) -> send.queueUrl(url)
			.messageBody(body)
			.messageAttributes(Map.of(S3Events.REDRIVE_RUN_ATTRIBUTE, run))).join();
		logger.info("Upload {}: redrive run {} sent to {} for s3://{}/{}", redrive.uploadId(), redrive.run(), queue,
				redrive.bucket(), redrive.key());
	}

}
