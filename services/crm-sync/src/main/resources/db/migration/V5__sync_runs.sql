-- The upload's pipeline run a sync was recorded in: 1, or the run of a redrive (POST /api/uploads/{id}/retry, 2 for
-- the first). An image event of a later run syncs an upload that ended FAILED or NEEDS_REVIEW again, and reports one
-- that ended SYNCED or SUPERSEDED again, once per run.
ALTER TABLE crm_syncs ADD COLUMN run integer NOT NULL DEFAULT 1;
