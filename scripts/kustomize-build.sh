#!/usr/bin/env bash
# Builds (once) and caches the kustomize binary at the version flux v2.9.5 is built
# with: sigs.k8s.io/kustomize/api v0.21.1 is kustomize v5.8.1's API. It is built from
# the Go module proxy into the tool cache, where tsflux looks for it before PATH.
#
# Usage: scripts/kustomize-build.sh   # ensure it; print the path of the kustomize binary
#
# Environment:
#   TSFLUX_TOOLS_CACHE  tool cache root (default ${XDG_CACHE_HOME:-~/.cache}/tsflux/tools)
#
# Idempotent and safe to run concurrently: the build happens under a flock in a
# temporary directory that is renamed into place only when complete.
set -euo pipefail

KUSTOMIZE_VERSION="5.8.1"
TOOLS="${TSFLUX_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tsflux/tools}"
DEST="$TOOLS/kustomize-v$KUSTOMIZE_VERSION"

trap 'exit 130' INT
trap 'exit 143' TERM
log() { echo "[kustomize-build] $*" >&2; }
die() { echo "[kustomize-build] ERROR: $*" >&2; exit 1; }

if [ -x "$DEST/kustomize" ]; then echo "$DEST/kustomize"; exit 0; fi
command -v go >/dev/null 2>&1 || die "the Go toolchain is required to build kustomize v$KUSTOMIZE_VERSION ('go' is not on PATH); or install kustomize from https://kubectl.docs.kubernetes.io/installation/kustomize/ and put it on PATH"
mkdir -p "$TOOLS"

build() {
  [ -x "$DEST/kustomize" ] && return 0
  local tmp; tmp="$(mktemp -d "$TOOLS/.kustomize-build.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  log "building kustomize v$KUSTOMIZE_VERSION from the Go module proxy (a few minutes, once)"
  GOBIN="$tmp/bin" GOFLAGS="${GOFLAGS:-} -trimpath" go install -ldflags "-s -w" "sigs.k8s.io/kustomize/kustomize/v5@v$KUSTOMIZE_VERSION" >&2
  "$tmp/bin/kustomize" version >/dev/null || die "the built kustomize does not run"
  rm -rf "$DEST"
  mv "$tmp/bin" "$DEST"
  rm -rf "$tmp"
  trap - EXIT
}

exec 9>"$TOOLS/.kustomize.lock"
if ! flock -n 9; then log "waiting for another kustomize build ..."; flock 9; fi
build
echo "$DEST/kustomize"
