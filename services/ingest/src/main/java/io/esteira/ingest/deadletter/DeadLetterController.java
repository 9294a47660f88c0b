package io.esteira.ingest.deadletter;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Admin endpoints (scope {@code admin}): {@code GET /api/admin/dead-letter-queues} lists what sits in each pipeline
 * queue's dead-letter queue; {@code GET .../{queue}} shows one; {@code POST .../{queue}/redrive} moves its messages
 * back to {@code queue} ({@code esteira-images}, {@code esteira-invoices}, {@code esteira-image-events},
 * {@code esteira-status} by default), by SQS message move task where the endpoint has them, and
 * {@code GET .../{queue}/redrive} shows the move tasks' progress. Asking twice while a move task runs starts no second
 * one; moving an empty queue moves nothing.
 */
@RestController
@RequestMapping("/api/admin/dead-letter-queues")
class DeadLetterController {

	private final DeadLetterQueues deadLetterQueues;

	DeadLetterController(DeadLetterQueues deadLetterQueues) {
		this.deadLetterQueues = deadLetterQueues;
	}

	@GetMapping
	List<DeadLetterQueues.DeadLetters> list() {
		return this.deadLetterQueues.list();
	}

	@GetMapping("/{queue}")
	DeadLetterQueues.DeadLetters inspect(@PathVariable String queue) {
		return this.deadLetterQueues.inspect(queue);
	}

	@PostMapping("/{queue}/redrive")
	DeadLetterQueues.Moved redrive(@PathVariable String queue) {
		return this.deadLetterQueues.moveBack(queue);
	}

	@GetMapping("/{queue}/redrive")
	DeadLetterQueues.MoveTasks redriveProgress(@PathVariable String queue) {
		return this.deadLetterQueues.moveTasks(queue);
	}

}
