package io.esteira.contracts.s3;

import java.time.Instant;

/**
 * One record of an S3 event notification, decoded: {@code key} is the real object key (S3 sends it form-URL-encoded).
 *
 * @param eventName e.g. {@code ObjectCreated:Put}, {@code ObjectRemoved:Delete}
 * @param sequencer hex string that orders events for the same key; may be {@code null} for foreign producers
 */
public record S3ObjectEvent(String eventName, Instant eventTime, String bucket, String key, long size, String eTag,
		String versionId, String sequencer) {

	public boolean isObjectCreated() {
		return this.eventName != null && this.eventName.startsWith("ObjectCreated");
	}

	public boolean isObjectRemoved() {
		return this.eventName != null && this.eventName.startsWith("ObjectRemoved");
	}

	/**
	 * Compares two sequencers of the same key as S3 documents it: left-pad the shorter with zeros, then compare as
	 * strings. A missing sequencer sorts first.
	 */
	public static int compareSequencers(String a, String b) {
		if (a == null || b == null) {
			return (a == null) ? ((b == null) ? 0 : -1) : 1;
		}
		int width = Math.max(a.length(), b.length());
		return "0".repeat(width - a.length()).concat(a.toUpperCase())
			.compareTo("0".repeat(width - b.length()).concat(b.toUpperCase()));
	}

}
