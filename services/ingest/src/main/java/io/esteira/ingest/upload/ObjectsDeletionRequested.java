package io.esteira.ingest.upload;

import java.util.List;
import java.util.UUID;

/**
 * An upload's objects must be deleted: its original in the uploads bucket and/or its renditions in the output
 * bucket. Published inside the transaction that erased the upload (or expired its original), so it goes through the
 * outbox: the deletion runs once that transaction committed, and again after a failure or a crash. Deleting is
 * idempotent.
 *
 * @param bucket the uploads bucket
 * @param originalKey the original's key, {@code null} to keep it
 * @param renditionOwners the ids whose renditions ({@code thumbnails/{id}/}) are deleted from the output bucket
 * ({@link Upload#renditionOwners()}); empty to keep them
 */
public record ObjectsDeletionRequested(UUID uploadId, String bucket, String originalKey,
		List<UUID> renditionOwners) {

	public ObjectsDeletionRequested {
		renditionOwners = List.copyOf(renditionOwners);
	}

	/** Everything of an erased upload: the original and every rendition. */
	public static ObjectsDeletionRequested everything(Upload upload) {
		return new ObjectsDeletionRequested(upload.id(), upload.bucket(), upload.objectKey(),
				upload.renditionOwners());
	}

}
