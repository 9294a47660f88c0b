package io.esteira.platform.outbox;

import org.jspecify.annotations.Nullable;

/**
 * Which step's retry policy ({@code esteira.retry.steps.<step>.*}) governs the resubmission of a failed publication
 * of an event; a service declares one where an event's delivery is a step of its own (ingest's notifications). Events
 * no bean claims follow the {@value OutboxResubmission#STEP} step.
 */
@FunctionalInterface
public interface OutboxStep {

	/** The step of the event's delivery, {@code null} if this bean does not know the event. */
	@Nullable String stepOf(Object event);

}
