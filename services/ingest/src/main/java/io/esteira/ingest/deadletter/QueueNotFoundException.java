package io.esteira.ingest.deadletter;

import io.esteira.platform.web.ProblemException;

import org.springframework.http.HttpStatus;

/** The admin named a queue that is not one of the pipeline's queues with a dead-letter queue (answered 404). */
public class QueueNotFoundException extends ProblemException {

	QueueNotFoundException(String queue) {
		super(HttpStatus.NOT_FOUND, "queue-not-found", "Queue not found",
				"No pipeline queue with a dead-letter queue is named '" + queue + "'.");
	}

}
