-- Finding a customer's uploads (GET /api/uploads?customer=, DELETE /api/customers, a customer-scoped caller's list)
-- without reading the whole tenant: one partial index per way of naming the customer, each led by the tenant, and
-- statistics on the two expressions, so that the planner knows a value matches a handful of rows. Without those
-- statistics it guesses 0.5% of the table, walks the listing index (tenant, created_at) and filters every row:
-- services/ingest/bench/customer-lookup.sh measures both plans.
CREATE INDEX uploads_tenant_email_idx ON uploads (tenant, lower(customer_email))
  WHERE customer_email IS NOT NULL;
CREATE INDEX uploads_tenant_phone_digits_idx ON uploads (tenant, regexp_replace(customer_phone, '[^0-9]', '', 'g'))
  WHERE customer_phone IS NOT NULL;
CREATE INDEX uploads_tenant_crm_contact_idx ON uploads (tenant, crm_contact_id)
  WHERE crm_contact_id IS NOT NULL;
CREATE INDEX uploads_tenant_external_ref_idx ON uploads (tenant, external_ref)
  WHERE external_ref IS NOT NULL;
CREATE INDEX uploads_tenant_customer_document_idx ON uploads (tenant, customer_document)
  WHERE customer_document IS NOT NULL;
CREATE STATISTICS uploads_email_stats ON (lower(customer_email)) FROM uploads;
CREATE STATISTICS uploads_phone_digits_stats ON (regexp_replace(customer_phone, '[^0-9]', '', 'g')) FROM uploads;
-- The statistics exist once the table is analyzed: now, not at autovacuum's next pass.
ANALYZE uploads;
