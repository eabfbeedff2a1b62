// `flux diff kustomization` skips the dry-run of an object only when the apply provably
// changes nothing (src/kube/apply-unchanged.ts): these are the cases where a manifest
// equal to the live values must still go through the dry-run, on a real API server.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { applyYaml, ContentType, createNamespace, eventually, kubeRequest, uniqueName } from "../env/helpers.js";
import { runCli } from "../helpers/cli.js";

let kubeconfig: string;
let kc: KubeConfig;
let ns: string;
let dir: string;
const policy = uniqueName("tsflux-locked-configmaps");
const ADMISSION = "/apis/admissionregistration.k8s.io/v1";

const configMap = (name: string, data: Record<string, string>) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: ns },
  data,
});

/** Applies like kustomize-controller (its field manager and labels), as the live state the diff compares with. */
async function applyAsController(obj: ReturnType<typeof configMap>): Promise<void> {
  const labels = { "kustomize.toolkit.fluxcd.io/name": "apps", "kustomize.toolkit.fluxcd.io/namespace": ns };
  await kubeRequest(kc, "PATCH", `/api/v1/namespaces/${ns}/configmaps/${obj.metadata.name}`, {
    body: { ...obj, metadata: { ...obj.metadata, labels } },
    contentType: ContentType.ApplyPatch,
    query: { fieldManager: "kustomize-controller", force: true },
  });
}

function writeBuild(...objs: ReturnType<typeof configMap>[]): void {
  writeFileSync(
    path.join(dir, "apps", "resources.yaml"),
    objs.map((o) => JSON.stringify({ ...o, metadata: { name: o.metadata.name } })).join("\n---\n"),
  );
}

const diff = () =>
  runCli([
    "diff",
    "kustomization",
    "apps",
    "--path",
    path.join(dir, "apps"),
    "--kubeconfig",
    kubeconfig,
    "-n",
    ns,
    "--progress-bar=false",
  ]);

beforeAll(async () => {
  kubeconfig = inject("kubeconfig");
  kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  ns = await createNamespace(kc);
  await kubeRequest(kc, "PATCH", `/api/v1/namespaces/${ns}`, {
    body: { metadata: { labels: { "tsflux-test-policy": policy } } },
    contentType: ContentType.MergePatch,
  });
  dir = mkdtempSync(path.join(os.tmpdir(), "tsflux-it-diff-unchanged-"));
  mkdirSync(path.join(dir, "apps"));
  await applyYaml(
    kc,
    `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
spec:
  interval: 10m
  path: ./apps
  prune: false
  targetNamespace: ${ns}
  sourceRef:
    kind: GitRepository
    name: repo
`,
    ns,
  );
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  for (const p of [`validatingadmissionpolicybindings/${policy}`, `validatingadmissionpolicies/${policy}`])
    await kubeRequest(kc, "DELETE", `${ADMISSION}/${p}`).catch(() => undefined);
});

describe("diff without a dry-run only where the apply changes nothing", { shuffle: false }, () => {
  it("reports an object whose every field is live as unchanged", async () => {
    await applyAsController(configMap("same", { a: "1", b: "2" }));
    writeBuild(configMap("same", { a: "1", b: "2" }));
    expect(await diff()).toMatchObject({ code: 0, stdout: "", stderr: "" });
  });

  it("still reports the removal of a field the controller applied and the manifest leaves out", async () => {
    await applyAsController(configMap("dropped", { a: "1", b: "2" }));
    writeBuild(configMap("same", { a: "1", b: "2" }), configMap("dropped", { a: "1" }));
    const r = await diff();
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`► ConfigMap/${ns}/dropped drifted`);
    expect(r.stdout).not.toContain(`ConfigMap/${ns}/same`);
    expect(r.stdout).toMatch(/data\s*\n.*one map entry removed/);
  });

  it("runs the dry-run when an admission policy sees updates of the kind, and reports its refusal", async () => {
    await kubeRequest(kc, "POST", `${ADMISSION}/validatingadmissionpolicies`, {
      body: {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingAdmissionPolicy",
        metadata: { name: policy },
        spec: {
          failurePolicy: "Fail",
          matchConstraints: {
            resourceRules: [
              { apiGroups: [""], apiVersions: ["v1"], operations: ["UPDATE"], resources: ["configmaps"] },
            ],
            namespaceSelector: { matchLabels: { "tsflux-test-policy": policy } },
          },
          validations: [{ expression: "false", message: "configmaps here are locked" }],
        },
      },
    });
    await kubeRequest(kc, "POST", `${ADMISSION}/validatingadmissionpolicybindings`, {
      body: {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingAdmissionPolicyBinding",
        metadata: { name: policy },
        spec: {
          policyName: policy,
          validationActions: ["Deny"],
          matchResources: { namespaceSelector: { matchLabels: { "tsflux-test-policy": policy } } },
        },
      },
    });
    writeBuild(configMap("same", { a: "1", b: "2" }));
    // the API server enforces a new policy within a moment
    const r = await eventually(async () => {
      const res = await diff();
      return res.code === 2 ? res : undefined;
    }, 30_000);
    expect(r.stderr).toContain(`ConfigMap/${ns}/same dry-run failed`);
    expect(r.stderr).toContain("configmaps here are locked");
  });
});
