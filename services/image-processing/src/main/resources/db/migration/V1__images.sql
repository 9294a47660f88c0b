-- One row per upload: what was read from the uploads bucket and what became of it.
CREATE TABLE images
(
  id                     UUID        NOT NULL,
  upload_id              UUID        NOT NULL,
  source_bucket          TEXT        NOT NULL,
  source_key             TEXT        NOT NULL,
  source_etag            TEXT        NOT NULL,
  -- S3 orders events for one key by sequencer (hex, compare left-padded); NULL for producers that send none.
  source_sequencer       TEXT,
  source_bytes           BIGINT      NOT NULL,
  source_sha256          TEXT CONSTRAINT images_sha256_check CHECK (source_sha256 ~ '^[0-9a-f]{64}$'),
  detected_format        TEXT,
  original_width         INT,
  original_height        INT,
  status                 TEXT        NOT NULL,
  reason                 TEXT,
  thumbnail_key          TEXT,
  thumbnail_width        INT,
  thumbnail_height       INT,
  thumbnail_bytes        BIGINT,
  thumbnail_content_type TEXT,
  version                BIGINT      NOT NULL,
  created_at             TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at             TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT images_pkey PRIMARY KEY (id),
  CONSTRAINT images_upload_id_key UNIQUE (upload_id),
  CONSTRAINT images_status_check CHECK (status IN ('PROCESSED', 'REJECTED')),
  CONSTRAINT images_thumbnail_check CHECK (status <> 'PROCESSED' OR thumbnail_key IS NOT NULL)
);

CREATE INDEX images_source_idx ON images (source_bucket, source_key);

-- The outbox table (event_publication) comes from shared-lib: db/outbox/R__outbox_event_publication.sql.
