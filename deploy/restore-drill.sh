#!/usr/bin/env bash
# Restore drill against a real PostgreSQL: builds the four service schemas from their own Flyway migrations in a
# scratch database, adds rows, dumps every schema with the backup script the CronJob and EC2 timer run
# (k8s/base/backup/esteira-backup.sh), verifies the dumps' SHA-256, drops the schemas, restores them with the
# command deploy/README.md documents, and compares every table's row count and content checksum and every schema's
# catalog (columns, constraints, indexes) before and after. Then, in a second scratch database, the per-service
# roles of deploy/database/service-roles.sql: each builds its own schema and reaches nothing else; the backup role
# dumps everything and writes nothing. The scratch databases and drill roles are dropped at exit.
#
# Connection: TEST_POSTGRES_URL (jdbc:postgresql://host:port/db, as .ci/run sets it), TEST_POSTGRES_USER,
# TEST_POSTGRES_PASSWORD; default jdbc:postgresql://127.0.0.1:5432/postgres as postgres. Needs psql, pg_dump and
# pg_restore (Debian's postgresql-client; installed when missing). The last line is "N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v pg_restore >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq postgresql-client >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null && apt-get install -y -qq postgresql-client >/dev/null; }
fi

jdbc="${TEST_POSTGRES_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}"
server="${jdbc#jdbc:postgresql://}"
server="${server%%/*}"
export PGUSER="${TEST_POSTGRES_USER:-postgres}" PGPASSWORD="${TEST_POSTGRES_PASSWORD:-${PGPASSWORD:-}}"
database="esteira_restore_drill_$$"
admin_url="postgresql://$server/${jdbc##*/}"
admin_url="${admin_url%%\?*}"
drill_url="postgresql://$server/$database"
work="$(mktemp -d)"
cleanup() {
  psql -q "$admin_url" -c "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

passed=0
failed=0
check() { # check <description> <command...>
  local what="$1"; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "  FAIL $what"; fi
}
sql() { psql -qAtX -v ON_ERROR_STOP=1 "$drill_url" "$@"; }

declare -A schema_of=([ingest]=ingest [image-processing]=image_processing [invoice]=invoice [crm-sync]=crm_sync)
psql -q -v ON_ERROR_STOP=1 "$admin_url" -c "CREATE DATABASE $database" >/dev/null

# 1. The schemas, as Flyway would build them: the service's V migrations in version order, then the shared outbox.
for service in ingest image-processing invoice crm-sync; do
  schema="${schema_of[$service]}"
  sql -c "CREATE SCHEMA $schema"
  mapfile -t migrations < <(ls "services/$service/src/main/resources/db/migration"/V*__*.sql | sort -V)
  for file in "${migrations[@]}" shared-lib/platform/src/main/resources/db/outbox/R__*.sql; do
    PGOPTIONS="-c search_path=$schema" sql -f "$file" >/dev/null
  done
  # Rows of every kind of value the services store, in a table of the drill's own: the real tables are filled
  # below where they can be without knowing their columns.
  sql >/dev/null <<SQL
CREATE TABLE $schema.drill_rows (id uuid PRIMARY KEY, label text NOT NULL, amount numeric(15, 2),
  at timestamptz NOT NULL, doc jsonb, raw bytea);
INSERT INTO $schema.drill_rows
SELECT md5('$schema' || n)::uuid, 'linha ' || n || ' açaí ✓', n * 1.25, timestamptz '2026-01-01' + n * interval '1 minute',
       jsonb_build_object('n', n, 'tags', jsonb_build_array('a', 'b')), decode(md5(n::text), 'hex')
FROM generate_series(1, 5000) AS n;
SQL
done

# Rows in the real tables too: each table gets a copy of a row built from its columns' defaults where every column
# without a default is nullable or has a type we can fill (a generic filler, not each service's domain).
fill_real_tables() {
  sql >/dev/null <<'SQL'
DO $$
DECLARE
  t record; c record; cols text; vals text; expr text; ok boolean;
BEGIN
  FOR t IN SELECT table_schema, table_name FROM information_schema.tables
           WHERE table_schema IN ('ingest', 'image_processing', 'invoice', 'crm_sync')
             AND table_type = 'BASE TABLE' AND table_name NOT IN ('drill_rows', 'flyway_schema_history') LOOP
    cols := ''; vals := ''; ok := true;
    FOR c IN SELECT column_name, data_type, udt_name, is_nullable, column_default, character_maximum_length
             FROM information_schema.columns
             WHERE table_schema = t.table_schema AND table_name = t.table_name ORDER BY ordinal_position LOOP
      expr := CASE
        WHEN c.data_type = 'uuid' THEN 'gen_random_uuid()'
        WHEN c.data_type IN ('text', 'character varying') THEN
          format('left(%L || n, %s)', 'drill-' || c.column_name || '-', coalesce(c.character_maximum_length, 200))
        WHEN c.data_type IN ('integer', 'bigint', 'smallint') THEN 'n'
        WHEN c.data_type = 'numeric' THEN 'n'
        WHEN c.data_type LIKE 'timestamp%' THEN 'now() - n * interval ''1 second'''
        WHEN c.data_type = 'date' THEN 'current_date'
        WHEN c.data_type = 'boolean' THEN 'false'
        WHEN c.data_type IN ('json', 'jsonb') THEN format('''{}''::%s', c.data_type)
        WHEN c.data_type = 'bytea' THEN 'decode(md5(n::text), ''hex'')'
        WHEN c.column_default IS NOT NULL OR c.is_nullable = 'YES' THEN NULL
        ELSE 'unfillable' END;
      IF expr = 'unfillable' THEN ok := false; EXIT; END IF;
      IF expr IS NOT NULL THEN
        cols := cols || CASE WHEN cols = '' THEN '' ELSE ', ' END || quote_ident(c.column_name);
        vals := vals || CASE WHEN vals = '' THEN '' ELSE ', ' END || expr;
      END IF;
    END LOOP;
    IF ok AND cols <> '' THEN
      BEGIN
        EXECUTE format('INSERT INTO %I.%I (%s) SELECT %s FROM generate_series(1, 50) AS n',
                       t.table_schema, t.table_name, cols, vals);
      EXCEPTION WHEN others THEN
        RAISE NOTICE 'drill: %.% left empty (%)', t.table_schema, t.table_name, SQLERRM;
      END;
    END IF;
  END LOOP;
END $$;
SQL
}
fill_real_tables

# Fingerprint: per table "schema.table rows checksum", then the catalog (columns, constraints, indexes).
fingerprint() {
  sql <<'SQL'
DO $$ BEGIN
  CREATE TEMP TABLE drill_fp (line text);
  DECLARE t record; r text;
  BEGIN
    FOR t IN SELECT table_schema, table_name FROM information_schema.tables
             WHERE table_schema IN ('ingest', 'image_processing', 'invoice', 'crm_sync') AND table_type = 'BASE TABLE'
             ORDER BY 1, 2 LOOP
      EXECUTE format('SELECT count(*) || '' '' || coalesce(md5(string_agg(x::text, ''|'' ORDER BY x::text)), ''-'') '
                     'FROM %I.%I x', t.table_schema, t.table_name) INTO r;
      INSERT INTO drill_fp VALUES (t.table_schema || '.' || t.table_name || ' ' || r);
    END LOOP;
  END;
END $$;
SELECT line FROM drill_fp ORDER BY line;
SELECT 'column ' || table_schema || '.' || table_name || '.' || column_name || ' ' || data_type || ' '
       || is_nullable || ' ' || coalesce(column_default, '')
FROM information_schema.columns
WHERE table_schema IN ('ingest', 'image_processing', 'invoice', 'crm_sync') ORDER BY 1;
SELECT 'constraint ' || n.nspname || '.' || c.conname || ' ' || pg_get_constraintdef(c.oid)
FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
WHERE n.nspname IN ('ingest', 'image_processing', 'invoice', 'crm_sync') ORDER BY 1;
SELECT 'index ' || schemaname || '.' || indexname || ' ' || indexdef FROM pg_indexes
WHERE schemaname IN ('ingest', 'image_processing', 'invoice', 'crm_sync') ORDER BY 1;
SQL
}
fingerprint > "$work/before.txt"
tables=$(grep -c '^[a-z_]*\.[a-z_]* [0-9]' "$work/before.txt")
filled=$(grep -Ec '^[a-z_]*\.[a-z_]* [1-9][0-9]* ' "$work/before.txt")
echo "restore drill: $tables tables in 4 schemas, $filled with rows, in database $database"
check "the drill has rows in every schema" test "$filled" -ge 4

# 2. Dump with the production backup script, verify the checksums it writes.
mkdir -p "$work/backup"
BACKUP_DIR="$work/backup" DATABASE_URL="jdbc:$drill_url" DATABASE_USERNAME="$PGUSER" DATABASE_PASSWORD="$PGPASSWORD" \
  sh k8s/base/backup/esteira-backup.sh dump
for schema in ingest image_processing invoice crm_sync; do
  check "$schema.dump exists and is not empty" test -s "$work/backup/$schema.dump"
done
check "every dump matches its SHA-256" bash -c "cd '$work/backup' && sha256sum --quiet -c ./*.sha256"

# 3. Lose everything, then restore each schema as deploy/README.md says.
sql -c "SET client_min_messages = warning" -c "DROP SCHEMA ingest, image_processing, invoice, crm_sync CASCADE"
check "the schemas are gone" test "$(sql -c "SELECT count(*) FROM pg_namespace
  WHERE nspname IN ('ingest', 'image_processing', 'invoice', 'crm_sync')")" = 0
for schema in ingest image_processing invoice crm_sync; do
  check "pg_restore $schema.dump" pg_restore --no-owner --no-privileges --single-transaction --exit-on-error \
    --dbname "$drill_url" "$work/backup/$schema.dump"
done

# 4. Same tables, rows, checksums and catalog.
fingerprint > "$work/after.txt"
while read -r table rows sum; do
  after=$(grep -F "$table " "$work/after.txt" | grep -E '^[a-z_]*\.[a-z_]* [0-9]' | head -n 1)
  check "$table: $rows rows, checksum $sum after the restore (got: ${after#* })" test "$after" = "$table $rows $sum"
done < <(grep -E '^[a-z_]*\.[a-z_]* [0-9]' "$work/before.txt")
# PostgreSQL deparses some expressions differently once they went through a dump (IN lists over varchar gain casts
# and parentheses): compare without casts, parentheses and spaces.
catalog() { grep -E '^(column|constraint|index) ' "$1" | sed -E 's/::[a-z ]+(\[\])?//g; s/[() ]//g'; }
check "columns, constraints and indexes are the same after the restore" diff <(catalog "$work/before.txt") \
  <(catalog "$work/after.txt")

# 5. Least privilege (deploy/database/service-roles.sql) in a second scratch database: each service's role builds
#    its own schema with its own migrations, and can neither read, change nor create anything outside it; the backup
#    role dumps every schema and can write nothing. Roles carry a drill prefix and are dropped at exit.
roles_db="esteira_roles_drill_$$"
prefix="esteira_drill$$_"
roles_url="postgresql://$server/$roles_db"
cleanup_roles() {
  psql -q "$admin_url" -c "DROP DATABASE IF EXISTS $roles_db" >/dev/null 2>&1 || true
  for role in ingest image_processing invoice crm_sync backup; do
    psql -q "$admin_url" -c "DROP ROLE IF EXISTS ${prefix}$role" >/dev/null 2>&1 || true
  done
}
trap 'cleanup_roles; cleanup' EXIT
psql -q -v ON_ERROR_STOP=1 "$admin_url" -c "CREATE DATABASE $roles_db" >/dev/null
as_role() { # as_role <role> <sql...>: runs as that role (SET ROLE keeps its privileges, no password needed)
  local role="$1"; shift
  { echo "SET ROLE ${prefix}$role;"; cat; } | PGOPTIONS="${PGOPTIONS:-}" psql -qAtX -v ON_ERROR_STOP=1 "$roles_url" \
    "$@" >/dev/null 2>&1
}
passwords=()
for role in ingest image_processing invoice crm_sync backup; do passwords+=(-v "${role}_password=$(openssl rand -hex 16)"); done
check "service-roles.sql runs" psql -qAtX -v ON_ERROR_STOP=1 -v role_prefix="$prefix" "${passwords[@]}" \
  -f deploy/database/service-roles.sql "$roles_url"
check "service-roles.sql runs again (idempotent)" psql -qAtX -v ON_ERROR_STOP=1 -v role_prefix="$prefix" \
  "${passwords[@]}" -f deploy/database/service-roles.sql "$roles_url"
for service in ingest image-processing invoice crm-sync; do
  schema="${schema_of[$service]}"
  mapfile -t migrations < <(ls "services/$service/src/main/resources/db/migration"/V*__*.sql | sort -V)
  check "$schema: its role runs its own migrations in its schema" bash -c "cat ${migrations[*]} \
    shared-lib/platform/src/main/resources/db/outbox/R__*.sql | { echo 'SET ROLE ${prefix}$schema;'; \
    echo 'SET search_path = $schema;'; cat; } | psql -qAtX -v ON_ERROR_STOP=1 '$roles_url' >/dev/null"
done
first_table() { psql -qAtX "$roles_url" -c "SELECT tablename FROM pg_tables WHERE schemaname = '$1' ORDER BY 1 LIMIT 1"; }
invoice_table=$(first_table invoice)
ingest_table=$(first_table ingest)
denied() { ! as_role "$@"; }
check "ingest's role reads and writes its own ingest.$ingest_table (as_role works)" as_role ingest \
  <<< "SELECT count(*) FROM ingest.$ingest_table; DELETE FROM ingest.$ingest_table;"
check "ingest's role cannot read invoice.$invoice_table" denied ingest <<< "SELECT count(*) FROM invoice.$invoice_table;"
check "crm_sync's role cannot change ingest.$ingest_table" denied crm_sync <<< "DELETE FROM ingest.$ingest_table;"
check "image_processing's role cannot drop another schema" denied image_processing <<< "DROP SCHEMA invoice CASCADE;"
check "a service role cannot create a table in public" denied invoice <<< "CREATE TABLE public.drill_x (id int);"
check "a service role cannot create a schema" denied ingest <<< "CREATE SCHEMA drill_x;"
check "a service role cannot create temporary tables" denied crm_sync <<< "CREATE TEMP TABLE drill_x (id int);"
check "a service role cannot grant itself another role" denied ingest <<< "GRANT ${prefix}invoice TO ${prefix}ingest;"
check "the backup role reads every schema (pg_dump --role)" bash -c "for s in ingest image_processing invoice crm_sync; do \
  pg_dump --role=${prefix}backup --schema=\$s --format=custom --file='$work'/backup-role.dump '$roles_url' || exit 1; done 2>/dev/null"
check "the backup role cannot write" denied backup <<< "DELETE FROM invoice.$invoice_table;"
check "the backup role cannot create in a service schema" denied backup <<< "CREATE TABLE invoice.drill_x (id int);"
check "each schema belongs to its service's role" test "$(psql -qAtX "$roles_url" -c "SELECT string_agg(nspname || '=' ||
  pg_get_userbyid(nspowner), ' ' ORDER BY nspname) FROM pg_namespace
  WHERE nspname IN ('ingest', 'image_processing', 'invoice', 'crm_sync')")" = \
  "crm_sync=${prefix}crm_sync image_processing=${prefix}image_processing ingest=${prefix}ingest invoice=${prefix}invoice"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
