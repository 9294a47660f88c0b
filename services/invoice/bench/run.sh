#!/usr/bin/env bash
# Invoice benchmark, one command from anywhere, on a fresh clone too (Maven builds what the service needs, -am):
#   services/invoice/bench/run.sh [api|import|all|smoke]      (default: all)
#
# smoke:  the two below in small, as a check (CI): the import test at BENCH_ROWS (default 5000) rows, then the jar
#         against a throwaway database with BENCH_ROWS invoices and a few requests whose answers are checked (status,
#         counts, paging, the OpenAPI document, metrics). Ends with "smoke: N passed, N failed"; exits non-zero
#         on any failure. Needs only the system PostgreSQL and Debian's curl, jq, gawk, postgresql-client
#         (installed if absent).
# import: ImportThroughputTest at benchmark size (BENCH_ROWS, default 1,000,000): raw COPY of the same rows into an
#         identical table (the anchor), then the import from the S3 event to committed rows, then a re-import of the
#         same file (all duplicates), in one run; the test JVM runs with -Xmx256m (BENCH_IMPORT_HEAP) and prints the
#         most heap in use after a collection during the imports.
# api:    the REST API with BENCH_ROWS invoices stored (loaded with COPY into a throwaway database on the system
#         PostgreSQL, 127.0.0.1:5432, see below), the invoice jar started against it; `hey` (Debian,
#         installed if absent) for the HTTP side, `pgbench` running the same SQL with the same number of connections
#         (BENCH_CONNECTIONS, default 8: the
#         system PostgreSQL is shared, max_connections 100) for the anchor. Two queries, each with the same filter
#         (issue dates in 2025, amount >= 100):
#           first page   GET /api/invoices?cursor=&size=20&from=2025-01-01&to=2025-12-31&minAmount=100
#           deep page    the same with the cursor of a deep invoice (3/4 down the matching ones, at most the
#                        300,000th: 271,165th of 361,554 with 1M rows)
#         paced at BENCH_RATE req/s (default 200; hey -c 2 -q 100, pgbench -R with as many clients), then at
#         saturation; last, /livez at saturation (no database, no JSON: the ceiling of any request here).
#         The database is dropped at the end, whatever happens.
# PostgreSQL: TEST_POSTGRES_USER (default postgres) and TEST_POSTGRES_PASSWORD (default none: trust), as the tests.
# Files (hey/pgbench output, service log) go to services/invoice/target/bench.
set -euo pipefail
what="${1:-all}"
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
java="$JAVA_HOME/bin/java"
rows="${BENCH_ROWS:-$([ "$what" = smoke ] && echo 5000 || echo 1000000)}"
connections="${BENCH_CONNECTIONS:-8}"
# The smoke is a check, not a measure: its JVMs stop at C1, which starts them sooner on a busy machine.
quick_jvm="$([ "$what" = smoke ] && echo -XX:TieredStopAtLevel=1 || true)"
rate="${BENCH_RATE:-200}"
seconds="${BENCH_SECONDS:-30}"
pghost=127.0.0.1
pgport=5432
pguser="${TEST_POSTGRES_USER:-postgres}"
if [ -n "${TEST_POSTGRES_PASSWORD:-}" ]; then export PGPASSWORD="$TEST_POSTGRES_PASSWORD"; fi
out="$here/target/bench"
mkdir -p "$out"

install() {
  if ! command -v "$1" > /dev/null; then
    echo "Installing $2 for $1..."
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    # A fresh machine may have no package lists yet: update once, then try again.
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$2" > /dev/null 2>&1 || {
      $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$2" > /dev/null; }
  fi
}

# ImportThroughputTest with $rows rows; the reactor builds esteira-contracts and esteira-testkit first (-am), and
# the invoice jar on the way (verify packages before it ends). Extra arguments go to Maven.
import_test() {
  local log="$1"
  shift
  cd "$root"
  TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-jdbc:postgresql://$pghost:$pgport/postgres}" \
    ./mvnw -B -pl services/invoice -am verify -Dtest=ImportThroughputTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dbenchmark.rows="$rows" "$@" 2>&1 | tee "$log" | grep '^benchmark' || {
      echo "import test failed: see $log"; return 1; }
}

import_benchmark() {
  # The whole test JVM (the service, the embedded SQS, the generated file itself) under the issue's import heap.
  local heap="${BENCH_IMPORT_HEAP:-256m}"
  echo "== Import: $rows CSV rows, COPY anchor, import and re-import in one run, test JVM at -Xmx$heap"
  import_test "$out/import.log" -Dtest.jvm.args="-Xmx$heap"
}

# Percentiles (ms) of pgbench's per-transaction log (3rd field: latency in microseconds).
pgbench_percentiles() {
  cat "$@" | awk '{ print $3 }' | sort -n | awk '{ v[NR] = $1 } END {
    printf "p50 %.2f ms, p99 %.2f ms", v[int(NR * 0.50) + 1] / 1000, v[int(NR * 0.99) + 1] / 1000 }'
}

# "N req/s, p50 x ms, p99 y ms, errors" from hey's summary.
hey_summary() {
  awk '/Requests\/sec:/ { rps = $2 }
       /  50% in/ { p50 = $3 * 1000 } /  99% in/ { p99 = $3 * 1000 }
       /^  \[[0-9]+\]/ { gsub(/[\[\]]/, "", $1); codes = codes $1 "x" $2 " " }
       END { printf "%.0f req/s, p50 %.2f ms, p99 %.2f ms, status %s", rps, p50, p99, codes }' "$1"
}

psql() { command psql -X -q -v ON_ERROR_STOP=1 -h "$pghost" -p "$pgport" -U "$pguser" "$@"; }

port=18082
mport=19082
key="invoice-bench-key"
db=""
pid=""

# Stops the service and drops the database, whatever happened; set as the EXIT trap by start_service.
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true; fi
  if [ -n "$db" ]; then
    command psql -X -q -h "$pghost" -p "$pgport" -U "$pguser" -d postgres \
      -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" > /dev/null 2>&1 || true
  fi
}

# The invoice jar, with esteira-contracts built first (-am): nothing needs to be installed in ~/.m2.
build_jar() {
  cd "$root"
  ./mvnw -B -q -pl services/invoice -am package -DskipTests
}

# The invoice jar against a new database on the system PostgreSQL; returns once ready.
start_service() {
  local jar
  jar="$(ls "$here"/target/esteira-invoice-*-exec.jar)"
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then echo "port $port is taken: stop what listens there"; return 1; fi
  db="invoice_bench_$$"
  trap cleanup EXIT
  psql -d postgres -c "CREATE DATABASE $db"

  echo "== API: starting the invoice service against database $db (Flyway creates the schema)"
  # SQS listener off: nothing is imported here, only queried; S3/SQS are never called, so readiness leaves out
  # the awsResources check (it would stay DOWN).
  AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench "$java" -Xmx512m $quick_jvm -jar "$jar" \
    --server.port=$port --management.server.port=$mport \
    --spring.datasource.url="jdbc:postgresql://$pghost:$pgport/$db" --spring.datasource.username="$pguser" \
    --spring.datasource.password="${PGPASSWORD:-}" \
    --spring.datasource.hikari.maximum-pool-size="$connections" \
    --spring.cloud.aws.sqs.listener.auto-startup=false --spring.cloud.aws.endpoint=http://127.0.0.1:9 \
    --management.endpoint.health.group.readiness.include=readinessState \
    --esteira.security.api-keys[0].name=bench \
    --esteira.security.api-keys[0].sha256="$(printf %s "$key" | sha256sum | cut -d' ' -f1)" \
    --esteira.security.api-keys[0].scopes=invoices:read \
    > "$out/service.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 240); do
    if curl -sf "http://127.0.0.1:$port/readyz" > /dev/null; then break; fi
    kill -0 "$pid" 2> /dev/null || { echo "the service exited: see $out/service.log"; return 1; }
    sleep 0.5
  done
  curl -sf "http://127.0.0.1:$port/readyz" > /dev/null || { echo "the service is not ready: see $out/service.log"; return 1; }
}

# $rows invoices straight into the service's table with COPY, then VACUUM ANALYZE.
load_invoices() {
  echo "== API: loading $rows invoices with COPY"
  local started=$SECONDS
  # 1000 customers with valid CNPJs, 1000 issue dates (2023-10-05 .. 2026-06-30), amounts 1.00 .. 10000.00,
  # a handful of uploads; items empty (single-invoice reads are not measured here).
  gawk -v rows="$rows" '
    function cnpj_dv(s, n,   i, sum, w, r) { sum = 0; w = 2
      for (i = n; i >= 1; i--) { sum += substr(s, i, 1) * w; w = (w == 9) ? 2 : w + 1 }
      r = sum % 11; return (r < 2) ? 0 : 11 - r }
    BEGIN {
      srand(42); split("Comercio Industria Servicos Transportes Alimentos Tecnologia Construtora Farmacia", kind)
      for (c = 0; c < 1000; c++) {
        base = sprintf("%08d0001", 10000000 + c * 7919); d1 = cnpj_dv(base, 12); d2 = cnpj_dv(base d1, 13)
        doc[c] = base d1 d2; name[c] = kind[c % 8 + 1] " " sprintf("%04d", c) " Ltda" }
      for (u = 0; u < 8; u++) upload[u] = sprintf("00000000-0000-4000-8000-%012d", u)
      for (i = 1; i <= rows; i++) {
        c = int(rand() * 1000); day = int(rand() * 1000)
        printf "%s\t1\t%d\t%s\t%s\t%.2f\tBRL\t%s\t%s\t2026-07-01T00:00:00Z\n", doc[(c * 13) % 1000], i, name[c], doc[c],
          1 + rand() * 9999, strftime("%Y-%m-%d", 1696464000 + day * 86400 + 43200, 1), upload[i % 8] } }' |
    psql -d "$db" -c "COPY invoice.invoices (issuer_key, series, number, customer, customer_document, amount,
      currency, issue_date, upload_id, created_at) FROM STDIN"
  psql -d "$db" -c "VACUUM ANALYZE invoice.invoices"
  echo "loaded in $((SECONDS - started)) s: $(psql -d "$db" -Atc 'SELECT count(*) FROM invoice.invoices') rows"
}

api_benchmark() {
  install hey hey
  install pgbench postgresql-client
  install gawk gawk
  build_jar
  start_service
  load_invoices

  local filter="from=2025-01-01&to=2025-12-31&minAmount=100"
  # The key has no tenant: the service adds the default tenant's condition to every query (CallerScope).
  local where="tenant = 'default' AND issue_date >= DATE '2025-01-01' AND issue_date <= DATE '2025-12-31'
    AND amount >= 100"
  # The cursor of the invoice 3/4 down the matching ones, at most the 300,000th.
  local matching offset cursorrow cursor
  matching=$(psql -d "$db" -Atc "SELECT count(*) FROM invoice.invoices WHERE $where")
  offset=$((matching < 1000000 ? matching * 3 / 4 : 300000))
  offset=$((offset > 300000 ? 300000 : offset))
  cursorrow=$(psql -d "$db" -AtF ' ' -c "SELECT issue_date, number, series, id FROM invoice.invoices
    WHERE $where ORDER BY issue_date DESC, number, series, id OFFSET $offset LIMIT 1")
  read -r cdate cnumber cseries cid <<< "$cursorrow"
  # A cursor is bound to its query (InvoiceCursor.query, a digest of the caller's scope and the filters): taken from
  # a first page of the same query, then pointed at the deep row.
  local query
  query=$(curl -sf -H "X-Api-Key: $key" "http://127.0.0.1:$port/api/invoices?cursor=&size=1&$filter" |
    sed -n 's/.*"nextCursor":"\([^"]*\)".*/\1/p' | tr -- '-_' '+/' |
    awk '{ while (length($0) % 4) $0 = $0 "="; print }' | base64 -d | sed -n 's/.*"query":"\([^"]*\)".*/\1/p')
  cursor=$(printf '{"issueDate":"%s","number":"%s","series":"%s","id":"%s","query":"%s"}' "$cdate" "$cnumber" \
    "$cseries" "$cid" "$query" | base64 -w0 | tr '+/' '-_' | tr -d '=')
  echo "filter: $matching of $rows invoices match; deep page after the ${offset}th ($cdate, number $cnumber)"

  local first="http://127.0.0.1:$port/api/invoices?cursor=&size=20&$filter"
  local deep="http://127.0.0.1:$port/api/invoices?cursor=$cursor&size=20&$filter"
  # The SQL the service sends for these two requests (InvoiceQueryService.searchAfter; size + 1 rows: one more
  # tells whether there is a next page), as pgbench scripts with the same values as literals; prepared, as pgjdbc
  # does from its fifth execution.
  local select="SELECT id, issuer_key, series, number, customer, customer_document, amount, currency, issue_date,
    due_date, access_key, authorization_status, upload_id, created_at FROM invoice.invoices"
  local order="ORDER BY issue_date DESC, number, series, id"
  echo "$select WHERE $where $order LIMIT 21;" | tr '\n' ' ' > "$out/first.sql"
  echo "($select WHERE $where AND issue_date = DATE '$cdate' AND (number, series, id) > ('$cnumber', '$cseries',
    '$cid') ORDER BY number, series, id LIMIT 21) UNION ALL ($select WHERE $where AND issue_date < DATE '$cdate'
    $order LIMIT 21) $order LIMIT 21;" | tr '\n' ' ' > "$out/deep.sql"
  for page in first deep; do
    psql -d "$db" -c "EXPLAIN (ANALYZE, BUFFERS) $(cat "$out/$page.sql")" > "$out/$page.explain"
  done

  # head closes the pipe early: curl may die of SIGPIPE, which is no failure here.
  { curl -sf -H "X-Api-Key: $key" "$first" || true; } | head -c 300; echo
  curl -sf -H "X-Api-Key: $key" -o /dev/null -w "first page %{http_code}, %{size_download} bytes\n" "$first"
  curl -sf -H "X-Api-Key: $key" -o /dev/null -w "deep page %{http_code}, %{size_download} bytes\n" "$deep"
  echo "warming up the JIT and the pool (20 s)"
  hey -z 10s -c "$connections" -H "X-Api-Key: $key" "$first" > /dev/null
  hey -z 10s -c "$connections" -H "X-Api-Key: $key" "$deep" > /dev/null

  # hey's workers pace with tickers started together, so N workers send bursts of N requests at once; two workers
  # (bursts of two, one per core) keep the arrival close to pgbench -R's evenly spread schedule.
  local workers="${BENCH_PACED_WORKERS:-2}" perworker
  perworker=$(( (rate + workers - 1) / workers ))
  echo
  echo "== API: $rows invoices, ${seconds} s per measure; $connections connections at saturation"
  for page in first deep; do
    local url
    url=$([ "$page" = first ] && echo "$first" || echo "$deep")
    hey -z "${seconds}s" -c "$workers" -q "$perworker" -H "X-Api-Key: $key" "$url" > "$out/hey-$page-paced.txt"
    rm -f "$out"/pgbench_log.*
    (cd "$out" && pgbench -n -h "$pghost" -p "$pgport" -U "$pguser" -M prepared -c "$workers" -j 2 -R "$rate" \
      -T "$seconds" -l -f "$page.sql" "$db" > "pgbench-$page-paced.txt" 2>&1)
    echo "$page page at $rate req/s:  API $(hey_summary "$out/hey-$page-paced.txt")"
    echo "$page page at $rate tx/s:   pgbench $(awk '/^tps/ { printf "%.0f tx/s", $3 }' \
      "$out/pgbench-$page-paced.txt"), $(pgbench_percentiles "$out"/pgbench_log.*)"

    hey -z "${seconds}s" -c "$connections" -H "X-Api-Key: $key" "$url" > "$out/hey-$page-saturated.txt"
    rm -f "$out"/pgbench_log.*
    (cd "$out" && pgbench -n -h "$pghost" -p "$pgport" -U "$pguser" -M prepared -c "$connections" -j 2 \
      -T "$seconds" -l -f "$page.sql" "$db" > "pgbench-$page-saturated.txt" 2>&1)
    local api_rps pg_tps
    api_rps=$(awk '/Requests\/sec:/ { print $2 }' "$out/hey-$page-saturated.txt")
    pg_tps=$(awk '/^tps/ { print $3 }' "$out/pgbench-$page-saturated.txt")
    echo "$page page, saturated:    API $(hey_summary "$out/hey-$page-saturated.txt")"
    echo "$page page, saturated:    pgbench $(printf '%.0f' "$pg_tps") tx/s, $(pgbench_percentiles \
      "$out"/pgbench_log.*); API/pgbench $(awk -v a="$api_rps" -v p="$pg_tps" 'BEGIN { printf "%.2fx", a / p }')"
    rm -f "$out"/pgbench_log.*
  done
  # The ceiling of any request on this stack and machine: /livez (no database, no JSON body, no API key), same
  # connections; the first page cannot go faster than this.
  hey -z "${seconds}s" -c "$connections" "http://127.0.0.1:$port/livez" > "$out/hey-livez-saturated.txt"
  echo "/livez, saturated:        API $(hey_summary "$out/hey-livez-saturated.txt")"
}

passed=0
failed=0

# check NAME STATUS URL [API_KEY] [JQ_FILTER]: one request; passes when the status matches and the JSON body
# satisfies the filter. The body stays in $out/smoke-last.json for the next step.
check() {
  local name="$1" status="$2" url="$3" apikey="${4:-}" filter="${5:-}" got
  : > "$out/smoke-last.json"
  got=$(curl -s -o "$out/smoke-last.json" -w '%{http_code}' ${apikey:+-H "X-Api-Key: $apikey"} "$url") || got="none"
  if [ "$got" = "$status" ] && { [ -z "$filter" ] || jq -e "$filter" "$out/smoke-last.json" > /dev/null 2>&1; }; then
    passed=$((passed + 1))
    echo "ok   $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name: HTTP $got (expected $status${filter:+, and $filter}): $(head -c 300 "$out/smoke-last.json")"
  fi
}

smoke() {
  local started=$SECONDS
  install curl curl
  install jq jq
  install gawk gawk
  install psql postgresql-client
  echo "== Smoke 1/2: import of $rows CSV rows from an S3 event to committed rows, then again (all duplicates)"
  if import_test "$out/smoke-import.log" ${quick_jvm:+-Dtest.jvm.args="$quick_jvm"}; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    tail -40 "$out/smoke-import.log"
    echo "smoke: $passed passed, $failed failed"
    return 1
  fi

  echo "== Smoke 2/2: the invoice jar with $rows invoices stored"
  start_service
  load_invoices
  local api="http://127.0.0.1:$port/api/invoices" filter="from=2024-01-01&to=2025-12-31&minAmount=100" first
  check "liveness" 200 "http://127.0.0.1:$port/livez"
  check "total through offset paging, counted when asked" 200 "$api?size=1&count=true" "$key" ".totalElements == $rows"
  check "offset paging without count has no total" 200 "$api?size=1" "$key" ".totalElements == null"
  check "offset paging stops at max-offset-rows" 400 "$api?page=51&size=200" "$key" \
    '.type == "https://esteira.io/problems/offset-paging-limit"'
  check "first cursor page" 200 "$api?cursor=&size=20&$filter" "$key" \
    '(.content | length) == 20 and .nextCursor != null and all(.content[]; .amount >= 100)'
  first=$(jq -r '[.content[].id] | join(" ")' "$out/smoke-last.json" 2> /dev/null || true)
  check "next cursor page, none of the first page's invoices" 200 \
    "$api?cursor=$(jq -r '.nextCursor // ""' "$out/smoke-last.json" 2> /dev/null || true)&size=20&$filter" "$key" \
    "(.content | length) == 20 and all(.content[]; .id as \$id | \"$first\" | contains(\$id) | not)"
  check "one invoice by id" 200 "$api/${first%% *}" "$key" ".id == \"${first%% *}\""
  check "unknown invoice" 404 "$api/00000000-0000-4000-8000-000000000000" "$key" \
    '.type == "https://esteira.io/problems/invoice-not-found"'
  check "no API key" 401 "$api?size=1"
  check "totals by month" 200 "$api/summary?groupBy=month" "$key" "(map(.count) | add) == $rows"
  check "OpenAPI document (springdoc)" 200 "http://127.0.0.1:$port/v3/api-docs" "" '.paths | has("/api/invoices")'
  check "Prometheus metrics" 200 "http://127.0.0.1:$mport/actuator/prometheus"

  echo "smoke took $((SECONDS - started)) s"
  echo "smoke: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

case "$what" in
  import) import_benchmark ;;
  api) api_benchmark ;;
  all) import_benchmark; api_benchmark ;;
  smoke) smoke ;;
  *) echo "usage: $0 [api|import|all|smoke]"; exit 2 ;;
esac
