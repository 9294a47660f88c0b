-- Least privilege in PostgreSQL: one login role per service, owning only its own schema, plus a read-only backup role.
-- Run once per database (and again after adding a service or rotating a password) as the master user, e.g. on RDS:
--
--   psql "host=<DatabaseEndpoint> dbname=esteira user=esteira sslmode=verify-full sslrootcert=global-bundle.pem" \
--     -v ingest_password="$(pw ingest)" -v image_processing_password="$(pw image-processing)" \
--     -v invoice_password="$(pw invoice)" -v crm_sync_password="$(pw crm-sync)" -v backup_password="$(pw backup)" \
--     -f deploy/database/service-roles.sql
--   (pw() { aws secretsmanager get-secret-value --secret-id "esteira/database/$1" --query SecretString \
--           --output text | python3 -c 'import json,sys; print(json.load(sys.stdin)["password"])'; })
--
-- Roles (names = the "username" of each esteira/database/<service> secret in deploy/cloudformation/esteira.yaml):
--   esteira_ingest, esteira_image_processing, esteira_invoice, esteira_crm_sync: LOGIN, no other attribute; each owns
--   its schema (ingest, image_processing, invoice, crm_sync) and can neither see nor create anything elsewhere
--   (no USAGE on the other schemas, no CREATE on the database or on public, no TEMP).
--   esteira_backup: USAGE and SELECT on the four schemas (also on tables the services create later), nothing else:
--   pg_dump for the backup CronJob / EC2 timer. Restores run as the master user (deploy/README.md).
-- Idempotent: existing roles get their attributes and password reset; an existing schema and everything in it
-- (tables, sequences, views, functions: e.g. a database that ran as the master user before) moves to its role.
-- Optional: -v role_prefix=... (default esteira_) names the roles differently (the restore drill uses it).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
\if :{?role_prefix}
\else
  \set role_prefix esteira_
\endif
SELECT current_database() AS database \gset
\set backup_role :role_prefix backup

-- The read-only backup role first: each service's block grants it SELECT.
SELECT format('CREATE ROLE %I', :'backup_role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'backup_role') \gexec
ALTER ROLE :"backup_role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT
  CONNECTION LIMIT 4 PASSWORD :'backup_password';

-- Nobody gets the database or the public schema by default (PostgreSQL 15+ already denies CREATE on public).
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT CONNECT ON DATABASE :"database" TO :"backup_role";

\set schema ingest
\set password :ingest_password
\ir service-role.sql
\set schema image_processing
\set password :image_processing_password
\ir service-role.sql
\set schema invoice
\set password :invoice_password
\ir service-role.sql
\set schema crm_sync
\set password :crm_sync_password
\ir service-role.sql
