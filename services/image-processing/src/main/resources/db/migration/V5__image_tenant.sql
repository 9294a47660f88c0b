-- The tenant an image belongs to (its object's esteira-tenant metadata, which ingest sets from the uploader's API key
-- or token); images from before tenants, and objects other systems dropped into the bucket, are the default tenant's.
ALTER TABLE images ADD COLUMN tenant text NOT NULL DEFAULT 'default';
