-- The CRM's rate limit, shared by every crm-sync instance: Bucket4j's token-bucket state, one row per bucket
-- (io.esteira.crmsync.crm.CrmRateLimiter), locked with SELECT ... FOR UPDATE while a token is taken.
CREATE TABLE crm_rate_limit_buckets (
  id    VARCHAR(200) PRIMARY KEY,
  state BYTEA
);
