#!/usr/bin/env bash
# Builds (once) and caches the binaries and CRDs used by the tsflux integration
# test environment (test/env): kube-apiserver, etcd and the Flux CRDs.
#
# Usage:
#   scripts/testenv-build.sh            # ensure everything; print the asset dir (kube-apiserver + etcd)
#   scripts/testenv-build.sh --env      # ensure everything; print KUBEBUILDER_ASSETS=... and TSFLUX_FLUX_CRDS=...
#   scripts/testenv-build.sh --binaries # only kube-apiserver + etcd; print the asset dir
#   scripts/testenv-build.sh --crds     # only the Flux CRDs; print the CRD dir
#
# Environment:
#   KUBEBUILDER_ASSETS   dir containing kube-apiserver and etcd; when set nothing is built.
#   TSFLUX_FLUX_CRDS     dir containing the Flux CRD yaml files; when set nothing is downloaded.
#   TSFLUX_TESTENV_CACHE cache root (default ${XDG_CACHE_HOME:-~/.cache}/tsflux/testenv).
#   TSFLUX_TESTENV_JOBS  parallel compile jobs (default 2).
#
# Idempotent and safe to run concurrently: builds happen under a flock in a
# temporary directory that is renamed into place only when complete.
# Only stdout carries the result; progress goes to stderr.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=testenv-versions.sh
. "$SCRIPT_DIR/testenv-versions.sh"

K8S_VERSION="${TESTENV_K8S_VERSION}"
ETCD_VERSION="${TESTENV_ETCD_VERSION}"
FLUX_VERSION="${TESTENV_FLUX_VERSION}"
CONTROLLER_GEN_VERSION="${TESTENV_CONTROLLER_GEN_VERSION}"
CACHE_ROOT="${TSFLUX_TESTENV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tsflux/testenv}"
JOBS="${TSFLUX_TESTENV_JOBS:-2}"
ASSET_DIR="$CACHE_ROOT/k8s-$K8S_VERSION"
CRD_DIR="$CACHE_ROOT/flux-crds-v$FLUX_VERSION"
BIN_STAMP="k8s=v$K8S_VERSION etcd=v$ETCD_VERSION"
CRD_STAMP="flux=v$FLUX_VERSION controller-gen=v$CONTROLLER_GEN_VERSION"

# Run the EXIT traps (temp dir removal) on Ctrl-C / kill as well.
trap 'exit 130' INT
trap 'exit 143' TERM

log() { echo "[testenv-build] $*" >&2; }
die() { echo "[testenv-build] ERROR: $*" >&2; exit 1; }

mode="all"
case "${1:-}" in
  "") mode="all" ;;
  --env) mode="env" ;;
  --binaries) mode="binaries" ;;
  --crds) mode="crds" ;;
  -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 0 ;;
  *) die "unknown argument: $1 (see --help)" ;;
esac

require_go() {
  local what="$1"
  if ! command -v go >/dev/null 2>&1; then
    die "the Go toolchain (go >= 1.21; the builds need go 1.26, which go >= 1.21 fetches automatically from the module proxy unless GOTOOLCHAIN=local) is required to $what, but 'go' is not on PATH.
  Either install Go (e.g. 'apt-get install golang-go' if new enough, or unpack https://go.dev/dl/go1.26.x.linux-amd64.tar.gz and add its bin/ to PATH),
  or point the test environment at prebuilt assets:
    KUBEBUILDER_ASSETS=<dir containing kube-apiserver and etcd>   (e.g. from 'setup-envtest use -p path ${K8S_VERSION}')
    TSFLUX_FLUX_CRDS=<dir containing the Flux v${FLUX_VERSION} CRD yaml files>"
  fi
}

# with_lock <lockname> <command...>: run command while holding an exclusive lock.
with_lock() {
  local name="$1"; shift
  mkdir -p "$CACHE_ROOT"
  local lockfile="$CACHE_ROOT/.$name.lock"
  if command -v flock >/dev/null 2>&1; then
    (
      exec 9>"$lockfile"
      if ! flock -n 9; then
        log "waiting for another process holding $lockfile ..."
        flock 9
      fi
      "$@"
    )
  else
    # mkdir-based fallback lock; a lock older than 2h or whose owner died is stale.
    local lockdir="$lockfile.d"
    until mkdir "$lockdir" 2>/dev/null; do
      local owner; owner="$(cat "$lockdir/pid" 2>/dev/null || true)"
      if [ -n "$owner" ] && ! kill -0 "$owner" 2>/dev/null; then
        log "removing stale lock $lockdir (pid $owner is gone)"; rm -rf "$lockdir"; continue
      fi
      sleep 2
    done
    echo $$ >"$lockdir/pid"
    local rc=0
    "$@" || rc=$?
    rm -rf "$lockdir"
    return $rc
  fi
}

mod_dir() { # mod_dir <module@version> -> prints the extracted module dir
  local json
  json="$(go mod download -json "$1")" || die "go mod download $1 failed"
  printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' | head -n1
}

mod_gomod() {
  local json
  json="$(go mod download -json "$1")" || die "go mod download $1 failed"
  printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p' | head -n1
}

try_mod_dir() { # like mod_dir but returns 1 instead of exiting
  local json dir
  json="$(go mod download -json "$1" 2>/dev/null)" || return 1
  dir="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' | head -n1)"
  [ -n "$dir" ] && [ -d "$dir" ] || return 1
  printf '%s\n' "$dir"
}

controller_gen() { # installs (once, cached) and prints the path of controller-gen
  local bin="$CACHE_ROOT/tools/controller-gen-v$CONTROLLER_GEN_VERSION"
  if [ ! -x "$bin/controller-gen" ]; then
    local t; t="$(mktemp -d "$CACHE_ROOT/.tools.XXXXXX")"
    log "installing controller-gen v$CONTROLLER_GEN_VERSION ..."
    GOBIN="$t" GOFLAGS= go install "sigs.k8s.io/controller-tools/cmd/controller-gen@v$CONTROLLER_GEN_VERSION" >&2 ||
      { rm -rf "$t"; die "go install controller-gen v$CONTROLLER_GEN_VERSION failed"; }
    mkdir -p "$CACHE_ROOT/tools"; rm -rf "$bin"; mv "$t" "$bin"
  fi
  printf '%s\n' "$bin/controller-gen"
}

go_line() { sed -n 's/^go \([0-9.]*\).*/\1/p' "$1" | head -n1; }

build_binaries_locked() {
  if [ "$(cat "$ASSET_DIR/.complete" 2>/dev/null || true)" = "$BIN_STAMP" ]; then
    return 0 # someone else finished while we waited
  fi
  require_go "build kube-apiserver v$K8S_VERSION and etcd v$ETCD_VERSION"
  # We hold the lock, so any temp build dir is a leftover of a killed build.
  rm -rf "$CACHE_ROOT"/.build-k8s-"$K8S_VERSION".* 2>/dev/null || true
  local start; start="$(date +%s)"
  local tmp; tmp="$(mktemp -d "$CACHE_ROOT/.build-k8s-$K8S_VERSION.XXXXXX")"
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" EXIT
  mkdir -p "$tmp/out" "$tmp/apiserver" "$tmp/etcd"
  export GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0 GOWORK=off

  # --- kube-apiserver -------------------------------------------------------
  log "resolving k8s.io/kubernetes v$K8S_VERSION ..."
  local kgomod; kgomod="$(cd "$tmp/apiserver" && mod_gomod "k8s.io/kubernetes@v$K8S_VERSION")"
  [ -f "$kgomod" ] || die "could not download go.mod of k8s.io/kubernetes@v$K8S_VERSION (is GOPROXY reachable?)"
  local staging_ver="v0.${K8S_VERSION#1.}"
  local minor="${K8S_VERSION#1.}"; minor="${minor%%.*}"
  {
    echo "module tsflux.local/testenv/kube-apiserver"
    echo
    echo "go $(go_line "$kgomod")"
    echo
    echo "require k8s.io/kubernetes v$K8S_VERSION"
    echo
    echo "replace ("
    # k8s.io/kubernetes replaces its staging modules with ./staging/src/...;
    # pin each one to the published v0.Y.Z instead.
    sed -n 's#^[[:space:]]*\(k8s\.io/[A-Za-z0-9._-]*\) => \./staging/src/.*#\1#p' "$kgomod" | sort -u |
      while read -r m; do echo "	$m => $m $staging_ver"; done
    echo ")"
  } >"$tmp/apiserver/go.mod"
  log "wrapper go.mod: $(grep -c '=>' "$tmp/apiserver/go.mod") staging modules pinned to $staging_ver"
  local bdate; bdate="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  local vpkg="k8s.io/component-base/version"
  log "building kube-apiserver v$K8S_VERSION with $JOBS jobs (first build takes a while) ..."
  (cd "$tmp/apiserver" && go build -p "$JOBS" -trimpath \
    -ldflags "-s -w -X $vpkg.gitVersion=v$K8S_VERSION -X $vpkg.gitMajor=1 -X $vpkg.gitMinor=$minor -X $vpkg.gitTreeState=clean -X $vpkg.buildDate=$bdate" \
    -o "$tmp/out/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver) ||
    die "building kube-apiserver failed"
  log "kube-apiserver built after $(( $(date +%s) - start ))s"

  # --- etcd -----------------------------------------------------------------
  log "resolving go.etcd.io/etcd/server/v3 v$ETCD_VERSION ..."
  local egomod; egomod="$(cd "$tmp/etcd" && mod_gomod "go.etcd.io/etcd/server/v3@v$ETCD_VERSION")"
  [ -f "$egomod" ] || die "could not download go.mod of go.etcd.io/etcd/server/v3@v$ETCD_VERSION"
  {
    echo "module tsflux.local/testenv/etcd"
    echo
    echo "go $(go_line "$egomod")"
    echo
    echo "require go.etcd.io/etcd/server/v3 v$ETCD_VERSION"
    echo
    echo "replace ("
    # etcd's server module replaces its sibling modules with ../api etc.
    for m in go.etcd.io/etcd/api/v3 go.etcd.io/etcd/client/pkg/v3 go.etcd.io/etcd/client/v3 go.etcd.io/etcd/pkg/v3; do
      echo "	$m => $m v$ETCD_VERSION"
    done
    echo ")"
  } >"$tmp/etcd/go.mod"
  log "building etcd v$ETCD_VERSION ..."
  (cd "$tmp/etcd" && go build -p "$JOBS" -trimpath -ldflags "-s -w" -o "$tmp/out/etcd" go.etcd.io/etcd/server/v3) ||
    die "building etcd failed"

  "$tmp/out/kube-apiserver" --version >&2
  "$tmp/out/etcd" --version | head -n1 >&2
  echo "$BIN_STAMP" >"$tmp/out/.complete"
  rm -rf "$ASSET_DIR" # an incomplete/outdated leftover, never a complete one (checked above)
  mv "$tmp/out" "$ASSET_DIR"
  log "binaries ready in $ASSET_DIR (build took $(( $(date +%s) - start ))s)"
}

ensure_binaries() {
  if [ -n "${KUBEBUILDER_ASSETS:-}" ]; then
    for b in kube-apiserver etcd; do
      [ -x "$KUBEBUILDER_ASSETS/$b" ] || die "KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS does not contain an executable '$b'"
    done
    ASSET_DIR="$KUBEBUILDER_ASSETS"
    return 0
  fi
  if [ "$(cat "$ASSET_DIR/.complete" 2>/dev/null || true)" = "$BIN_STAMP" ]; then
    return 0
  fi
  with_lock "k8s-$K8S_VERSION" build_binaries_locked
}

fetch_crds_locked() {
  if [ "$(cat "$CRD_DIR/.complete" 2>/dev/null || true)" = "$CRD_STAMP" ]; then
    return 0
  fi
  require_go "download the Flux v$FLUX_VERSION CRDs from the Go module proxy"
  rm -rf "$CACHE_ROOT"/.fetch-flux-crds-v"$FLUX_VERSION".* 2>/dev/null || true
  export GOWORK=off GOFLAGS="-mod=mod"
  local tmp; tmp="$(mktemp -d "$CACHE_ROOT/.fetch-flux-crds-v$FLUX_VERSION.XXXXXX")"
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" EXIT
  mkdir -p "$tmp/out"
  log "resolving github.com/fluxcd/flux2/v2@v$FLUX_VERSION ..."
  local fdir; fdir="$(cd "$tmp" && mod_dir "github.com/fluxcd/flux2/v2@v$FLUX_VERSION")"
  [ -d "$fdir/manifests/bases" ] || die "github.com/fluxcd/flux2/v2@v$FLUX_VERSION has no manifests/bases"
  # Each base references https://github.com/fluxcd/<ctrl>/releases/download/<ver>/<ctrl>.crds.yaml
  local refs
  refs="$(cat "$fdir"/manifests/bases/*/kustomization.yaml |
    sed -n 's#.*github\.com/fluxcd/\([a-z-]*\)/releases/download/\(v[0-9][^/]*\)/[a-z-]*\.crds\.yaml.*#\1 \2#p' | sort -u)"
  [ -n "$refs" ] || die "no controller CRD references found in flux2 v$FLUX_VERSION manifests"
  echo "# Flux v$FLUX_VERSION CRDs: <controller> <version> <source>" >"$tmp/out/VERSIONS"
  local name ver major mod cdir apimod n=0 before
  while read -r name ver; do
    major="${ver#v}"; major="${major%%.*}"
    mod="github.com/fluxcd/$name"; apimod="$mod/api"
    if [ "$major" -ge 2 ]; then mod="$mod/v$major"; apimod="$apimod/v$major"; fi
    before="$(ls "$tmp/out" | wc -l)"
    if cdir="$(cd "$tmp" && try_mod_dir "$mod@$ver")" && [ -d "$cdir/config/crd/bases" ]; then
      log "  $mod@$ver: copying config/crd/bases"
      cp "$cdir"/config/crd/bases/*.yaml "$tmp/out/"
      echo "$name $ver config/crd/bases" >>"$tmp/out/VERSIONS"
    else
      # The controller module is not on the proxy; its api module always is (flux2
      # requires it). Generate the CRDs from it exactly like upstream's Makefile
      # ("cd api; controller-gen crd:crdVersions=v1 paths=./... output:crd:artifacts:config=...").
      log "  $mod@$ver not available; generating CRDs from $apimod@$ver with controller-gen v$CONTROLLER_GEN_VERSION"
      cdir="$(cd "$tmp" && try_mod_dir "$apimod@$ver")" || die "neither $mod@$ver nor $apimod@$ver can be downloaded"
      rm -rf "$tmp/api"; cp -r "$cdir" "$tmp/api"; chmod -R u+w "$tmp/api"
      (cd "$tmp/api" && "$(controller_gen)" crd:crdVersions=v1 paths=./... output:crd:artifacts:config="$tmp/out") ||
        die "controller-gen failed for $apimod@$ver"
      echo "$name $ver generated from $apimod@$ver by controller-gen v$CONTROLLER_GEN_VERSION" >>"$tmp/out/VERSIONS"
    fi
    [ "$(ls "$tmp/out" | wc -l)" -gt "$before" ] || die "no CRDs found for $name $ver"
  done <<<"$refs"
  n="$(ls "$tmp/out"/*.yaml | wc -l)"
  chmod -R u+w "$tmp/out"
  echo "$CRD_STAMP" >"$tmp/out/.complete"
  rm -rf "$CRD_DIR"
  mv "$tmp/out" "$CRD_DIR"
  log "$n Flux CRDs ready in $CRD_DIR"
}

ensure_crds() {
  if [ -n "${TSFLUX_FLUX_CRDS:-}" ]; then
    ls "$TSFLUX_FLUX_CRDS"/*.yaml >/dev/null 2>&1 || die "TSFLUX_FLUX_CRDS=$TSFLUX_FLUX_CRDS contains no *.yaml files"
    CRD_DIR="$TSFLUX_FLUX_CRDS"
    return 0
  fi
  if [ "$(cat "$CRD_DIR/.complete" 2>/dev/null || true)" = "$CRD_STAMP" ]; then
    return 0
  fi
  with_lock "flux-crds-v$FLUX_VERSION" fetch_crds_locked
}

main() {
  case "$mode" in
    all) ensure_binaries; ensure_crds; echo "$ASSET_DIR" ;;
    env) ensure_binaries; ensure_crds; echo "KUBEBUILDER_ASSETS=$ASSET_DIR"; echo "TSFLUX_FLUX_CRDS=$CRD_DIR" ;;
    binaries) ensure_binaries; echo "$ASSET_DIR" ;;
    crds) ensure_crds; echo "$CRD_DIR" ;;
  esac
}

# Everything above only defines functions, so editing this file while it runs is harmless.
main
exit $?
