/**
 * Sending a committed redrive: the upload's object is announced to its kind's queue again, from the outbox.
 */
package io.esteira.ingest.redrive;
