#!/usr/bin/env bash
# Builds (once) and caches the helm binary tsflux renders charts with: helm v4, the
# major version flux v2.9.5's helm-controller links (helm.sh/helm/v4 v4.2.2),
# from the Go module proxy into the tool cache, where tsflux looks for it first.
#
# Usage: scripts/helm-build.sh   # ensure it; print the path of the helm binary
#
# Environment:
#   TSFLUX_TOOLS_CACHE  tool cache root (default ${XDG_CACHE_HOME:-~/.cache}/tsflux/tools)
#
# Idempotent and safe to run concurrently: the build happens under a flock in a
# temporary directory that is renamed into place only when complete.
set -euo pipefail

HELM_VERSION="4.2.2"
TOOLS="${TSFLUX_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tsflux/tools}"
DEST="$TOOLS/helm-v$HELM_VERSION"

trap 'exit 130' INT
trap 'exit 143' TERM
log() { echo "[helm-build] $*" >&2; }
die() { echo "[helm-build] ERROR: $*" >&2; exit 1; }

if [ -x "$DEST/helm" ]; then echo "$DEST/helm"; exit 0; fi
command -v go >/dev/null 2>&1 || die "the Go toolchain is required to build helm v$HELM_VERSION ('go' is not on PATH); or install helm v4 from https://helm.sh/docs/intro/install/ and put it on PATH"
mkdir -p "$TOOLS"

build() {
  [ -x "$DEST/helm" ] && return 0
  local tmp; tmp="$(mktemp -d "$TOOLS/.helm-build.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  log "building helm v$HELM_VERSION from the Go module proxy (a few minutes, once)"
  GOBIN="$tmp/bin" GOFLAGS="${GOFLAGS:-} -trimpath" go install -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=v$HELM_VERSION" "helm.sh/helm/v4/cmd/helm@v$HELM_VERSION" >&2
  "$tmp/bin/helm" version --short >/dev/null || die "the built helm does not run"
  rm -rf "$DEST"
  mv "$tmp/bin" "$DEST"
  rm -rf "$tmp"
  trap - EXIT
}

exec 9>"$TOOLS/.helm.lock"
if ! flock -n 9; then log "waiting for another helm build ..."; flock 9; fi
build
echo "$DEST/helm"
