package io.esteira.ingest.upload;

import java.time.Instant;
import java.util.UUID;

/**
 * A redrive was committed: the upload's object must be announced again to the queue of its kind, as S3 would.
 * Published inside the redrive's transaction, so it goes through the outbox (sent once the redrive committed, and
 * again after a crash).
 *
 * @param kind decides the queue
 * @param run the pipeline run this starts (2 for the first redrive); also used to make a distinct S3 sequencer
 */
public record RedriveRequested(UUID uploadId, UploadKind kind, String bucket, String key, long size, String eTag,
		int run, Instant requestedAt) {
}
