/**
 * Redriving one upload ({@code POST /api/uploads/{id}/retry}): the upload goes back to {@code PROCESSING} and, from
 * the outbox, its object is announced to its kind's queue again. Moving dead-lettered messages back is
 * {@code deadletter}.
 */
package io.esteira.ingest.upload.redrive;
