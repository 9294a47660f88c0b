-- Issue 17: tenants, customer-scoped access, LGPD erasure and retention of originals.

-- The tenant the upload belongs to (the caller's, EsteiraPrincipal.tenantId()); uploads from before tenants, and
-- objects another system dropped into the bucket, belong to the default tenant.
ALTER TABLE uploads ADD COLUMN tenant text NOT NULL DEFAULT 'default';

-- The customer (CNPJ or CPF, without punctuation, upper case) the upload was made for, when the uploader named one:
-- a customer-scoped caller sees only the uploads of its document.
ALTER TABLE uploads ADD COLUMN customer_document VARCHAR(14);

-- When the upload was erased at its customer's request (DELETE /api/uploads/{id}, DELETE /api/customers): its
-- personal data is cleared, the timeline stays as a tombstone.
ALTER TABLE uploads ADD COLUMN erased_at TIMESTAMP WITH TIME ZONE;

-- When the original object was deleted (erasure of an image, or retention: esteira.ingest.retention.*).
ALTER TABLE uploads ADD COLUMN original_deleted_at TIMESTAMP WITH TIME ZONE;

-- GET /api/uploads of one tenant pages newest first by (created_at, id), as uploads_created_at_id_idx and
-- uploads_status_created_at_idx serve the admin's listing of every tenant.
CREATE INDEX uploads_tenant_created_at_id_idx ON uploads (tenant, created_at DESC, id DESC);
CREATE INDEX uploads_tenant_status_created_at_idx ON uploads (tenant, status, created_at DESC, id DESC);

-- The retention job looks for the oldest originals not yet deleted.
CREATE INDEX uploads_original_retained_idx ON uploads (created_at) WHERE original_deleted_at IS NULL;
