-- Ingest owns the schema "ingest" (Flyway creates it): uploads, their timelines, and the outbox.

CREATE TABLE uploads
(
  id                UUID PRIMARY KEY,
  kind              VARCHAR(16)   NOT NULL CHECK (kind IN ('image', 'invoice')),
  status            VARCHAR(32)   NOT NULL,
  bucket            VARCHAR(63)   NOT NULL,
  object_key        VARCHAR(1024) NOT NULL CONSTRAINT uploads_object_key_uq UNIQUE,
  original_filename VARCHAR(255),
  content_type      VARCHAR(127)  NOT NULL,
  size_bytes        BIGINT        NOT NULL,
  sha256            VARCHAR(64)   NOT NULL,
  customer_email    VARCHAR(254),
  customer_phone    VARCHAR(32),
  crm_contact_id    VARCHAR(64),
  external_ref      VARCHAR(200),
  created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  -- optimistic locking (JPA @Version)
  version           BIGINT        NOT NULL
);

CREATE INDEX uploads_created_at_idx ON uploads (created_at);

-- One row per reported step; event_id is unique so a redelivered report is recorded once.
CREATE TABLE upload_steps
(
  id          UUID PRIMARY KEY,
  upload_id   UUID        NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
  event_id    UUID        NOT NULL CONSTRAINT upload_steps_event_id_uq UNIQUE,
  service     TEXT        NOT NULL,
  step        TEXT        NOT NULL,
  outcome     VARCHAR(32) NOT NULL,
  status      VARCHAR(32),
  reason      TEXT,
  attempt     INT         NOT NULL,
  occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
  -- when ingest recorded it: orders steps reported with the same occurred_at
  recorded_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX upload_steps_upload_id_idx ON upload_steps (upload_id, occurred_at, recorded_at);

-- The outbox table (event_publication) comes from shared-lib: db/outbox/R__outbox_event_publication.sql.
