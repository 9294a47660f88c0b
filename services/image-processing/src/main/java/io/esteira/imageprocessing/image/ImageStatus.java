package io.esteira.imageprocessing.image;

/** What became of an upload's image. */
enum ImageStatus {

	/** The thumbnail is in the output bucket. */
	PROCESSED,

	/** The object is not an image that can be processed (see the row's reason); it will not be retried. */
	REJECTED,

	/**
	 * The event's object no longer existed (reason {@code object_missing}); the event was dropped. A later event for
	 * the key (the object written again) is processed as usual.
	 */
	SKIPPED,

	/**
	 * A transient failure (S3, the database) outlasted the {@code thumbnail} step's retry policy (see the row's
	 * reason); the message is in the dead-letter queue. A newer event for the object (a redrive) processes it again.
	 */
	FAILED;

	/** Whether the row is the outcome of its source ETag for good: the same object again changes nothing. */
	boolean isFinal() {
		return this == PROCESSED || this == REJECTED;
	}

}
