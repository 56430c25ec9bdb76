#!/usr/bin/env bash
# End-to-end benchmark: a real registry on 127.0.0.1, one repository with N tags, measured at direct
# loopback and with 20 ms of added round-trip time; writes benchmarks/RESULTS.md and results.png.
#
#   benchmarks/e2e/run.sh [--tags N] [--quick]
#
#   --tags N   tags to seed (default 2000; 200 with --quick)
#   --quick    short runs (2 s load tests, 10 s warm-up, 10-tag skopeo samples) to check the harness
#
# Needs: JDK 17, docker-registry (Debian package; or $REGISTRY_BIN), wrk, ab (apache2-utils), skopeo.
# Everything runs on 127.0.0.1 and is bounded: the harness aborts itself after 90 min (20 quick),
# and this script gives it 100 min (25) before killing it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

QUICK=0
ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --tags)
      [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] || { echo "usage: $0 [--tags N] [--quick]" >&2; exit 2; }
      ARGS+=(--tags "$2"); shift 2 ;;
    --quick) QUICK=1; ARGS+=(--quick); shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1; usage: $0 [--tags N] [--quick]" >&2; exit 2 ;;
  esac
done

missing=()
for tool in java wrk ab skopeo; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [[ -z "${REGISTRY_BIN:-}" ]] && ! command -v docker-registry >/dev/null 2>&1 && ! command -v registry >/dev/null 2>&1; then
  missing+=(docker-registry)
fi
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "missing tools: ${missing[*]} (Debian: apt-get install default-jdk-headless docker-registry wrk apache2-utils skopeo)" >&2
  exit 2
fi

BENCH_JAR="benchmarks/target/benchmarks.jar"
CLI_JAR="registry-prune/target/registry-prune.jar"
if [[ ! -f "$BENCH_JAR" || ! -f "$CLI_JAR" ]]; then
  echo "[e2e] building (./mvnw -q -B package -DskipTests) ..." >&2
  ./mvnw -q -B package -DskipTests
fi

LIMIT=100m
[[ $QUICK -eq 1 ]] && LIMIT=25m
INVOCATION="benchmarks/e2e/run.sh${ARGS[*]:+ ${ARGS[*]}}"
exec timeout --kill-after=30s "$LIMIT" \
  java -Xms256m -Xmx768m -Djava.awt.headless=true \
  -cp "$BENCH_JAR" io.registryreactive.benchmarks.e2e.EndToEndBenchmark \
  --root "$ROOT" --invocation "$INVOCATION" "${ARGS[@]}"
