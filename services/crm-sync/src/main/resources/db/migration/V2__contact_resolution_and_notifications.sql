-- Contact resolution (how the contact was found, the candidates when several matched), the owner's task and note
-- (created at most once: a delivery claims the creation before calling the CRM, then stores the CRM's id), and
-- FAILED for uploads whose retries ran out.
ALTER TABLE crm_syncs DROP CONSTRAINT crm_syncs_status_check;
ALTER TABLE crm_syncs ADD CONSTRAINT crm_syncs_status_check
  CHECK (status IN ('SYNCED', 'NEEDS_REVIEW', 'SUPERSEDED', 'FAILED'));
ALTER TABLE crm_syncs
  ADD COLUMN resolved_by     VARCHAR(10),
  ADD COLUMN owner_id        TEXT,
  ADD COLUMN candidates      TEXT,
  ADD COLUMN task_id         TEXT,
  ADD COLUMN task_claimed_at TIMESTAMP WITH TIME ZONE,
  ADD COLUMN note_id         TEXT,
  ADD COLUMN note_claimed_at TIMESTAMP WITH TIME ZONE,
  ADD COLUMN last_error      TEXT;
