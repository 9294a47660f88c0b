/**
 * The dead-letter queues of the pipeline's queues, for an admin: what sits in each
 * ({@code /api/admin/dead-letter-queues}) and moving it back to its source queue, plus the depth gauge of every
 * pipeline queue and dead-letter queue.
 */
package io.esteira.ingest.deadletter;
