-- Who registered the upload: the authenticated client (the API key's name; later a token's subject). Its callbacks are
-- signed with that client's secret. Null for objects found in the bucket and for uploads registered before this.
ALTER TABLE uploads ADD COLUMN client VARCHAR(200);
