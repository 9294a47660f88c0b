package io.esteira.ingest.deadletter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The gauge {@value #GAUGE} (Prometheus {@code esteira_queue_messages}), tags {@code queue} and
 * {@code state} = {@code visible} | {@code in_flight}: the approximate number of messages in every pipeline queue and
 * its dead-letter queue. The values are read with {@code GetQueueAttributes} every
 * {@code esteira.ingest.queue-metrics.refresh-interval} (default 30 s) and cached, so a scrape never waits for SQS;
 * a queue that cannot be read keeps its last value (and is logged).
 */
@Component
class QueueDepths {

	static final String GAUGE = "esteira.queue.messages";

	private static final Logger logger = LoggerFactory.getLogger(QueueDepths.class);

	private final DeadLetterQueues deadLetterQueues;

	private final MeterRegistry registry;

	private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();

	QueueDepths(DeadLetterQueues deadLetterQueues, MeterRegistry registry) {
		this.deadLetterQueues = deadLetterQueues;
		this.registry = registry;
	}

	@Scheduled(initialDelayString = "${esteira.ingest.queue-metrics.initial-delay:5s}",
			fixedDelayString = "${esteira.ingest.queue-metrics.refresh-interval:30s}")
	void scheduled() {
		refresh();
	}

	/** Reads every pipeline queue and dead-letter queue once; returns the queues read. */
	List<String> refresh() {
		List<String> read = new ArrayList<>();
		for (String queue : this.deadLetterQueues.queues()) {
			if (read(queue)) {
				read.add(queue);
			}
			try {
				String dlq = this.deadLetterQueues.deadLetterQueueName(queue);
				if (dlq != null && read(dlq)) {
					read.add(dlq);
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Could not find the dead-letter queue of {}: {}", queue, ex.getMessage());
			}
		}
		return read;
	}

	private boolean read(String queue) {
		try {
			DeadLetterQueues.Depth depth = this.deadLetterQueues.depth(queue);
			value(queue, "visible").set(depth.visible());
			value(queue, "in_flight").set(depth.inFlight());
			return true;
		}
		catch (RuntimeException ex) {
			logger.warn("Could not read the depth of queue {}: {}", queue, ex.getMessage());
			return false;
		}
	}

	private AtomicLong value(String queue, String state) {
		return this.values.computeIfAbsent(queue + "|" + state, (key) -> {
			AtomicLong value = new AtomicLong();
			Gauge.builder(GAUGE, value, AtomicLong::get)
				.description("Approximate messages in a pipeline queue, visible or in flight")
				.tag("queue", queue)
				.tag("state", state)
				.register(this.registry);
			return value;
		});
	}

}
