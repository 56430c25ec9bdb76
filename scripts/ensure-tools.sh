#!/usr/bin/env bash
# Installs what the demo and the tests need when it is missing: a JDK 17+ is assumed; the real
# registry (CNCF distribution, Debian package docker-registry) and, for the tests, skopeo.
# Usage: scripts/ensure-tools.sh [registry] [skopeo]
set -euo pipefail

need=()
for tool in "$@"; do
  case "$tool" in
    registry)
      if [ -z "${REGISTRY_BIN:-}" ] && ! command -v docker-registry >/dev/null && ! command -v registry >/dev/null; then
        need+=(docker-registry)
      fi ;;
    skopeo)
      command -v skopeo >/dev/null || need+=(skopeo) ;;
  esac
done
[ ${#need[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "missing: ${need[*]}. This is not a Debian/Ubuntu machine, so install them yourself:" >&2
  echo "  the registry: CNCF distribution's 'registry' binary on PATH (or REGISTRY_BIN=/path/to/registry)" >&2
  echo "  skopeo: your package manager's skopeo package" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo="sudo"; else
    echo "missing: ${need[*]}; run as root: apt-get install -y ${need[*]}" >&2; exit 1
  fi
fi
echo "installing ${need[*]} ..." >&2
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
