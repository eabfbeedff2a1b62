#!/usr/bin/env bash
# One-step set-up of a fresh machine for tsflux: system packages, npm dependencies
# (which also builds dist/), kustomize v5.8.1, and the test environment's binaries
# (kube-apiserver, etcd, Flux CRDs, and for the controllers mode kube-controller-manager,
# kube-scheduler, kwok and the Flux controllers, built once from the Go module proxy
# and cached), and helm v4 (the real one tsflux renders charts with) in the tool cache.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { echo "[setup] $*" >&2; }

apt_missing=()
command -v git >/dev/null 2>&1 || apt_missing+=(git)
command -v openssl >/dev/null 2>&1 || apt_missing+=(openssl)
[ -x /usr/lib/git-core/git-http-backend ] || apt_missing+=(git)
command -v docker-registry >/dev/null 2>&1 || apt_missing+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || apt_missing+=(apache2-utils)
command -v zip >/dev/null 2>&1 || apt_missing+=(zip)
command -v skopeo >/dev/null 2>&1 || apt_missing+=(skopeo)
command -v ssh-keyscan >/dev/null 2>&1 || apt_missing+=(openssh-client)
# test/env/ssh-server.ts: a real sshd serving the test repositories, unprivileged.
[ -x /usr/sbin/sshd ] || apt_missing+=(openssh-server)
ls /usr/lib/*/libnss_wrapper.so >/dev/null 2>&1 || apt_missing+=(libnss-wrapper)
# gpg and gpgconf: the signed-commit tests make keys and run git verify-commit with them.
command -v gpg >/dev/null 2>&1 || apt_missing+=(gnupg)
if [ ${#apt_missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "missing system packages: ${apt_missing[*]}; install them with: sudo apt-get install -y ${apt_missing[*]}"
    exit 1
  fi
  log "installing system packages: ${apt_missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >&2
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm dependencies (npm ci) and building dist/"
  npm ci --no-audit --no-fund >&2
else
  log "npm dependencies are up to date; building dist/"
fi
# npm ci no longer builds (the build runs on prepack): build here either way.
npm run --silent build >&2

# kustomize v5.8.1, the version flux v2.9.5 builds with (kustomize/api v0.21.1); tsflux
# prefers it to a kustomize or kubectl on PATH.
# helm v4 is the one tsflux renders charts with (scripts/go-tool-build.sh has the table).
log "building kustomize and helm into the tool cache (once)"
bash scripts/go-tool-build.sh kustomize helm >/dev/null

log "preparing the test environment (kube-apiserver, etcd, Flux CRDs)"
bash scripts/testenv-build.sh >/dev/null
# One go build at a time (each peaks near 2 GB); ~25 min cold on 2 cores, a check once cached.
log "preparing the controllers mode (kube-controller-manager, kube-scheduler, kwok, Flux controllers)"
bash scripts/testenv-build.sh --controllers >/dev/null
log "done"
