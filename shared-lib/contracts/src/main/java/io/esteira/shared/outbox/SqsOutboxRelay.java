package io.esteira.shared.outbox;

import io.awspring.cloud.sqs.operations.SqsTemplate;
import io.esteira.shared.aws.EsteiraAwsProperties;
import io.esteira.shared.event.ImageProcessedEvent;
import io.esteira.shared.event.UploadStatusEvent;

import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Relays pipeline events to their queues after the publishing transaction commits. Spring Modulith records each
 * publication with the transaction and marks it complete only when this listener returns, so a crash or an SQS
 * outage between commit and send loses nothing: the publication is resubmitted. Services register it with
 * {@code @Import(SqsOutboxRelay.class)}.
 */
public class SqsOutboxRelay {

	private final SqsTemplate sqs;

	private final EsteiraAwsProperties aws;

	public SqsOutboxRelay(SqsTemplate sqs, EsteiraAwsProperties aws) {
		this.sqs = sqs;
		this.aws = aws;
	}

	@TransactionalEventListener
	public void relay(UploadStatusEvent event) {
		this.sqs.send(this.aws.queues().status(), event);
	}

	@TransactionalEventListener
	public void relay(ImageProcessedEvent event) {
		this.sqs.send(this.aws.queues().imageEvents(), event);
	}

}
