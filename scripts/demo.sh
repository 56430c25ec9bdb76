#!/usr/bin/env bash
# The main job: build registry-prune and run its demo - a prune of a throwaway local registry.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh registry
./mvnw -B -q package -DskipTests
exec scripts/registry-prune demo "$@"
