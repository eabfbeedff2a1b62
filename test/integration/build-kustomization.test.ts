// `flux build kustomization` against a real API server: the Kustomization and
// its substituteFrom ConfigMaps/Secrets are read from the cluster.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { applyYaml, createNamespace } from "../env/helpers.js";
import { runCli } from "../helpers/cli.js";

let kubeconfig: string;
let kc: KubeConfig;
let ns: string;
let dir: string;

const ks = (name: string, postBuild: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: repo
  postBuild:
${postBuild}`;

beforeAll(async () => {
  kubeconfig = inject("kubeconfig");
  kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  ns = await createNamespace(kc);
  dir = mkdtempSync(path.join(os.tmpdir(), "tsflux-it-build-"));
  mkdirSync(path.join(dir, "apps"));
  writeFileSync(
    path.join(dir, "apps", "cm.yaml"),
    `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  cluster: \${cluster_name}
  region: \${region}
  token: \${api_token}
  inline: \${inline_var}
  fallback: \${unset_var:=default-value}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: untouched
  labels:
    kustomize.toolkit.fluxcd.io/substitute: disabled
data:
  template: \${cluster_name}
`,
  );
  await applyYaml(
    kc,
    `apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-vars
data:
  cluster_name: prod-eu
  region: from-configmap
---
apiVersion: v1
kind: Secret
metadata:
  name: cluster-secrets
stringData:
  api_token: s3cr3t
  region: from-secret
`,
    ns,
  );
  await applyYaml(
    kc,
    ks(
      "apps",
      `    substitute:
      inline_var: inline
    substituteFrom:
      - kind: ConfigMap
        name: cluster-vars
      - kind: Secret
        name: cluster-secrets
      - kind: ConfigMap
        name: not-there
        optional: true
`,
    ),
    ns,
  );
  await applyYaml(kc, ks("broken", `    substituteFrom:\n      - kind: ConfigMap\n        name: not-there\n`), ns);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const build = (name: string, ...extra: string[]) =>
  runCli([
    "build",
    "kustomization",
    name,
    "--path",
    path.join(dir, "apps"),
    "--kubeconfig",
    kubeconfig,
    "-n",
    ns,
    ...extra,
  ]);

describe("flux build kustomization (cluster)", () => {
  it("substitutes from the Kustomization's ConfigMaps and Secrets, later sources winning, optional ones tolerated", async () => {
    const r = await build("apps");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`apiVersion: v1
data:
  cluster: prod-eu
  fallback: default-value
  inline: inline
  region: from-secret
  token: s3cr3t
kind: ConfigMap
metadata:
  labels:
    kustomize.toolkit.fluxcd.io/name: apps
    kustomize.toolkit.fluxcd.io/namespace: ${ns}
  name: app-config
---
apiVersion: v1
data:
  template: \${cluster_name}
kind: ConfigMap
metadata:
  labels:
    kustomize.toolkit.fluxcd.io/name: apps
    kustomize.toolkit.fluxcd.io/namespace: ${ns}
    kustomize.toolkit.fluxcd.io/substitute: disabled
  name: untouched
---
`);
  });

  it("fails on a missing substituteFrom source that is not optional", async () => {
    const r = await build("broken");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      `✗ var substitution failed for 'app-config': substitute from 'ConfigMap/not-there' error: configmaps "not-there" not found\n`,
    );
  });

  it("fails clearly when the Kustomization does not exist", async () => {
    const r = await build("nope");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `✗ failed to get kustomization object: kustomizations.kustomize.toolkit.fluxcd.io "nope" not found\n`,
    );
  });

  it("uses the spec of a local Kustomization file over the cluster's", async () => {
    const file = path.join(dir, "local-ks.yaml");
    writeFileSync(
      file,
      ks("apps", `    substitute:\n      cluster_name: local\n`).replace(
        "metadata:\n  name: apps",
        `metadata:\n  name: apps\n  namespace: ${ns}`,
      ),
    );
    const r = await build("apps", "--kustomization-file", file);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("  cluster: local\n");
    expect(r.stdout).toContain("  region: null\n"); // the file's spec has no substituteFrom
  });
});
