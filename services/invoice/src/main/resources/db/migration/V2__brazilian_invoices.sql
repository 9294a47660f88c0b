-- Brazilian invoices: customer document (CPF/CNPJ), due date, NF-e access key (unique: the natural key when present),
-- authorisation status and items. issuer_key now holds the issuer's CPF/CNPJ, or the configured default issuer.

ALTER TABLE invoices
  ADD COLUMN customer_document    TEXT,
  ADD COLUMN due_date             DATE,
  ADD COLUMN access_key           TEXT,
  ADD COLUMN authorization_status TEXT,
  ADD COLUMN items                JSONB NOT NULL DEFAULT '[]',
  ADD CONSTRAINT invoices_access_key_key UNIQUE (access_key),
  ADD CONSTRAINT invoices_access_key_check CHECK (access_key ~ '^[0-9]{44}$'),
  ADD CONSTRAINT invoices_due_date_check CHECK (due_date >= issue_date),
  ADD CONSTRAINT invoices_customer_document_check CHECK (customer_document ~ '^([0-9]{11}|[0-9A-Z]{12}[0-9]{2})$');

CREATE INDEX invoices_customer_document_idx ON invoices (customer_document) WHERE customer_document IS NOT NULL;
-- Amount-range filters.
CREATE INDEX invoices_amount_idx ON invoices (amount);

ALTER TABLE invoice_imports
  ADD COLUMN format             TEXT,
  ADD COLUMN error_report_key   TEXT,
  ADD COLUMN parse_store_millis BIGINT;
ALTER TABLE invoice_imports ADD COLUMN total_errors BIGINT NOT NULL DEFAULT 0;
