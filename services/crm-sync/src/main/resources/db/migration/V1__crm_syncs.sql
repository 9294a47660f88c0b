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

-- Spring Modulith's event publication registry (the outbox).
CREATE TABLE IF NOT EXISTS event_publication
(
  id                     UUID NOT NULL,
  listener_id            TEXT NOT NULL,
  event_type             TEXT NOT NULL,
  serialized_event       TEXT NOT NULL,
  publication_date       TIMESTAMP WITH TIME ZONE NOT NULL,
  completion_date        TIMESTAMP WITH TIME ZONE,
  status                 TEXT,
  completion_attempts    INT,
  last_resubmission_date TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS event_publication_serialized_event_hash_idx ON event_publication USING hash(serialized_event);
CREATE INDEX IF NOT EXISTS event_publication_by_completion_date_idx ON event_publication (completion_date);
