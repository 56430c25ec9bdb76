#!/usr/bin/env bash
# The tests: unit tests (*Test) and integration tests against a real registry (*IT).
# REQUIRE_REAL_REGISTRY=true makes the integration tests fail, not skip, without a registry.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh registry skopeo
export REQUIRE_REAL_REGISTRY=true
exec ./mvnw -B verify "$@"
