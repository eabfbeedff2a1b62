# shellcheck shell=sh
# Pinned versions for the tsflux integration test environment.
# Sourced by scripts/testenv-build.sh and parsed (KEY=value lines) by
# test/env/assets.ts. Keep the simple KEY=value format.

# kube-apiserver is built from k8s.io/kubernetes at this version.
TESTENV_K8S_VERSION=1.34.4
# etcd server (go.etcd.io/etcd/server/v3); k8s 1.34 is tested against etcd 3.6.
TESTENV_ETCD_VERSION=3.6.16
# Flux distribution whose CRDs are installed (github.com/fluxcd/flux2/v2).
# Controller versions are read from its manifests/bases/*/kustomization.yaml.
TESTENV_FLUX_VERSION=2.9.5
# controller-gen version used by the Flux 2.9 controllers' Makefiles
# (CONTROLLER_GEN_VERSION). Only needed when a controller's module is not
# served by the Go proxy: its CRDs are then generated from the controller's
# api module exactly like upstream's `make manifests` does.
TESTENV_CONTROLLER_GEN_VERSION=0.21.0

# Controllers mode (npm run env:up -- --controllers, the e2e suite, npm run demo).
# The Flux controllers run as host processes, at the versions flux v2.9.5 pins in
# its manifests/bases. When the proxy refuses the pinned notification-controller,
# the newest served patch of the same minor is built (the cache records which).
TESTENV_SOURCE_CONTROLLER_VERSION=1.9.5
TESTENV_KUSTOMIZE_CONTROLLER_VERSION=1.9.5
TESTENV_HELM_CONTROLLER_VERSION=1.6.4
TESTENV_NOTIFICATION_CONTROLLER_VERSION=1.9.4
# kwok simulates the Node the controller Deployments are scheduled on.
TESTENV_KWOK_VERSION=0.8.0
