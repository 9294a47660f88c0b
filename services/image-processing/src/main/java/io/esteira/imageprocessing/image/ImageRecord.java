package io.esteira.imageprocessing.image;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.esteira.contracts.event.Tenants;
import io.esteira.contracts.event.UploadMetadata;
import io.esteira.imageprocessing.thumbnail.Renditions;

/**
 * One upload's image (table {@code images}, one row per upload id): the source object it was made from and its
 * renditions (table {@code image_renditions}), or why it was rejected. A newer write of the same object overwrites
 * the row.
 */
@Entity
@Table(name = "images")
class ImageRecord {

	@Id
	private UUID id;

	@Column(name = "upload_id", nullable = false, updatable = false)
	private UUID uploadId;

	/** The upload's tenant ({@link UploadMetadata#tenant}), from its object's metadata. */
	private String tenant = Tenants.DEFAULT;

	private String sourceBucket;

	private String sourceKey;

	@Column(name = "source_etag")
	private String sourceEtag;

	private String sourceSequencer;

	private long sourceBytes;

	@Column(name = "source_sha256")
	private String sourceSha256;

	private String detectedFormat;

	private Integer originalWidth;

	private Integer originalHeight;

	@Enumerated(EnumType.STRING)
	private ImageStatus status;

	private String reason;

	private Short orientation;

	private String blurHash;

	private Integer decodeMs;

	private Integer resizeMs;

	private Integer encodeMs;

	private Integer totalMs;

	@ElementCollection(fetch = FetchType.EAGER)
	@CollectionTable(name = "image_renditions", joinColumns = @JoinColumn(name = "image_id"))
	@OrderBy("width")
	private List<RenditionRecord> renditions = new ArrayList<>();

	/** The upload's pipeline run this row was last handled in: 1, or a redrive's run (2 for the first). */
	private int run = 1;

	@Version
	private Long version;

	@Column(nullable = false, updatable = false)
	private Instant createdAt;

	private Instant updatedAt;

	protected ImageRecord() {
	}

	ImageRecord(UUID uploadId, Instant createdAt) {
		this.id = UUID.randomUUID();
		this.uploadId = uploadId;
		this.createdAt = createdAt;
	}

	void processed(SourceObject source, String sequencer, String sha256, Renditions made,
			List<RenditionRecord> renditions, long totalMillis, Instant now) {
		source(source, sequencer, sha256, now);
		this.status = ImageStatus.PROCESSED;
		this.reason = null;
		this.detectedFormat = made.sourceFormat();
		this.originalWidth = made.sourceWidth();
		this.originalHeight = made.sourceHeight();
		this.orientation = (short) made.orientation();
		this.blurHash = made.blurHash();
		this.decodeMs = (int) made.decodeMillis();
		this.resizeMs = (int) made.resizeMillis();
		this.encodeMs = (int) made.encodeMillis();
		this.totalMs = (int) totalMillis;
		this.renditions.clear();
		this.renditions.addAll(renditions);
	}

	void rejected(SourceObject source, String sequencer, String sha256, String detectedFormat, String reason,
			long totalMillis, Instant now) {
		source(source, sequencer, sha256, now);
		noImage(ImageStatus.REJECTED, reason, detectedFormat);
		this.totalMs = (int) totalMillis;
		this.renditions.clear();
	}

	/** The event's object was gone: only what the event says about it is known. */
	void skipped(String bucket, String key, String eTag, String sequencer, long bytes, String reason, Instant now) {
		this.sourceBucket = bucket;
		this.sourceKey = key;
		this.sourceEtag = eTag;
		this.sourceSequencer = sequencer;
		this.sourceBytes = bytes;
		this.sourceSha256 = null;
		noImage(ImageStatus.SKIPPED, reason, null);
		this.totalMs = null;
		this.updatedAt = now;
	}

	/** An outcome without a decoded image: nothing of a previous image's dimensions and timings is kept. */
	private void noImage(ImageStatus status, String reason, String detectedFormat) {
		this.status = status;
		this.reason = reason;
		this.detectedFormat = detectedFormat;
		this.originalWidth = null;
		this.originalHeight = null;
		this.orientation = null;
		this.blurHash = null;
		this.decodeMs = null;
		this.resizeMs = null;
		this.encodeMs = null;
	}

	/**
	 * Retries were exhausted. The renditions of an earlier version (if any) are kept: they are still in the output
	 * bucket, and a later successful run replaces them.
	 */
	void failed(String bucket, String key, String eTag, String sequencer, long bytes, String reason, Instant now) {
		this.sourceBucket = bucket;
		this.sourceKey = key;
		this.sourceEtag = eTag;
		this.sourceSequencer = sequencer;
		this.sourceBytes = bytes;
		this.status = ImageStatus.FAILED;
		this.reason = reason;
		this.updatedAt = now;
	}

	private void source(SourceObject source, String sequencer, String sha256, Instant now) {
		this.tenant = source.tenant();
		this.sourceBucket = source.bucket();
		this.sourceKey = source.key();
		this.sourceEtag = source.eTag();
		this.sourceSequencer = sequencer;
		this.sourceBytes = source.size();
		this.sourceSha256 = sha256;
		this.updatedAt = now;
	}

	String tenant() {
		return this.tenant;
	}

	/** Handled in {@code run} (a redrive's); never moves back. */
	void inRun(int run) {
		this.run = Math.max(this.run, run);
	}

	int run() {
		return this.run;
	}

	/** When the row's outcome was recorded (for a processed image: when its renditions were made). */
	Instant processedAt() {
		return this.updatedAt;
	}

	UUID uploadId() {
		return this.uploadId;
	}

	ImageStatus status() {
		return this.status;
	}

	String reason() {
		return this.reason;
	}

	String sourceEtag() {
		return this.sourceEtag;
	}

	String sourceSequencer() {
		return this.sourceSequencer;
	}

	/** The renditions in the output bucket, smallest first; empty when rejected. */
	List<RenditionRecord> renditions() {
		return List.copyOf(this.renditions);
	}

}
