#!/usr/bin/env bash
# Builds (once) and caches the binaries and CRDs used by the tsflux integration
# test environment (test/env): kube-apiserver, etcd and the Flux CRDs.
#
# Usage:
#   scripts/testenv-build.sh            # ensure everything; print the asset dir (kube-apiserver + etcd)
#   scripts/testenv-build.sh --env      # ensure everything; print KUBEBUILDER_ASSETS=... and TSFLUX_FLUX_CRDS=...
#   scripts/testenv-build.sh --binaries # only kube-apiserver + etcd; print the asset dir
#   scripts/testenv-build.sh --crds     # only the Flux CRDs; print the CRD dir
#   scripts/testenv-build.sh --controllers # also the controllers mode's binaries: print
#                                       # KEY=value lines (TSFLUX_SOURCE_CONTROLLER=<path>, ...)
#   scripts/testenv-build.sh --controller NAME # only that one (source-controller, kwok,
#                                       # kube-controller-manager, ...): to build several at once
#
# Environment:
#   KUBEBUILDER_ASSETS   dir containing kube-apiserver and etcd; when set nothing is built.
#   TSFLUX_FLUX_CRDS     dir containing the Flux CRD yaml files; when set nothing is downloaded.
#   TSFLUX_TESTENV_CACHE cache root (default ${XDG_CACHE_HOME:-~/.cache}/tsflux/testenv).
#   TSFLUX_TESTENV_JOBS  parallel compile jobs (default 2).
#   TSFLUX_CONTROLLERS_BIN dir containing prebuilt source-controller, kustomize-controller,
#                        helm-controller, notification-controller, kube-controller-manager,
#                        kube-scheduler and kwok; when set none of them is built.
#   TSFLUX_KWOK_STAGES   dir containing kwok's stage files (default: from the kwok module).
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
  --controllers) mode="controllers" ;;
  --controller) mode="one-controller"; one_controller="${2:-}" ;;
  -h|--help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 0 ;;
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

# k8s_wrapper_gomod <dir> <name>: writes <dir>/go.mod requiring k8s.io/kubernetes with
# its staging modules pinned to the published v0.Y.Z (kube-apiserver,
# kube-controller-manager and kube-scheduler share it, and so the build cache).
k8s_wrapper_gomod() {
  local dir="$1" name="$2"
  log "resolving k8s.io/kubernetes v$K8S_VERSION ..."
  local kgomod; kgomod="$(cd "$dir" && mod_gomod "k8s.io/kubernetes@v$K8S_VERSION")"
  [ -f "$kgomod" ] || die "could not download go.mod of k8s.io/kubernetes@v$K8S_VERSION (is GOPROXY reachable?)"
  local staging_ver="v0.${K8S_VERSION#1.}"
  {
    echo "module tsflux.local/testenv/$name"
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
  } >"$dir/go.mod"
  log "wrapper go.mod: $(grep -c '=>' "$dir/go.mod") staging modules pinned to $staging_ver"
}

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
  k8s_wrapper_gomod "$tmp/apiserver" kube-apiserver
  local minor="${K8S_VERSION#1.}"; minor="${minor%%.*}"
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

# ---------------------------------------------------------------------------
# Controllers mode: the Flux controllers, kube-controller-manager,
# kube-scheduler and kwok, each built once per version into its own cache dir
# ($CACHE_ROOT/<name>-v<version>/) under its own lock, renamed into place when
# complete. A failed build leaves the others cached.

# Loads (or derives) per-binary facts: NAME -> "module version pkg".
SOURCE_CONTROLLER_VERSION="${TESTENV_SOURCE_CONTROLLER_VERSION}"
KUSTOMIZE_CONTROLLER_VERSION="${TESTENV_KUSTOMIZE_CONTROLLER_VERSION}"
HELM_CONTROLLER_VERSION="${TESTENV_HELM_CONTROLLER_VERSION}"
NOTIFICATION_CONTROLLER_VERSION="${TESTENV_NOTIFICATION_CONTROLLER_VERSION}"
KWOK_VERSION="${TESTENV_KWOK_VERSION}"
FLUX_CONTROLLERS="source-controller kustomize-controller helm-controller notification-controller"

ctrl_version() {
  case "$1" in
    source-controller) echo "$SOURCE_CONTROLLER_VERSION" ;;
    kustomize-controller) echo "$KUSTOMIZE_CONTROLLER_VERSION" ;;
    helm-controller) echo "$HELM_CONTROLLER_VERSION" ;;
    notification-controller) echo "$NOTIFICATION_CONTROLLER_VERSION" ;;
    kwok) echo "$KWOK_VERSION" ;;
    *) die "unknown controller $1" ;;
  esac
}

# served_patch <module> <pinned x.y.z>: the pinned version when the proxy serves
# it, else the newest served patch of the same minor (the proxy may refuse the
# @v/list request, so each lower patch is asked for directly).
served_patch() {
  local mod="$1" pinned="$2" major minor patch p
  major="${pinned%%.*}"; minor="${pinned#*.}"; minor="${minor%%.*}"; patch="${pinned##*.}"
  for ((p = patch; p >= 0; p--)); do
    if go mod download -json "$mod@v$major.$minor.$p" >/dev/null 2>&1; then
      [ "$p" = "$patch" ] || log "  $mod@v$pinned is refused by the module proxy; using v$major.$minor.$p, the newest served v$major.$minor.x"
      echo "$major.$minor.$p"; return 0
    fi
  done
  return 1
}

# replace_refused_deps <module dir>: for each dependency the proxy refuses,
# replace it with the newest served lower patch of the same minor (e.g.
# github.com/fluxcd/pkg/artifact v0.18.3 -> v0.18.1), logging each replacement.
replace_refused_deps() {
  local dir="$1" refused line mod ver p
  refused="$(cd "$dir" && go mod download -json 2>/dev/null | awk '
    /^[[:space:]]*"Path":/ { gsub(/[",]/, "", $2); path = $2 }
    /^[[:space:]]*"Version":/ { gsub(/[",]/, "", $2); version = $2 }
    /^[[:space:]]*"Error":/ { print path " " version }')" || true
  [ -n "$refused" ] || return 0
  while read -r mod ver; do
    [ -n "$mod" ] || continue
    local base="${ver#v}" found=""
    local major="${base%%.*}" rest="${base#*.}"
    local minor="${rest%%.*}" patch="${rest#*.}"
    patch="${patch%%[-+]*}"
    for ((p = patch - 1; p >= 0; p--)); do
      if (cd "$dir" && go mod download -json "$mod@v$major.$minor.$p" >/dev/null 2>&1); then found="v$major.$minor.$p"; break; fi
    done
    # Test-only requirements are refused too; go build names any that matters.
    if [ -z "$found" ]; then log "  $mod@$ver is refused by the module proxy and no lower v$major.$minor.x is served"; continue; fi
    log "  $mod@$ver is refused by the module proxy; replacing it with $found"
    (cd "$dir" && go mod edit -replace "$mod=$mod@$found")
  done <<<"$refused"
}

# build_flux_controller_locked <name> <cache dir>
build_flux_controller_locked() {
  local name="$1" out_dir="$2" pinned; pinned="$(ctrl_version "$name")"
  local stamp="$name=v$pinned"
  if [ "$(cat "$out_dir/.complete" 2>/dev/null || true)" = "$stamp" ]; then return 0; fi
  require_go "build $name v$pinned"
  rm -rf "$CACHE_ROOT"/.build-"$name"-v"$pinned".* 2>/dev/null || true
  local start; start="$(date +%s)"
  local tmp; tmp="$(mktemp -d "$CACHE_ROOT/.build-$name-v$pinned.XXXXXX")"
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" EXIT
  export GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0 GOWORK=off
  local mod="github.com/fluxcd/$name" ver src
  ver="$(cd "$tmp" && served_patch "$mod" "$pinned")" || die "the module proxy serves neither $mod@v$pinned nor any lower v${pinned%.*}.x"
  src="$(cd "$tmp" && mod_dir "$mod@v$ver")"
  [ -d "$src" ] || die "go mod download $mod@v$ver gave no directory"
  cp -r "$src" "$tmp/src"; chmod -R u+w "$tmp/src"
  # The api is a separate module, absent from the zip: use the published one.
  (cd "$tmp/src" && go mod edit -dropreplace "$mod/api")
  replace_refused_deps "$tmp/src"
  mkdir -p "$tmp/out"
  log "building $name v$ver with $JOBS jobs ..."
  (cd "$tmp/src" && go build -p "$JOBS" -trimpath -ldflags "-s -w" -o "$tmp/out/$name" .) || die "building $name v$ver failed"
  echo "$ver" >"$tmp/out/VERSION"
  echo "$stamp" >"$tmp/out/.complete"
  rm -rf "$out_dir"; mv "$tmp/out" "$out_dir"
  log "$name v$ver ready in $out_dir (build took $(( $(date +%s) - start ))s)"
}

build_kwok_locked() {
  local out_dir="$1" stamp="kwok=v$KWOK_VERSION"
  if [ "$(cat "$out_dir/.complete" 2>/dev/null || true)" = "$stamp" ]; then return 0; fi
  require_go "build kwok v$KWOK_VERSION"
  rm -rf "$CACHE_ROOT"/.build-kwok-v"$KWOK_VERSION".* 2>/dev/null || true
  local start; start="$(date +%s)"
  local tmp; tmp="$(mktemp -d "$CACHE_ROOT/.build-kwok-v$KWOK_VERSION.XXXXXX")"
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" EXIT
  export GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0 GOWORK=off
  local src; src="$(cd "$tmp" && mod_dir "sigs.k8s.io/kwok@v$KWOK_VERSION")"
  cp -r "$src" "$tmp/src"; chmod -R u+w "$tmp/src"
  replace_refused_deps "$tmp/src"
  mkdir -p "$tmp/out/stages"
  log "building kwok v$KWOK_VERSION with $JOBS jobs ..."
  (cd "$tmp/src" && go build -p "$JOBS" -trimpath -ldflags "-s -w" -o "$tmp/out/kwok" ./cmd/kwok) || die "building kwok v$KWOK_VERSION failed"
  copy_kwok_stages "$src" "$tmp/out/stages"
  echo "$stamp" >"$tmp/out/.complete"
  rm -rf "$out_dir"; mv "$tmp/out" "$out_dir"
  log "kwok v$KWOK_VERSION ready in $out_dir (build took $(( $(date +%s) - start ))s)"
}

# kwok exits with "no stages found" without stage files: a Node that initialises
# and keeps its lease, Pods that go Ready, complete and delete.
copy_kwok_stages() {
  local src="$1" dest="$2" f
  for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
    pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
    [ -f "$src/kustomize/stage/$f" ] || die "kwok v$KWOK_VERSION has no kustomize/stage/$f"
    cp "$src/kustomize/stage/$f" "$dest/"
  done
  chmod -R u+w "$dest"
}

build_k8s_controllers_locked() {
  local out_dir="$1" stamp="k8s=v$K8S_VERSION"
  if [ "$(cat "$out_dir/.complete" 2>/dev/null || true)" = "$stamp" ]; then return 0; fi
  require_go "build kube-controller-manager and kube-scheduler v$K8S_VERSION"
  rm -rf "$CACHE_ROOT"/.build-k8s-controllers-"$K8S_VERSION".* 2>/dev/null || true
  local start; start="$(date +%s)"
  local tmp; tmp="$(mktemp -d "$CACHE_ROOT/.build-k8s-controllers-$K8S_VERSION.XXXXXX")"
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" EXIT
  export GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0 GOWORK=off
  mkdir -p "$tmp/out" "$tmp/wrapper"
  k8s_wrapper_gomod "$tmp/wrapper" kube-controllers
  local minor="${K8S_VERSION#1.}"; minor="${minor%%.*}"
  local bdate vpkg="k8s.io/component-base/version" b
  bdate="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  for b in kube-controller-manager kube-scheduler; do
    log "building $b v$K8S_VERSION with $JOBS jobs ..."
    (cd "$tmp/wrapper" && go build -p "$JOBS" -trimpath \
      -ldflags "-s -w -X $vpkg.gitVersion=v$K8S_VERSION -X $vpkg.gitMajor=1 -X $vpkg.gitMinor=$minor -X $vpkg.gitTreeState=clean -X $vpkg.buildDate=$bdate" \
      -o "$tmp/out/$b" "k8s.io/kubernetes/cmd/$b") || die "building $b v$K8S_VERSION failed"
    log "$b built after $(( $(date +%s) - start ))s"
  done
  echo "$stamp" >"$tmp/out/.complete"
  rm -rf "$out_dir"; mv "$tmp/out" "$out_dir"
  log "kube-controller-manager and kube-scheduler ready in $out_dir (build took $(( $(date +%s) - start ))s)"
}

# ensure_cached <lock name> <dir> <stamp> <build function> [args...]
ensure_cached() {
  local lock="$1" dir="$2" stamp="$3"; shift 3
  if [ "$(cat "$dir/.complete" 2>/dev/null || true)" = "$stamp" ]; then return 0; fi
  with_lock "$lock" "$@" "$dir"
}

# Prints KEY=value lines: TSFLUX_<NAME>=<binary path> for each binary,
# TSFLUX_KWOK_STAGES=<dir>, TSFLUX_NOTIFICATION_CONTROLLER_VERSION=<built version>.
ensure_controllers() {
  local name ver dir key
  if [ -n "${TSFLUX_CONTROLLERS_BIN:-}" ]; then
    for name in $FLUX_CONTROLLERS kube-controller-manager kube-scheduler kwok; do
      [ -x "$TSFLUX_CONTROLLERS_BIN/$name" ] || die "TSFLUX_CONTROLLERS_BIN=$TSFLUX_CONTROLLERS_BIN does not contain an executable '$name'"
      key="$(echo "$name" | tr 'a-z-' 'A-Z_')"
      echo "TSFLUX_$key=$TSFLUX_CONTROLLERS_BIN/$name"
    done
    echo "TSFLUX_NOTIFICATION_CONTROLLER_VERSION=$(cat "$TSFLUX_CONTROLLERS_BIN/notification-controller.VERSION" 2>/dev/null || echo "$NOTIFICATION_CONTROLLER_VERSION")"
  else
    # Cheapest first with kube-controller-manager + kube-scheduler right after
    # kube-apiserver, whose build cache they reuse.
    dir="$CACHE_ROOT/k8s-controllers-$K8S_VERSION"
    ensure_cached "k8s-controllers-$K8S_VERSION" "$dir" "k8s=v$K8S_VERSION" build_k8s_controllers_locked
    echo "TSFLUX_KUBE_CONTROLLER_MANAGER=$dir/kube-controller-manager"
    echo "TSFLUX_KUBE_SCHEDULER=$dir/kube-scheduler"
    for name in helm-controller kustomize-controller notification-controller source-controller; do
      ver="$(ctrl_version "$name")"; dir="$CACHE_ROOT/$name-v$ver"
      ensure_cached "$name-v$ver" "$dir" "$name=v$ver" build_flux_controller_locked "$name"
      key="$(echo "$name" | tr 'a-z-' 'A-Z_')"
      echo "TSFLUX_$key=$dir/$name"
    done
    echo "TSFLUX_NOTIFICATION_CONTROLLER_VERSION=$(cat "$CACHE_ROOT/notification-controller-v$NOTIFICATION_CONTROLLER_VERSION/VERSION")"
    dir="$CACHE_ROOT/kwok-v$KWOK_VERSION"
    ensure_cached "kwok-v$KWOK_VERSION" "$dir" "kwok=v$KWOK_VERSION" build_kwok_locked
    echo "TSFLUX_KWOK=$dir/kwok"
    [ -n "${TSFLUX_KWOK_STAGES:-}" ] || echo "TSFLUX_KWOK_STAGES=$dir/stages"
  fi
  if [ -n "${TSFLUX_KWOK_STAGES:-}" ]; then
    ls "$TSFLUX_KWOK_STAGES"/*.yaml >/dev/null 2>&1 || die "TSFLUX_KWOK_STAGES=$TSFLUX_KWOK_STAGES contains no *.yaml files"
    echo "TSFLUX_KWOK_STAGES=$TSFLUX_KWOK_STAGES"
  elif [ -n "${TSFLUX_CONTROLLERS_BIN:-}" ]; then
    dir="$CACHE_ROOT/kwok-stages-v$KWOK_VERSION"
    if [ ! -f "$dir/.complete" ]; then
      require_go "download kwok v$KWOK_VERSION's stage files"
      local tmp; tmp="$(mktemp -d "$CACHE_ROOT/.kwok-stages.XXXXXX")"
      copy_kwok_stages "$(cd "$tmp" && GOFLAGS=-mod=mod GOWORK=off mod_dir "sigs.k8s.io/kwok@v$KWOK_VERSION")" "$tmp"
      touch "$tmp/.complete"; rm -rf "$dir"; mv "$tmp" "$dir"
    fi
    echo "TSFLUX_KWOK_STAGES=$dir"
  fi
}

# ensure_one_controller <name>: builds just that binary (cached like the others).
ensure_one_controller() {
  local name="$1" ver
  case "$name" in
    kube-controller-manager|kube-scheduler)
      ensure_cached "k8s-controllers-$K8S_VERSION" "$CACHE_ROOT/k8s-controllers-$K8S_VERSION" "k8s=v$K8S_VERSION" build_k8s_controllers_locked ;;
    kwok)
      ensure_cached "kwok-v$KWOK_VERSION" "$CACHE_ROOT/kwok-v$KWOK_VERSION" "kwok=v$KWOK_VERSION" build_kwok_locked ;;
    source-controller|kustomize-controller|helm-controller|notification-controller)
      ver="$(ctrl_version "$name")"
      ensure_cached "$name-v$ver" "$CACHE_ROOT/$name-v$ver" "$name=v$ver" build_flux_controller_locked "$name" ;;
    *) die "unknown controller '$name' (source-controller, kustomize-controller, helm-controller, notification-controller, kube-controller-manager, kube-scheduler, kwok)" ;;
  esac
}

main() {
  case "$mode" in
    all) ensure_binaries; ensure_crds; echo "$ASSET_DIR" ;;
    env) ensure_binaries; ensure_crds; echo "KUBEBUILDER_ASSETS=$ASSET_DIR"; echo "TSFLUX_FLUX_CRDS=$CRD_DIR" ;;
    binaries) ensure_binaries; echo "$ASSET_DIR" ;;
    crds) ensure_crds; echo "$CRD_DIR" ;;
    one-controller) ensure_one_controller "$one_controller" ;;
    controllers)
      ensure_binaries; ensure_crds
      local lines; lines="$(ensure_controllers)" || exit 1
      echo "KUBEBUILDER_ASSETS=$ASSET_DIR"; echo "TSFLUX_FLUX_CRDS=$CRD_DIR"; echo "$lines" ;;
  esac
}

# Everything above only defines functions, so editing this file while it runs is harmless.
main
exit $?
