-- SKIPPED: the event's object no longer existed when it was handled (reason object_missing), recorded under the
-- upload id its key names (ingest's keys) or the name-based one of foreign objects; there may be no ETag then.
-- FAILED: a transient failure (S3, database) outlasted the retry policy; a newer event (a redrive) processes it again.
ALTER TABLE images
  DROP CONSTRAINT images_status_check,
  ADD CONSTRAINT images_status_check CHECK (status IN ('PROCESSED', 'REJECTED', 'SKIPPED', 'FAILED')),
  ALTER COLUMN source_etag DROP NOT NULL;
