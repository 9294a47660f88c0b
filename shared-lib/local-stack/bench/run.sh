#!/usr/bin/env bash
# End-to-end load benchmark of the whole pipeline on the local stack, one command from anywhere, on a fresh clone too:
#   shared-lib/local-stack/bench/run.sh smoke     5 image uploads + 1 invoice file, one replica of each service;
#                                                 checks every upload ended, none FAILED, HubSpot called (CI)
#   shared-lib/local-stack/bench/run.sh steady    BENCH_RATE image uploads/s (default 5) for BENCH_SECONDS (120)
#   shared-lib/local-stack/bench/run.sh burst     BENCH_IMAGES (1000) image uploads as fast as ingest takes them,
#                                                 BENCH_REPLICAS (default crm-sync:2)
#   shared-lib/local-stack/bench/run.sh backlog   bursts of 1, 10, 100 (BENCH_SIZES) left queued for crm-sync
#                                                 (stopped meanwhile), then taken at once: HubSpot calls per upload
#   shared-lib/local-stack/bench/run.sh faults    the fault-injection suite (FaultSuite): each scenario (FAULTS, a
#                                                 comma list; default all) under a stream of uploads; fails when an
#                                                 upload is lost, ends otherwise than COMPLETED or has an effect twice
#   shared-lib/local-stack/bench/run.sh report    prints the last report of each mode
# Knobs (environment): BENCH_IMAGES, BENCH_INVOICES, BENCH_RATE (uploads/s, 0 = burst), BENCH_SECONDS,
# BENCH_CONCURRENCY (uploads in flight, default 8), BENCH_REPLICAS (N or service:N,...), BENCH_CRM (crm-sync Spring
# properties, key=value separated by spaces, e.g. "esteira.crm.rate-limit.requests=30"), BENCH_TIMEOUT (s),
# BENCH_IDLE (s of idle CPU measured first; default 10, smoke 0), BENCH_SIZES (backlog), BENCH_WARMUP (image
# uploads at 5/s before measuring, not counted; default 200, smoke 0), BENCH_COMPILER (peak: the services' JVMs
# compile as in the image, the default; quick: C1 only, smoke's default), BENCH_INGEST_URL and
# BENCH_HUBSPOT_URL (drive a running local stack instead of starting one), BENCH_SKIP_BUILD=1 (jars already built).
# Each upload's latency is read from its own timeline (received -> first terminal status), HubSpot calls from the
# WireMock stand-in's journal, CPU from /proc/<pid>/stat of every process of the stack. Exits non-zero when a step
# fails or, for smoke, a check fails. Builds what it needs in one reactor run (-am: nothing is installed in ~/.m2).
# Reports go to shared-lib/local-stack/target/bench/<mode>.md (and a dated copy), service logs to
# shared-lib/local-stack/target/bench/stack/logs. Traffic stays on 127.0.0.1.
set -euo pipefail
mode="${1:-}"
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
java="$JAVA_HOME/bin/java"
out="$here/target/bench"

case "$mode" in
  smoke|steady|burst|backlog|faults) ;;
  report)
    shopt -s nullglob
    reports=("$out"/smoke.md "$out"/steady.md "$out"/burst.md "$out"/backlog.md "$out"/faults.md)
    existing=()
    for file in "${reports[@]}"; do [ -f "$file" ] && existing+=("$file"); done
    [ ${#existing[@]} -gt 0 ] || { echo "no reports in $out yet: run a mode first"; exit 1; }
    cat "${existing[@]}"
    exit 0 ;;
  *) echo "usage: $0 smoke|steady|burst|backlog|faults|report"; exit 2 ;;
esac

cd "$root"
if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  # The services' jars (the stack runs them) and this module's classes with its class path, in one reactor run: the
  # shared modules resolve to their target folders, so nothing has to be installed in the local repository first.
  ./mvnw -B -q -pl shared-lib/local-stack -am package -DskipTests dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime
fi
cp="$here/target/classes:$(cat "$here/target/bench.classpath")"
mkdir -p "$out"

args=("$mode" "--out=$out")
[ -n "${BENCH_IMAGES:-}" ] && args+=("--images=$BENCH_IMAGES")
[ -n "${BENCH_INVOICES:-}" ] && args+=("--invoices=$BENCH_INVOICES")
[ -n "${BENCH_RATE:-}" ] && args+=("--rate=$BENCH_RATE")
[ -n "${BENCH_SECONDS:-}" ] && args+=("--seconds=$BENCH_SECONDS")
[ -n "${BENCH_CONCURRENCY:-}" ] && args+=("--concurrency=$BENCH_CONCURRENCY")
[ -n "${BENCH_REPLICAS:-}" ] && args+=("--replicas=$BENCH_REPLICAS")
[ -n "${BENCH_TIMEOUT:-}" ] && args+=("--timeout=$BENCH_TIMEOUT")
[ -n "${BENCH_IDLE:-}" ] && args+=("--idle=$BENCH_IDLE")
[ -n "${BENCH_SIZES:-}" ] && args+=("--sizes=$BENCH_SIZES")
[ -n "${BENCH_WARMUP:-}" ] && args+=("--warmup=$BENCH_WARMUP")
[ -n "${BENCH_COMPILER:-}" ] && args+=("--compiler=$BENCH_COMPILER")
[ -n "${BENCH_INGEST_URL:-}" ] && args+=("--ingest=$BENCH_INGEST_URL")
[ -n "${BENCH_HUBSPOT_URL:-}" ] && args+=("--hubspot=$BENCH_HUBSPOT_URL")
for property in ${BENCH_CRM:-}; do args+=("--crm=$property"); done

started=$SECONDS
if [ "$mode" = faults ]; then
  # The suite's JVM runs the stand-ins and the proxies between them and the services.
  rm -rf "$out/stack"
  fargs=("${FAULTS:-all}" "--out=$out")
  [ -n "${BENCH_RATE:-}" ] && fargs+=("--rate=$BENCH_RATE")
  [ -n "${BENCH_TIMEOUT:-}" ] && fargs+=("--timeout=$BENCH_TIMEOUT")
  "$java" -Xmx1g -XX:+UseSerialGC -Desteira.root="$root" -cp "$cp" io.esteira.localstack.FaultSuite "${fargs[@]}"
  echo "faults took $((SECONDS - started)) s (after the build)"
  exit 0
fi
# The benchmark's JVM also runs the stand-ins (ElasticMQ, WireMock, the S3 event bridge) when it starts the stack.
# A fresh stack folder each run: its logs are this run's.
rm -rf "$out/stack"
"$java" -Xmx1g -XX:+UseSerialGC -Desteira.root="$root" -cp "$cp" io.esteira.localstack.LoadBenchmark "${args[@]}"
echo "$mode took $((SECONDS - started)) s (after the build)"
