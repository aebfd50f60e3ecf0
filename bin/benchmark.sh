#!/usr/bin/env bash
# The performance benchmark (not part of the tests): bin/benchmark.sh [postgres|dev-file] [partners]
# Starts Keycloak with the extension, seeds partners through the public APIs, measures the hot paths against vanilla
# Keycloak alternately in the same run, and writes docs/benchmarks.md and docs/benchmarks.csv; then the same on the
# production build (kc.sh build, start --optimized), into docs/benchmarks-production.*. ENSYNC_BENCH_PASSES=dev (or
# production) runs one pass only.
set -euo pipefail
cd "$(dirname "$0")/.."
DB="${1:-postgres}"
PARTNERS="${2:-10000}"
PASSES="${ENSYNC_BENCH_PASSES:-dev production}"
if [ "$DB" = postgres ] && ! pg_isready -q -h 127.0.0.1; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
fi
# Sized for 10,000 partners (30,000 clients and service accounts, 100,000+ authorization objects): Keycloak's
# defaults outside a container are a 512 MiB heap and 10,000 entries per local cache (docs/scale.md).
HEAP="${ENSYNC_BENCH_HEAP:--Xms4g -Xmx4g}"
SERVER_OPTIONS="${ENSYNC_BENCH_SERVER_OPTIONS:---cache-embedded-realms-max-count=200000 --cache-embedded-users-max-count=100000 --cache-embedded-authorization-max-count=500000}"
for pass in $PASSES; do
  case "$pass" in
    dev) extra=(-Densync.it.optimized=false -Dbench.reportName=benchmarks) ;;
    # After the first pass the unit tests have run and the console is built: the second pass only packages again.
    production) extra=(-Densync.it.optimized=true -Dbench.reportName=benchmarks-production -DskipTests) ;;
    *) echo "unknown pass $pass (dev, production)" >&2; exit 2 ;;
  esac
  mvn -B verify -Pbenchmark -DskipITs -Densync.adminConsole.skip="${ENSYNC_BENCH_SKIP_CONSOLE:-false}" \
    -Dbench.db="$DB" -Dbench.partners="$PARTNERS" -Densync.it.heap="$HEAP" -Densync.it.serverOptions="$SERVER_OPTIONS" "${extra[@]}"
done
