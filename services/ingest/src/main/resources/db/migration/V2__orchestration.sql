-- Orchestration (issue 6): direct uploads, callbacks, stuck-upload marks, and indexes for the listing.

-- A presigned (direct) upload has no content hash until ingest reads the object; ingest never does, so it stays null.
ALTER TABLE uploads ALTER COLUMN sha256 DROP NOT NULL;

-- Where the final status is POSTed (validated on the way in), if the client asked for it.
ALTER TABLE uploads ADD COLUMN callback_url VARCHAR(2048);

-- True from presigning until the first step another service reports about the object.
ALTER TABLE uploads ADD COLUMN awaiting_object BOOLEAN NOT NULL DEFAULT FALSE;

-- Set by the stuck-upload check, cleared by the next step recorded.
ALTER TABLE uploads ADD COLUMN stuck_since TIMESTAMP WITH TIME ZONE;

-- GET /api/uploads pages newest first by (created_at, id) (keyset paging).
DROP INDEX uploads_created_at_idx;
CREATE INDEX uploads_created_at_id_idx ON uploads (created_at DESC, id DESC);
CREATE INDEX uploads_status_created_at_idx ON uploads (status, created_at DESC, id DESC);

-- The stuck-upload check looks for unfinished uploads by last progress.
CREATE INDEX uploads_unfinished_updated_at_idx ON uploads (updated_at)
  WHERE status IN ('RECEIVED', 'PROCESSING') AND stuck_since IS NULL;
