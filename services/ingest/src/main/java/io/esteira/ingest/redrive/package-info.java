/**
 * Redrive: announcing an upload's object to its queue again (from the outbox), and the admin view of the dead-letter
 * queues with a move back to their source queues, and the gauge of every pipeline queue's depth.
 */
package io.esteira.ingest.redrive;
