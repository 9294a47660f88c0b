package io.esteira.ingest.upload.erasure;

import java.util.UUID;

import io.esteira.contracts.event.Thumbnails;
import io.esteira.ingest.storage.S3Objects;
import io.esteira.ingest.upload.ObjectsDeletionRequested;
import io.esteira.platform.aws.EsteiraAwsProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Deletes an erased (or expired) upload's objects once the transaction committed, from the outbox: the original from
 * the uploads bucket, every rendition ({@code thumbnails/{id}/}) from the output bucket. Deleting is idempotent, so a
 * publication the outbox sends again (after an S3 failure or a crash) does no harm.
 */
@Component
class ErasedObjects {

	private static final Logger logger = LoggerFactory.getLogger(ErasedObjects.class);

	private final S3Objects objects;

	private final String outputBucket;

	ErasedObjects(S3Objects objects, EsteiraAwsProperties aws) {
		this.objects = objects;
		this.outputBucket = aws.outputBucket();
	}

	@TransactionalEventListener
	void on(ObjectsDeletionRequested deletion) {
		if (deletion.originalKey() != null) {
			this.objects.delete(deletion.bucket(), deletion.originalKey());
		}
		int renditions = 0;
		for (UUID owner : deletion.renditionOwners()) {
			renditions += this.objects.deleteUnder(this.outputBucket, Thumbnails.prefix(owner));
		}
		logger.info("Upload {}: {}{} renditions deleted", deletion.uploadId(),
				(deletion.originalKey() != null) ? "original and " : "", renditions);
	}

}
