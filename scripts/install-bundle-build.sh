#!/usr/bin/env bash
# Assembles (once, cached) a Flux install bundle with the layout of upstream's release
# asset manifests.tar.gz (one <component>.yaml per controller, rbac.yaml, policies.yaml;
# built like flux2's manifests/scripts/bundle.sh), from published Go modules, for the
# tsflux install tests. Nothing of it is committed to the repository.
#
# Usage: scripts/install-bundle-build.sh   -> prints the bundle directory on stdout
#
# Sources, in order of preference:
#   - github.com/fluxcd/flux2/v2@v$TESTENV_FLUX_VERSION: manifests/ (bases, rbac, policies)
#   - each controller's module (config/crd, config/manager) at the version the bases pin,
#     built with kustomize exactly like the controllers' release workflows;
#   - when a controller's module is not served by the Go proxy: its CRDs from the test
#     environment's CRD directory (scripts/testenv-build.sh --crds, generated from the
#     controller's api module) and a Deployment synthesised with the upstream shape
#     (same args order, ports, probes, image name). VERSIONS in the bundle says which.
#
# Environment: TSFLUX_INSTALL_BUNDLE (a ready bundle dir: nothing is built),
#   TSFLUX_TESTENV_CACHE (cache root, default ${XDG_CACHE_HOME:-~/.cache}/tsflux/testenv).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=testenv-versions.sh
. "$SCRIPT_DIR/testenv-versions.sh"
FLUX_VERSION="${TESTENV_FLUX_VERSION}"
CACHE_ROOT="${TSFLUX_TESTENV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tsflux/testenv}"
OUT="$CACHE_ROOT/flux-bundle-v$FLUX_VERSION"
STAMP="bundle flux=v$FLUX_VERSION layout=1"

log() { echo "[install-bundle] $*" >&2; }
die() { echo "[install-bundle] ERROR: $*" >&2; exit 1; }

if [ -n "${TSFLUX_INSTALL_BUNDLE:-}" ]; then
  [ -f "$TSFLUX_INSTALL_BUNDLE/source-controller.yaml" ] || die "TSFLUX_INSTALL_BUNDLE=$TSFLUX_INSTALL_BUNDLE has no source-controller.yaml"
  echo "$TSFLUX_INSTALL_BUNDLE"; exit 0
fi
if [ "$(cat "$OUT/.complete" 2>/dev/null || true)" = "$STAMP" ]; then echo "$OUT"; exit 0; fi

if command -v kustomize >/dev/null 2>&1; then KUSTOMIZE=(kustomize build)
elif command -v kubectl >/dev/null 2>&1; then KUSTOMIZE=(kubectl kustomize)
else die "neither 'kustomize' nor 'kubectl' is on PATH (apt-get install kubectl, or install kustomize)"; fi
command -v go >/dev/null 2>&1 || die "the Go toolchain is needed to download the Flux modules ('go' is not on PATH)"

export GOTOOLCHAIN=local GOWORK=off GOFLAGS="-mod=mod"
mkdir -p "$CACHE_ROOT"
# One build at a time; whoever waited finds the finished bundle.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE_ROOT/.flux-bundle.lock"
  flock 9
  if [ "$(cat "$OUT/.complete" 2>/dev/null || true)" = "$STAMP" ]; then echo "$OUT"; exit 0; fi
fi
TMP="$(mktemp -d "$CACHE_ROOT/.bundle.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

mod_dir() {
  local json dir
  json="$(cd "$TMP" && go mod download -json "$1" 2>/dev/null)" || return 1
  dir="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' | head -n1)"
  [ -n "$dir" ] && [ -d "$dir" ] || return 1
  printf '%s\n' "$dir"
}

FDIR="$(mod_dir "github.com/fluxcd/flux2/v2@v$FLUX_VERSION")" || die "cannot download github.com/fluxcd/flux2/v2@v$FLUX_VERSION"
cp -r "$FDIR/manifests" "$TMP/manifests"; chmod -R u+w "$TMP/manifests"
CRDS="$("$SCRIPT_DIR/testenv-build.sh" --crds)"

synth_deployment() { # name version -> a Deployment (+ Services) with upstream's shape
  local name="$1" ver="$2" extra_args="" extra_ports="" services=""
  case "$name" in
    source-watcher)
      extra_args="
          - --storage-path=/data
          - --storage-adv-addr=source-watcher.\$(RUNTIME_NAMESPACE).svc.cluster.local."
      services="---
apiVersion: v1
kind: Service
metadata:
  name: source-watcher
  labels:
    control-plane: controller
spec:
  type: ClusterIP
  selector:
    app: source-watcher
  ports:
    - name: http
      port: 80
      protocol: TCP
      targetPort: http" ;;
    notification-controller)
      extra_ports="
          - containerPort: 9292
            name: http-webhook
            protocol: TCP"
      services="---
apiVersion: v1
kind: Service
metadata:
  name: notification-controller
  labels:
    control-plane: controller
spec:
  type: ClusterIP
  selector:
    app: notification-controller
  ports:
    - name: http
      port: 80
      protocol: TCP
      targetPort: http
---
apiVersion: v1
kind: Service
metadata:
  name: webhook-receiver
  labels:
    control-plane: controller
spec:
  type: ClusterIP
  selector:
    app: notification-controller
  ports:
    - name: http
      port: 80
      protocol: TCP
      targetPort: http-webhook" ;;
  esac
  cat <<YAML
apiVersion: apps/v1
kind: Deployment
metadata:
  name: $name
  labels:
    control-plane: controller
spec:
  selector:
    matchLabels:
      app: $name
  replicas: 1
  template:
    metadata:
      labels:
        app: $name
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "8080"
    spec:
      terminationGracePeriodSeconds: 10
      containers:
      - name: manager
        image: fluxcd/$name:$ver
        imagePullPolicy: IfNotPresent
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          runAsNonRoot: true
          capabilities:
            drop: [ "ALL" ]
          seccompProfile:
            type: RuntimeDefault
        ports:
          - containerPort: 9090
            name: http
            protocol: TCP$extra_ports
          - containerPort: 8080
            name: http-prom
            protocol: TCP
          - containerPort: 9440
            name: healthz
            protocol: TCP
        env:
          - name: RUNTIME_NAMESPACE
            valueFrom:
              fieldRef:
                fieldPath: metadata.namespace
        args:
          - --watch-all-namespaces
          - --log-level=info
          - --log-encoding=json
          - --enable-leader-election$extra_args
        readinessProbe:
          httpGet:
            path: /readyz
            port: healthz
        livenessProbe:
          httpGet:
            path: /healthz
            port: healthz
        resources:
          limits:
            cpu: 1000m
            memory: 1Gi
          requests:
            cpu: 100m
            memory: 64Mi
        volumeMounts:
          - name: temp
            mountPath: /tmp
      volumes:
        - name: temp
          emptyDir: {}
$services
YAML
}

crd_files() { # controller -> the CRD files of the test environment that belong to it
  case "$1" in
    source-controller) ls "$CRDS"/source.toolkit.fluxcd.io_*.yaml ;;
    kustomize-controller) ls "$CRDS"/kustomize.toolkit.fluxcd.io_*.yaml ;;
    helm-controller) ls "$CRDS"/helm.toolkit.fluxcd.io_*.yaml ;;
    notification-controller) ls "$CRDS"/notification.toolkit.fluxcd.io_*.yaml ;;
    image-reflector-controller) ls "$CRDS"/image.toolkit.fluxcd.io_image{policies,repositories}.yaml ;;
    image-automation-controller) ls "$CRDS"/image.toolkit.fluxcd.io_imageupdateautomations.yaml ;;
    source-watcher) ls "$CRDS"/source.extensions.fluxcd.io_*.yaml ;;
    *) return 1 ;;
  esac
}

echo "# Flux v$FLUX_VERSION install bundle: <component> <version> <source>" >"$TMP/VERSIONS"
mkdir -p "$TMP/out"
for base in "$TMP"/manifests/bases/*/; do
  name="$(basename "$base")"
  ver="$(sed -n "s#.*github\.com/fluxcd/$name/releases/download/\(v[^/]*\)/.*#\1#p" "$base/kustomization.yaml" | head -n1)"
  [ -n "$ver" ] || die "no release reference in $base/kustomization.yaml"
  major="${ver#v}"; major="${major%%.*}"; mod="github.com/fluxcd/$name"
  [ "$major" -ge 2 ] && mod="$mod/v$major"
  if cdir="$(mod_dir "$mod@$ver")" && [ -d "$cdir/config/manager" ]; then
    log "$name $ver: config/crd and config/manager from $mod@$ver"
    "${KUSTOMIZE[@]}" "$cdir/config/crd" >"$base/$name.crds.yaml"
    "${KUSTOMIZE[@]}" "$cdir/config/manager" >"$base/$name.deployment.yaml"
    echo "$name $ver module" >>"$TMP/VERSIONS"
  else
    log "$name $ver: module not served; CRDs from $CRDS, Deployment synthesised"
    : >"$base/$name.crds.yaml"
    for f in $(crd_files "$name"); do { echo "---"; cat "$f"; } >>"$base/$name.crds.yaml"; done
    synth_deployment "$name" "$ver" >"$base/$name.deployment.yaml"
    echo "$name $ver synthesised-deployment crds-from-api-module" >>"$TMP/VERSIONS"
  fi
  sed -i "s#^- https://github.com/fluxcd/$name/releases/download/$ver/#- #" "$base/kustomization.yaml"
  "${KUSTOMIZE[@]}" "$base" >"$TMP/out/$name.yaml"
done
"${KUSTOMIZE[@]}" "$TMP/manifests/rbac" >"$TMP/out/rbac.yaml"
"${KUSTOMIZE[@]}" "$TMP/manifests/policies" >"$TMP/out/policies.yaml"
cp "$TMP/VERSIONS" "$TMP/out/.VERSIONS"
echo "$STAMP" >"$TMP/out/.complete"
rm -rf "$OUT"; mv "$TMP/out" "$OUT"
log "bundle ready in $OUT"
echo "$OUT"
