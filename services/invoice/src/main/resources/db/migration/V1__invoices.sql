-- Invoices, stored once per (issuer, series, number), and one import summary per upload.

CREATE TABLE invoices
(
  id          UUID           NOT NULL DEFAULT gen_random_uuid(),
  issuer_key  TEXT           NOT NULL DEFAULT 'default',
  series      TEXT           NOT NULL,
  number      TEXT           NOT NULL,
  customer    TEXT           NOT NULL,
  amount      NUMERIC(15, 2) NOT NULL CHECK (amount > 0),
  currency    TEXT           NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  issue_date  DATE           NOT NULL,
  upload_id   UUID           NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT invoices_issuer_series_number_key UNIQUE (issuer_key, series, number)
);
-- The listing's order: newest issue date first, then number.
CREATE INDEX invoices_issue_date_number_idx ON invoices (issue_date DESC, number);
CREATE INDEX invoices_upload_id_idx ON invoices (upload_id);

CREATE TABLE invoice_imports
(
  upload_id   UUID    NOT NULL,
  bucket      TEXT    NOT NULL,
  object_key  TEXT    NOT NULL,
  e_tag       TEXT,
  status      TEXT    NOT NULL,
  accepted    INT     NOT NULL DEFAULT 0,
  duplicates  INT     NOT NULL DEFAULT 0,
  conflicts   INT     NOT NULL DEFAULT 0,
  rejected    INT     NOT NULL DEFAULT 0,
  -- The first errors only (esteira.invoices.max-reported-errors); the counts above are complete.
  errors      JSONB   NOT NULL DEFAULT '[]',
  started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  finished_at TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (upload_id)
);

-- The outbox table (event_publication) comes from shared-lib: db/outbox/R__outbox_event_publication.sql.
