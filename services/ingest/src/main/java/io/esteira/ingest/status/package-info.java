/**
 * The status queue consumer: a thin adapter that hands each {@code UploadStatusEvent} to the upload timeline.
 */
package io.esteira.ingest.status;
