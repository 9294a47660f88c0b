package io.esteira.platform.observability;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;

import io.awspring.cloud.sqs.listener.SqsHeaders;
import io.awspring.cloud.sqs.listener.interceptor.MessageInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.messaging.Message;

/**
 * Records how long each message waited in its queue ({@code esteira.queue.lag}, tagged {@code queue}): the time from
 * SQS's {@code SentTimestamp} to the listener receiving it. Its maximum approximates the age of the oldest message;
 * its growth says a consumer falls behind before the queue depth does. Single and batch listeners alike.
 */
class QueueLag implements MessageInterceptor<Object> {

	static final String METER = "esteira.queue.lag";

	private final ObjectProvider<MeterRegistry> registry;

	private final Clock clock;

	QueueLag(ObjectProvider<MeterRegistry> registry, Clock clock) {
		this.registry = registry;
		this.clock = clock;
	}

	@Override
	public Collection<Message<Object>> intercept(Collection<Message<Object>> messages) {
		// A batch listener's messages: each one waited its own time.
		messages.forEach(this::intercept);
		return messages;
	}

	@Override
	public Message<Object> intercept(Message<Object> message) {
		MeterRegistry meters = this.registry.getIfAvailable();
		Object sent = message.getHeaders().get(SqsHeaders.MessageSystemAttributes.SQS_SENT_TIMESTAMP);
		Object queue = message.getHeaders().get(SqsHeaders.SQS_QUEUE_NAME_HEADER);
		if (meters != null && sent != null && queue != null) {
			try {
				long lag = this.clock.millis() - Long.parseLong(sent.toString());
				Timer.builder(METER)
					.description("Time a message waited in its queue before a listener received it")
					.tag("queue", queue.toString())
					.publishPercentileHistogram()
					.register(meters)
					.record(Duration.ofMillis(Math.max(0, lag)));
			}
			catch (NumberFormatException ex) {
				// Not SQS's timestamp: nothing to measure.
			}
		}
		return message;
	}

}
