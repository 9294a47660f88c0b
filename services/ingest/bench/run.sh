#!/usr/bin/env bash
# Ingest benchmark, one command from anywhere, on a fresh clone too:
#   services/ingest/bench/run.sh [customers|smoke]      (default: customers)
#
# customers: finding a customer's uploads (GET /api/uploads?customer=…, DELETE /api/customers?…) in a table of
#            BENCH_ROWS uploads (default 1,000,000) spread over 10 tenants, in a throwaway database on the system
#            PostgreSQL (127.0.0.1:5432). In one run: ingest's migrations up to V8 (the anchor: no index per way of
#            naming a customer), the queries; then V9 (its indexes and expression statistics; the time it takes is the
#            migration's cost on a table that size), the same queries; then the price on writes: BENCH_WRITES (20,000)
#            uploads inserted before and after V9's indexes, in separate tables. Each query is the SQL UploadSearch and
#            UploadErasure build, run BENCH_REPEAT (7) times, the median of PostgreSQL's own execution time
#            (EXPLAIN ANALYZE) reported with the indexes the plan reads. Report: services/ingest/target/bench/customers.md.
# smoke:     the same at 20,000 rows and 1,000 writes, as a check (CI): every query answers the expected upload.
# PostgreSQL: TEST_POSTGRES_USER (default postgres) and TEST_POSTGRES_PASSWORD (default none: trust), as the tests.
# The database is dropped at the end, whatever happens.
set -euo pipefail
what="${1:-customers}"
case "$what" in customers|smoke) ;; *) echo "usage: $0 [customers|smoke]" >&2; exit 2 ;; esac
here="$(cd "$(dirname "$0")/.." && pwd)"
migrations="$here/src/main/resources/db/migration"
rows="${BENCH_ROWS:-$([ "$what" = smoke ] && echo 20000 || echo 1000000)}"
writes="${BENCH_WRITES:-$([ "$what" = smoke ] && echo 1000 || echo 20000)}"
repeat="${BENCH_REPEAT:-7}"
export PGHOST=127.0.0.1 PGPORT=5432 PGUSER="${TEST_POSTGRES_USER:-postgres}"
if [ -n "${TEST_POSTGRES_PASSWORD:-}" ]; then export PGPASSWORD="$TEST_POSTGRES_PASSWORD"; fi
out="$here/target/bench"
mkdir -p "$out"
db="esteira_bench_ingest_$$"
psql -qd postgres -c "CREATE DATABASE $db" > /dev/null
trap 'psql -qd postgres -c "DROP DATABASE IF EXISTS $db" > /dev/null' EXIT
sql() { psql -qAtX -v ON_ERROR_STOP=1 -d "$db" "$@"; }

migrate() { # the migrations whose version is in [$1, $2]
  for file in $(ls "$migrations"/V*.sql | sort -V); do
    version=$(basename "$file" | sed -E 's/^V([0-9]+)__.*/\1/')
    if [ "$version" -ge "$1" ] && [ "$version" -le "$2" ]; then sql -f "$file" > /dev/null; fi
  done
}

# Row i: tenant t(i mod 10); every upload names its customer by e-mail, every other one by phone too (written as
# people write them), every third by a CRM contact id, every fifth by a CPF; each has an external reference.
load() { # table, count, offset
  sql -c "INSERT INTO $1 (id, tenant, kind, status, bucket, object_key, content_type, size_bytes, customer_email,
      customer_phone, crm_contact_id, external_ref, customer_document, created_at, updated_at, version)
    SELECT gen_random_uuid(), 't' || (i % 10), CASE WHEN i % 4 = 0 THEN 'invoice' ELSE 'image' END, 'COMPLETED',
      'esteira-uploads', '$1/' || i, 'image/jpeg', 100000,
      'Cliente' || i || '@example.com',
      CASE WHEN i % 2 = 0 THEN '+55 (11) 9' || lpad((i % 100000000)::text, 8, '0') END,
      CASE WHEN i % 3 = 0 THEN (1000000 + i)::text END,
      'pedido-' || i,
      CASE WHEN i % 5 = 0 THEN lpad(i::text, 11, '0') END,
      now() - make_interval(secs => i), now(), 0
    FROM generate_series($3 + 1, $3 + $2) AS i"
}

# The upload the queries look for, halfway down the table: in tenant t4, with a phone and a CRM contact id (i ≡ 24
# mod 30).
target=$(( (rows / 2) / 30 * 30 + 24 ))
digits="55119$(printf '%08d' $(( target % 100000000 )))"
queries=(
  "e-mail|Cliente${target}@EXAMPLE.com|"
  "phone|+55 11 9$(printf '%08d' $(( target % 100000000 )) | sed -E 's/(....)(....)/\1-\2/')|$digits"
  "CRM contact id|$(( 1000000 + target ))|"
  "external reference|pedido-${target}|"
)
listing() { # customer, digits: the SQL UploadSearch builds for a caller of tenant t4
  local phone=""
  [ -n "$2" ] && phone=" or regexp_replace(customer_phone, '[^0-9]', '', 'g') = '$2'"
  echo "select id, tenant, kind, status, original_filename, content_type, size_bytes, customer_email,
    customer_phone, crm_contact_id, external_ref, stuck_since, stuck_reason, erased_at, created_at, updated_at
    from uploads where true and tenant = 't4' and (lower(customer_email) = lower('$1') or crm_contact_id = '$1'
    or external_ref = '$1' or customer_document = '$(printf '%s' "$1" | tr -d ' ./-' | tr '[:lower:]' '[:upper:]')'$phone)
    order by created_at desc, id desc limit 21"
}
erasure() { # condition: the selection UploadErasure makes for DELETE /api/customers in tenant t4
  echo "select id from uploads where tenant = 't4' and erased_at is null and (kind = 'image'
    or customer_email is not null or customer_phone is not null or crm_contact_id is not null) and $1
    order by created_at, id limit 1001"
}

measure() { # label, SQL: "median ms|plan's first node|rows"
  local times=() plan rows
  for _ in $(seq 1 "$repeat"); do
    plan=$(sql -c "EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) $2")
    times+=("$(echo "$plan" | sed -nE 's/^Execution Time: ([0-9.]+) ms$/\1/p')")
  done
  rows=$(sql -c "SELECT count(*) FROM ($2) AS found")
  local node # how the rows are found: the indexes the plan reads, else its scan
  node=$(echo "$plan" | grep -oE '(Index Scan|Index Only Scan|Bitmap Index Scan)( using| on) [a-z0-9_]+' \
    | awk '{ print $NF }' | sed -E 's/^uploads_//; s/_idx$//' | sort -u | paste -sd '+' -)
  [ -n "$node" ] || node=$(echo "$plan" | grep -oE 'Seq Scan on [a-z0-9_]+' | head -n 1)
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -g | sed -n "$(( (repeat + 1) / 2 ))p")
  echo "$median|$node|$rows"
}

run_queries() { # phase name: one line per query into $out/customers.$1
  : > "$out/customers.$1"
  for query in "${queries[@]}"; do
    IFS='|' read -r label customer digits_of <<< "$query"
    echo "listing by $label|$(measure "$label" "$(listing "$customer" "$digits_of")")" >> "$out/customers.$1"
  done
  echo "erasure by e-mail|$(measure e-mail "$(erasure \
    "lower(customer_email) = lower('Cliente${target}@example.com')")")" >> "$out/customers.$1"
  echo "erasure by phone|$(measure phone "$(erasure \
    "regexp_replace(customer_phone, '[^0-9]', '', 'g') = '$digits'")")" >> "$out/customers.$1"
}

writes_ms() { # table: ms to insert $writes uploads into it (one statement)
  local start end
  start=$(date +%s%N)
  load "$1" "$writes" "$(( rows + 1000000 ))"
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}

echo "== ingest migrations V1..V8, $rows uploads"
migrate 1 8
started=$(date +%s)
load uploads "$rows" 0
sql -c "ANALYZE uploads"
echo "   loaded in $(( $(date +%s) - started )) s"
# The price on writes, anchor: a copy of the V8 table (its indexes, none of V9's).
sql -c "CREATE TABLE uploads_v8 (LIKE uploads INCLUDING ALL)"
write_before=$(writes_ms uploads_v8)
echo "== queries before V9"
run_queries before
echo "== V9"
started=$(date +%s%N)
migrate 9 9
v9_ms=$(( ($(date +%s%N) - started) / 1000000 ))
sql -c "CREATE TABLE uploads_v9 (LIKE uploads INCLUDING ALL)"
write_after=$(writes_ms uploads_v9)
echo "== queries after V9"
run_queries after
index_mb=$(sql -c "SELECT round(sum(pg_relation_size(indexrelid)) / 1048576.0, 1) FROM pg_index
  WHERE indrelid = 'uploads'::regclass AND indexrelid::regclass::text IN ('uploads_tenant_email_idx',
  'uploads_tenant_phone_digits_idx', 'uploads_tenant_crm_contact_idx', 'uploads_tenant_external_ref_idx',
  'uploads_tenant_customer_document_idx')")
table_mb=$(sql -c "SELECT round(pg_relation_size('uploads') / 1048576.0, 1)")

report="$out/customers.md"
{
  echo "## Finding a customer's uploads, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "Machine: $(nproc) cores, $(psql -qAtXd postgres -c 'SHOW server_version' | cut -d' ' -f1) PostgreSQL." \
    "$rows uploads in 10 tenants; the customer looked for is in tenant t4. Median of $repeat runs" \
    "(PostgreSQL's execution time, EXPLAIN ANALYZE); anchor: the same query on the V8 schema, in the same run."
  echo
  echo "| query | V8 (anchor) | V9 | ratio | V8 reads | V9 reads | rows |"
  echo "|---|---|---|---|---|---|---|"
  paste -d'|' "$out/customers.before" "$out/customers.after" | while IFS='|' read -r label b_ms b_plan b_rows _ a_ms a_plan a_rows; do
    echo "| $label | $b_ms ms | $a_ms ms | $(awk -v b="$b_ms" -v a="$a_ms" 'BEGIN { printf "%.0f×", (a > 0) ? b / a : 0 }') | $b_plan | $a_plan | $a_rows |"
  done
  echo
  echo "V9 on this table: $(awk -v ms="$v9_ms" 'BEGIN { printf "%.1f", ms / 1000 }') s (five indexes, ANALYZE; writes" \
    "to uploads wait meanwhile), ${index_mb} MB of indexes beside a ${table_mb} MB table."
  echo "Writes: $writes uploads in one INSERT, $write_before ms with V8's indexes, $write_after ms with V9's" \
    "($(awk -v b="$write_before" -v a="$write_after" 'BEGIN { printf "%.2f", a / b }')×)."
} > "$report"
cp "$report" "$out/customers-$(date -u +%Y-%m-%dT%H%M%SZ).md"
cat "$report"

# Every query finds the upload it looks for (the erasure by phone: every upload of that phone).
failed=0
while IFS='|' read -r label _ _ found; do
  if [ "$found" -lt 1 ]; then echo "FAILED: $label found nothing"; failed=1; fi
done < "$out/customers.after"
if [ "$what" = smoke ]; then echo "smoke: $([ $failed = 0 ] && echo passed || echo failed)"; fi
exit $failed
