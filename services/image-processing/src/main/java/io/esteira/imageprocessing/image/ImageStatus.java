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
	SKIPPED;

	/** Whether the row is the outcome of its source ETag for good: the same object again changes nothing. */
	boolean isFinal() {
		return this == PROCESSED || this == REJECTED;
	}

}
