package io.esteira.platform.outbox;

import io.awspring.cloud.sqs.operations.SqsTemplate;
import io.esteira.platform.aws.EsteiraAwsProperties;
import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.contracts.event.UploadStatusEvent;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
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

	/**
	 * The relays' order among the transaction's synchronizations: ahead of the lowest precedence, so they send while
	 * an upload's trace scope opened in the transaction ({@code PipelineTracing.continueInTransaction}) is still open.
	 */
	public static final int ORDER = Ordered.LOWEST_PRECEDENCE - 100;

	@TransactionalEventListener
	@Order(ORDER)
	public void relay(UploadStatusEvent event) {
		this.sqs.send(this.aws.queues().status(), event);
	}

	@TransactionalEventListener
	@Order(ORDER)
	public void relay(ImageProcessedEvent event) {
		this.sqs.send(this.aws.queues().imageEvents(), event);
	}

}
