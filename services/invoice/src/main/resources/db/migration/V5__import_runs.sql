-- The upload's pipeline run an import was last handled in: 1, or the run of a redrive (POST /api/uploads/{id}/retry,
-- 2 for the first). A redrive of a finished import reports its outcome again once per run, without importing again.
ALTER TABLE invoice_imports ADD COLUMN run integer NOT NULL DEFAULT 1;
