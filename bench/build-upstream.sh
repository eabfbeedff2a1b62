#!/usr/bin/env bash
# Builds (once, cached) upstream flux v2.9.5 from its Go module, for `npm run bench`
# to compare against. Bench only: the product and its tests never run it.
#
# Usage: bench/build-upstream.sh   -> prints the path of the flux binary on stdout
#
# `go install …/cmd/flux@v2.9.5` is refused because flux2's go.mod carries a replace
# directive, so the module is copied out of the module cache and built as the main
# module (like scripts/testenv-build.sh does for kube-apiserver). cmd/flux embeds
# manifests/*.yaml, which upstream's Makefile generates with kustomize from GitHub;
# the bench never runs `flux install`, so a placeholder manifest satisfies the embed.
#
# Environment: TSFLUX_BENCH_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/tsflux/bench),
#   TSFLUX_UPSTREAM_FLUX (a ready flux binary: nothing is built).
set -euo pipefail

VERSION=2.9.5
CACHE_ROOT="${TSFLUX_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tsflux/bench}"
OUT="$CACHE_ROOT/flux-v$VERSION"

log() { echo "[bench-build] $*" >&2; }
die() { echo "[bench-build] ERROR: $*" >&2; exit 1; }

if [ -n "${TSFLUX_UPSTREAM_FLUX:-}" ]; then
  [ -x "$TSFLUX_UPSTREAM_FLUX" ] || die "TSFLUX_UPSTREAM_FLUX=$TSFLUX_UPSTREAM_FLUX is not an executable"
  printf '%s\n' "$TSFLUX_UPSTREAM_FLUX"
  exit 0
fi
if [ -x "$OUT/flux" ]; then
  printf '%s\n' "$OUT/flux"
  exit 0
fi
command -v go >/dev/null 2>&1 || PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null 2>&1 || die "the Go toolchain is needed to build upstream flux for the bench"

mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE_ROOT/.build.lock"
flock 9
if [ -x "$OUT/flux" ]; then # built by another process while we waited
  printf '%s\n' "$OUT/flux"
  exit 0
fi

tmp="$(mktemp -d "$CACHE_ROOT/.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
export GOWORK=off CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false"

log "downloading github.com/fluxcd/flux2/v2@v$VERSION ..."
json="$(cd "$tmp" && go mod download -json "github.com/fluxcd/flux2/v2@v$VERSION")" || die "go mod download failed"
src="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' | head -n1)"
[ -d "$src" ] || die "module directory not found in: $json"
cp -r "$src" "$tmp/src"
chmod -R u+w "$tmp/src"
mkdir -p "$tmp/src/cmd/flux/manifests"
printf '# placeholder: the bench build does not embed the install manifests\n' >"$tmp/src/cmd/flux/manifests/placeholder.yaml"

log "building flux v$VERSION (a few minutes) ..."
start="$(date +%s)"
(cd "$tmp/src" && go build -trimpath -ldflags "-s -w -X main.VERSION=$VERSION" -o "$tmp/flux" ./cmd/flux) >&2 ||
  die "go build of flux v$VERSION failed"
mkdir -p "$OUT.tmp"
mv "$tmp/flux" "$OUT.tmp/flux"
rm -rf "$OUT"
mv "$OUT.tmp" "$OUT"
log "built in $(($(date +%s) - start))s: $OUT/flux"
printf '%s\n' "$OUT/flux"
