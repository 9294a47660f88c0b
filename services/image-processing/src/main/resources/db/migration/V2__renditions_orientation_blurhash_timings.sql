-- Several renditions per image (one row each), plus orientation, a BlurHash placeholder and timings per image.
CREATE TABLE image_renditions
(
  image_id     UUID   NOT NULL,
  -- The longest-side limit in pixels ("256", "1024"); the key is thumbnails/{uploadId}/{name}.{jpg|png}.
  name         TEXT   NOT NULL,
  bucket       TEXT   NOT NULL,
  object_key   TEXT   NOT NULL,
  width        INT    NOT NULL,
  height       INT    NOT NULL,
  bytes        BIGINT NOT NULL,
  content_type TEXT   NOT NULL,
  CONSTRAINT image_renditions_pkey PRIMARY KEY (image_id, name),
  CONSTRAINT image_renditions_image_fk FOREIGN KEY (image_id) REFERENCES images (id) ON DELETE CASCADE
);

ALTER TABLE images
  DROP CONSTRAINT images_thumbnail_check,
  DROP COLUMN thumbnail_key,
  DROP COLUMN thumbnail_width,
  DROP COLUMN thumbnail_height,
  DROP COLUMN thumbnail_bytes,
  DROP COLUMN thumbnail_content_type,
  -- EXIF orientation applied, 1 (none) to 8; original_width/height are as stored, before it.
  ADD COLUMN orientation SMALLINT CONSTRAINT images_orientation_check CHECK (orientation BETWEEN 1 AND 8),
  ADD COLUMN blur_hash   TEXT,
  ADD COLUMN decode_ms   INT,
  ADD COLUMN resize_ms   INT,
  ADD COLUMN encode_ms   INT,
  -- From the event to the row: download, decode, resize, encode, upload.
  ADD COLUMN total_ms    INT;
