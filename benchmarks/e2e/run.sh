#!/usr/bin/env bash
# End-to-end benchmark on a real registry on 127.0.0.1; writes benchmarks/RESULTS.md and results.png.
#
#   benchmarks/e2e/run.sh [--tags N] [--big-tags N] [--repositories N] [--quick]
#                         [--targets-only | --no-targets]
#
# Target rows (issue 13, direct loopback): registry-prune dry runs and an applied prune, as whole
# processes, each next to wrk's ceiling on the same manifests: --big-tags tags in one repository
# (whitelist; --keep-last) and --repositories repositories of 4 tags (--keep-tags; dry and applied),
# each layout in a registry of its own.
# Then every tool (ceiling, SDK, sequential client, skopeo, registry-prune) on one repository of
# --tags tags, at direct loopback and with 20 ms of added round-trip time.
#
#   --tags N          tags of the every-tool repository (default 2000; 200 with --quick)
#   --big-tags N      tags of the one-repository target layout (default 3000; 300 with --quick)
#   --repositories N  repositories of 4 tags of the many-repositories layout (default 500; 50 quick)
#   --targets-only    only the target rows (about 8 min on 2 cores instead of about 30)
#   --no-targets      only the every-tool rows
#   --quick           short runs (2 s load tests, 10 s warm-up, 10-tag skopeo samples, 2 rounds)
#                     to check the harness
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
    --tags|--big-tags|--repositories)
      [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] || { echo "usage: $0 [--tags N] [--big-tags N] [--repositories N] [--quick] [--targets-only | --no-targets]" >&2; exit 2; }
      ARGS+=("$1" "$2"); shift 2 ;;
    --targets-only|--no-targets) ARGS+=("$1"); shift ;;
    --quick) QUICK=1; ARGS+=(--quick); shift ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1; usage: $0 [--tags N] [--big-tags N] [--repositories N] [--quick] [--targets-only | --no-targets]" >&2; exit 2 ;;
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
