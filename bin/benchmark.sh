#!/usr/bin/env bash
# The performance benchmark (not part of the tests): bin/benchmark.sh [postgres|dev-file] [partners]
# Starts Keycloak with the extension, seeds partners through the public APIs, measures P1–P5 against vanilla Keycloak
# alternately in the same run, and writes docs/benchmarks.md and docs/benchmarks.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
DB="${1:-postgres}"
PARTNERS="${2:-10000}"
if [ "$DB" = postgres ] && ! pg_isready -q -h 127.0.0.1; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
fi
exec mvn -B verify -Pbenchmark -DskipITs -Dbench.db="$DB" -Dbench.partners="$PARTNERS"
