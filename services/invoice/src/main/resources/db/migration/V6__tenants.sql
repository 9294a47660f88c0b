-- Tenants (issue 17): every invoice and import belongs to one; rows from before tenants belong to 'default'. Adding a
-- column with a constant default rewrites no row.
ALTER TABLE invoices ADD COLUMN tenant TEXT COLLATE "C" NOT NULL DEFAULT 'default';
-- The customer (CPF/CNPJ, without punctuation, upper case) the upload was made for, from the object's
-- esteira-customer-document metadata: a principal restricted to that customer sees the import.
ALTER TABLE invoice_imports
  ADD COLUMN tenant            TEXT COLLATE "C" NOT NULL DEFAULT 'default',
  ADD COLUMN customer_document TEXT COLLATE "C";

-- Exactly once within a tenant: the same NF-e (access key, or issuer/series/number) uploaded by two tenants is stored
-- once in each, and neither import learns that the other tenant has it (no conflict, no duplicate across tenants).
ALTER TABLE invoices
  DROP CONSTRAINT invoices_issuer_series_number_key,
  DROP CONSTRAINT invoices_access_key_key,
  ADD CONSTRAINT invoices_tenant_issuer_series_number_key UNIQUE (tenant, issuer_key, series, number),
  ADD CONSTRAINT invoices_tenant_access_key_key UNIQUE (tenant, access_key);

-- Every listing, keyset page and summary names the caller's tenant first (an admin may list every tenant: that one
-- is sorted, not read in index order), so the listing order is per tenant.
DROP INDEX invoices_listing_idx;
CREATE INDEX invoices_listing_idx ON invoices (tenant, issue_date DESC, number, series, id);
-- Customer-document filters, and customer-scoped callers (recipient side; the issuer side is the unique key above).
DROP INDEX invoices_customer_document_idx;
CREATE INDEX invoices_customer_document_idx ON invoices (tenant, customer_document)
  WHERE customer_document IS NOT NULL;
