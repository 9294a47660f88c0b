-- Issue 17. Every row carries its upload's tenant (rows from before tenants belong to 'default'); contacts are the
-- tenant's CRM account's, so "a newer image of this contact" is asked within the tenant.
ALTER TABLE crm_syncs ADD COLUMN tenant text NOT NULL DEFAULT 'default';
DROP INDEX crm_syncs_synced_by_contact_idx;
CREATE INDEX crm_syncs_synced_by_contact_idx ON crm_syncs (tenant, contact_id, event_occurred_at)
  WHERE status = 'SYNCED';
-- LGPD erasure (UploadErasedEvent): ERASED is final; a later image event of the upload does nothing. erased_at when
-- the erasure was recorded, photo_cleared_at once the CRM's photo property was handled (cleared, or found holding a
-- newer photo), the note on the contact created once (claim, then id, as the owner's note).
ALTER TABLE crm_syncs DROP CONSTRAINT crm_syncs_status_check;
ALTER TABLE crm_syncs ADD CONSTRAINT crm_syncs_status_check
  CHECK (status IN ('SYNCED', 'NEEDS_REVIEW', 'SUPERSEDED', 'FAILED', 'ERASED'));
ALTER TABLE crm_syncs
  ADD COLUMN erased_at               TIMESTAMP WITH TIME ZONE,
  ADD COLUMN photo_cleared_at        TIMESTAMP WITH TIME ZONE,
  ADD COLUMN erasure_note_id         TEXT,
  ADD COLUMN erasure_note_claimed_at TIMESTAMP WITH TIME ZONE;
