-- One service's role and schema; included by service-roles.sql with :schema, :password, :role_prefix and
-- :backup_role set. Not meant to be run on its own.
\set role :role_prefix :schema
SELECT format('CREATE ROLE %I', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT
  CONNECTION LIMIT 100 PASSWORD :'password';
ALTER ROLE :"role" SET search_path = :"schema";
GRANT CONNECT ON DATABASE :"database" TO :"role";
-- On RDS the master user is no superuser: it must be a member of the role to give it the schema and its objects.
SELECT format('GRANT %I TO CURRENT_USER', :'role')
  WHERE NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) \gexec

CREATE SCHEMA IF NOT EXISTS :"schema" AUTHORIZATION :"role";
ALTER SCHEMA :"schema" OWNER TO :"role";
REVOKE ALL ON SCHEMA :"schema" FROM PUBLIC;
SELECT format('ALTER %s %I.%I OWNER TO %I',
              CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                             ELSE 'TABLE' END, n.nspname, c.relname, :'role')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = :'schema' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
   AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')) \gexec
SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, :'role')
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = :'schema' \gexec

-- The backup role reads everything in the schema, now and later (default privileges of the owning role).
GRANT USAGE ON SCHEMA :"schema" TO :"backup_role";
GRANT SELECT ON ALL TABLES IN SCHEMA :"schema" TO :"backup_role";
GRANT SELECT ON ALL SEQUENCES IN SCHEMA :"schema" TO :"backup_role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"role" IN SCHEMA :"schema" GRANT SELECT ON TABLES TO :"backup_role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"role" IN SCHEMA :"schema" GRANT SELECT ON SEQUENCES TO :"backup_role";
