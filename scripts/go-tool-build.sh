#!/usr/bin/env bash
# Builds (once) and caches the Go tools tsflux runs, at the versions flux v2.9.5 is
# built with, from the Go module proxy into the tool cache, where tsflux looks for them
# before PATH (src/util/tools.ts, src/kustomize/runner.ts, src/helm/binary.ts):
#   kustomize v5.8.1  sigs.k8s.io/kustomize/api v0.21.1 is kustomize v5.8.1's API
#   helm v4.2.2       the major version helm-controller links (helm.sh/helm/v4 v4.2.2)
#
# Usage: scripts/go-tool-build.sh <tool>...   # ensure each; print the path of each binary
#
# Environment:
#   TSFLUX_TOOLS_CACHE  tool cache root (default ${XDG_CACHE_HOME:-~/.cache}/tsflux/tools)
#
# Idempotent and safe to run concurrently: a build happens under a per-tool flock in a
# temporary directory that is renamed into place only when complete. A cached tool is
# only checked (no Go toolchain needed).
set -euo pipefail

TOOLS="${TSFLUX_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tsflux/tools}"

trap 'exit 130' INT
trap 'exit 143' TERM
log() { echo "[go-tool-build] $*" >&2; }
die() { echo "[go-tool-build] ERROR: $*" >&2; exit 1; }

# The table: one row a tool. Sets VERSION, PACKAGE (the module path of its main
# package), BINARY, LDFLAGS (beyond -s -w), CHECK (arguments that must succeed on the
# built binary) and INSTALL_HINT (where to get it when there is no Go toolchain).
# The cache path is $TOOLS/<tool>-v<VERSION>/<BINARY>.
tool() {
  case "$1" in
    kustomize)
      VERSION="5.8.1"
      PACKAGE="sigs.k8s.io/kustomize/kustomize/v5"
      BINARY="kustomize"
      LDFLAGS=""
      CHECK=(version)
      INSTALL_HINT="install kustomize from https://kubectl.docs.kubernetes.io/installation/kustomize/ and put it on PATH"
      ;;
    helm)
      VERSION="4.2.2"
      PACKAGE="helm.sh/helm/v4/cmd/helm"
      BINARY="helm"
      LDFLAGS="-X helm.sh/helm/v4/internal/version.version=v$VERSION"
      CHECK=(version --short)
      INSTALL_HINT="install helm v4 from https://helm.sh/docs/intro/install/ and put it on PATH"
      ;;
    *) die "unknown tool '$1' (known: kustomize, helm)" ;;
  esac
}

# Builds $1 into its cache directory unless it is there; prints the binary's path.
ensure() {
  local name="$1"
  tool "$name"
  local dest="$TOOLS/$name-v$VERSION"
  if [ -x "$dest/$BINARY" ]; then echo "$dest/$BINARY"; return 0; fi
  command -v go >/dev/null 2>&1 || die "the Go toolchain is required to build $name v$VERSION ('go' is not on PATH); or $INSTALL_HINT"
  mkdir -p "$TOOLS"
  # A subshell per tool: its lock (fd 9) and its clean-up trap end with it.
  (
    trap 'exit 130' INT
    trap 'exit 143' TERM
    exec 9>"$TOOLS/.$name.lock"
    if ! flock -n 9; then log "waiting for another $name build ..."; flock 9; fi
    [ -x "$dest/$BINARY" ] && exit 0
    tmp="$(mktemp -d "$TOOLS/.$name-build.XXXXXX")"
    trap 'rm -rf "$tmp"' EXIT
    log "building $name v$VERSION from the Go module proxy (a few minutes, once)"
    GOBIN="$tmp/bin" GOFLAGS="${GOFLAGS:-} -trimpath" go install -ldflags "-s -w${LDFLAGS:+ $LDFLAGS}" "$PACKAGE@v$VERSION" >&2
    "$tmp/bin/$BINARY" "${CHECK[@]}" >/dev/null || die "the built $name does not run"
    rm -rf "$dest"
    mv "$tmp/bin" "$dest"
  )
  echo "$dest/$BINARY"
}

[ $# -gt 0 ] || die "usage: scripts/go-tool-build.sh <tool>... (known: kustomize, helm)"
for name in "$@"; do ensure "$name"; done
