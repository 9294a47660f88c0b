package io.esteira.imageprocessing.image;

import java.util.Locale;

/** What handling one S3 event did; counted as {@code esteira.images.events{outcome}}. */
public enum ImageOutcome {

	/** A thumbnail was written and recorded. */
	PROCESSED,

	/** The object was recorded as rejected (not an image, too large). */
	REJECTED,

	/** The upload was already processed from the same content: nothing to do. */
	DUPLICATE,

	/**
	 * A redrive's notification for an upload already done from the same content: its outcome was reported again for
	 * the new run and, when processed, announced to CRM sync again; nothing rendered.
	 */
	RESUMED,

	/** The event is older than the write the upload was last processed from: dropped. */
	STALE,

	/** The object no longer exists: recorded as {@code SKIPPED} ({@code object_missing}) and dropped. */
	MISSING,

	/** The event names a bucket other than the uploads bucket (e.g. the output bucket): dropped. */
	FOREIGN_BUCKET;

	String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

}
