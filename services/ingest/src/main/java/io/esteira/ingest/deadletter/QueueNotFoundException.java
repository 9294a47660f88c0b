package io.esteira.ingest.deadletter;

/** The admin named a queue that is not one of the pipeline's queues with a dead-letter queue (answered 404). */
public class QueueNotFoundException extends RuntimeException {

	QueueNotFoundException(String queue) {
		super("No pipeline queue with a dead-letter queue is named '" + queue + "'.");
	}

}
