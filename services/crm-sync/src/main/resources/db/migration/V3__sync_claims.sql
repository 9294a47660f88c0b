-- Claims that keep a sync once per upload without holding a transaction across CRM calls (PhotoLinkService):
-- "upload:<id>" and "contact:<id>", held by one delivery (token) for a lease, given back when it is done.
CREATE TABLE crm_sync_claims (
  claim_key  TEXT PRIMARY KEY,
  token      UUID NOT NULL,
  claimed_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX crm_sync_claims_token ON crm_sync_claims (token);
