package io.esteira.ingest.redrive;

import java.math.BigInteger;

import io.esteira.ingest.upload.RedriveRequested;
import io.esteira.shared.aws.EsteiraAwsProperties;
import io.esteira.shared.s3.S3Events;
import io.esteira.shared.s3.S3ObjectEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Sends a committed redrive to the queue of the upload's kind as an S3 {@code ObjectCreated:Put} notification for the
 * original object (same format as S3's own, so the processing services need nothing new). Runs from the outbox: a
 * failed send is retried on restart, and the consumers are idempotent if one goes out twice. The sequencer is derived
 * from the redrive time, so it sorts after the object's original event.
 */
@Component
class RedriveSender {

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

	@TransactionalEventListener
	void on(RedriveRequested redrive) {
		String queue = "image".equals(redrive.kind()) ? this.aws.queues().images() : this.aws.queues().invoices();
		String sequencer = BigInteger.valueOf(redrive.requestedAt().getEpochSecond())
			.multiply(BigInteger.valueOf(1_000_000_000L))
			.add(BigInteger.valueOf(redrive.requestedAt().getNano()))
			.toString(16)
			.toUpperCase();
		String body = S3Events.encode(new S3ObjectEvent("ObjectCreated:Put", redrive.requestedAt(), redrive.bucket(),
				redrive.key(), redrive.size(), redrive.eTag(), null, sequencer), this.region);
		String url = this.sqs.getQueueUrl((request) -> request.queueName(queue)).join().queueUrl();
		this.sqs.sendMessage((send) -> send.queueUrl(url).messageBody(body)).join();
		logger.info("Upload {}: redrive run {} sent to {} for s3://{}/{}", redrive.uploadId(), redrive.run(), queue,
				redrive.bucket(), redrive.key());
	}

}
