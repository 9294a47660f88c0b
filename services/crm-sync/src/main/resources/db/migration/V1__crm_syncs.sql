-- One row per upload: how putting its photo link on the CRM contact ended. Written once; a redelivered event for a
-- recorded upload does nothing.
CREATE TABLE crm_syncs
(
  upload_id         UUID PRIMARY KEY,
  contact_id        TEXT,
  status            VARCHAR(20) NOT NULL CHECK (status IN ('SYNCED', 'NEEDS_REVIEW', 'SUPERSEDED')),
  property          TEXT NOT NULL,
  link              TEXT NOT NULL,
  reason            TEXT,
  event_occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
  synced_at         TIMESTAMP WITH TIME ZONE,
  recorded_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  attempts          INT NOT NULL
);
-- "Does this contact already show a newer image?"
CREATE INDEX crm_syncs_synced_by_contact_idx ON crm_syncs (contact_id, event_occurred_at) WHERE status = 'SYNCED';

-- The outbox table (event_publication) comes from shared-lib: db/outbox/R__outbox_event_publication.sql.
