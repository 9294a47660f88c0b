-- The upload's pipeline run an image was last handled in: 1, or the run of a redrive (POST /api/uploads/{id}/retry,
-- 2 for the first). A redrive of an image already processed reports it again and hands it on to CRM sync once per
-- run, without rendering it again.
ALTER TABLE images ADD COLUMN run integer NOT NULL DEFAULT 1;
