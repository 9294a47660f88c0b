package io.esteira.imageprocessing.image;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.esteira.imageprocessing.thumbnail.Thumbnail;

/**
 * One upload's image (table {@code images}, one row per upload id): the source object it was made from and its
 * thumbnail, or why it was rejected. A newer write of the same object overwrites the row.
 */
@Entity
@Table(name = "images")
class ImageRecord {

	@Id
	private UUID id;

	@Column(name = "upload_id", nullable = false, updatable = false)
	private UUID uploadId;

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

	private String thumbnailKey;

	private Integer thumbnailWidth;

	private Integer thumbnailHeight;

	private Long thumbnailBytes;

	private String thumbnailContentType;

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

	void processed(SourceObject source, String sequencer, String sha256, Thumbnail thumbnail, String thumbnailKey,
			Instant now) {
		source(source, sequencer, sha256, now);
		this.status = ImageStatus.PROCESSED;
		this.reason = null;
		this.detectedFormat = thumbnail.sourceFormat();
		this.originalWidth = thumbnail.sourceWidth();
		this.originalHeight = thumbnail.sourceHeight();
		this.thumbnailKey = thumbnailKey;
		this.thumbnailWidth = thumbnail.width();
		this.thumbnailHeight = thumbnail.height();
		this.thumbnailBytes = (long) thumbnail.content().length;
		this.thumbnailContentType = thumbnail.contentType();
	}

	void rejected(SourceObject source, String sequencer, String sha256, String detectedFormat, String reason,
			Instant now) {
		source(source, sequencer, sha256, now);
		this.status = ImageStatus.REJECTED;
		this.reason = reason;
		this.detectedFormat = detectedFormat;
		this.originalWidth = null;
		this.originalHeight = null;
		this.thumbnailKey = null;
		this.thumbnailWidth = null;
		this.thumbnailHeight = null;
		this.thumbnailBytes = null;
		this.thumbnailContentType = null;
	}

	private void source(SourceObject source, String sequencer, String sha256, Instant now) {
		this.sourceBucket = source.bucket();
		this.sourceKey = source.key();
		this.sourceEtag = source.eTag();
		this.sourceSequencer = sequencer;
		this.sourceBytes = source.size();
		this.sourceSha256 = sha256;
		this.updatedAt = now;
	}

	UUID uploadId() {
		return this.uploadId;
	}

	String sourceEtag() {
		return this.sourceEtag;
	}

	String sourceSequencer() {
		return this.sourceSequencer;
	}

	String thumbnailKey() {
		return this.thumbnailKey;
	}

}
