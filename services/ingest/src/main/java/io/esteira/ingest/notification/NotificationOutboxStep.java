package io.esteira.ingest.notification;

import io.esteira.contracts.event.PipelineNames;
import io.esteira.ingest.upload.UploadFinished;
import io.esteira.platform.outbox.OutboxResubmission;
import io.esteira.platform.outbox.OutboxStep;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * A notification whose delivery failed (SNS refused it, a callback answered 500) is tried again from the outbox by
 * the platform's {@link OutboxResubmission} with the {@code notified} step's retry policy
 * ({@code esteira.retry.steps.notified.*}), not the outbox's own: a client's callback gets a few spaced attempts,
 * then the publication stays failed for an operator.
 */
@Component
class NotificationOutboxStep implements OutboxStep {

	@Override
	public @Nullable String stepOf(Object event) {
		return (event instanceof UploadFinished) ? PipelineNames.Steps.NOTIFIED : null;
	}

}
