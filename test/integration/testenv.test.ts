// Proves the integration test environment: a real kube-apiserver reachable
// through @kubernetes/client-node with the generated kubeconfig, the real Flux
// CRDs Established, and status written by the controller stand-ins readable.
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { ApiextensionsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, VersionApi } from "@kubernetes/client-node";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { resolveAssets } from "../env/assets.js";
import { etcdAnswering, getFreePort } from "../env/testenv.js";
import {
  applyYaml,
  createNamespace,
  eventually,
  fluxRef,
  getObject,
  inventoryId,
  markReconciled,
  setArtifact,
  setInventory,
  setReadyCondition,
  setStatus,
  type Condition,
} from "../env/helpers.js";

let kc: KubeConfig;

beforeAll(() => {
  const kubeconfig = inject("kubeconfig");
  expect(kubeconfig).toBeTruthy();
  kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
});

describe("test environment", () => {
  it("serves a real kube-apiserver through @kubernetes/client-node", async () => {
    const version = await kc.makeApiClient(VersionApi).getCode();
    expect(version.major).toBe("1");
    expect(Number(version.minor.replace(/\D.*$/, ""))).toBeGreaterThanOrEqual(33);

    const core = kc.makeApiClient(CoreV1Api);
    const ns = await core.readNamespace({ name: "default" });
    expect(ns.metadata?.name).toBe("default");
    expect(process.env.TSFLUX_TEST_KUBECONFIG).toBe(inject("kubeconfig"));
  });

  it.each([
    ["gitrepositories.source.toolkit.fluxcd.io", "v1"],
    ["ocirepositories.source.toolkit.fluxcd.io", "v1"],
    ["helmrepositories.source.toolkit.fluxcd.io", "v1"],
    ["kustomizations.kustomize.toolkit.fluxcd.io", "v1"],
    ["helmreleases.helm.toolkit.fluxcd.io", "v2"],
    ["alerts.notification.toolkit.fluxcd.io", "v1beta3"],
    ["receivers.notification.toolkit.fluxcd.io", "v1"],
    ["imagepolicies.image.toolkit.fluxcd.io", "v1"],
  ])("has the Flux CRD %s (%s) Established", async (name, version) => {
    const crd = await kc.makeApiClient(ApiextensionsV1Api).readCustomResourceDefinition({ name });
    const conds = crd.status?.conditions ?? [];
    expect(conds.find((c) => c.type === "Established")?.status).toBe("True");
    expect(conds.find((c) => c.type === "NamesAccepted")?.status).toBe("True");
    expect(crd.spec.versions.find((v) => v.name === version)?.served).toBe(true);
    // Installed from upstream, not hand-written: controller-gen annotates every CRD.
    expect(crd.metadata?.annotations?.["controller-gen.kubebuilder.io/version"]).toMatch(/^v0\./);
  });

  it("kubectl-compatible kubeconfig works from another process", async () => {
    // Not kubectl itself (the system one may be missing/odd); a fresh Node
    // process loading the file is what matters for the CLI under test.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import { KubeConfig, CoreV1Api } from '@kubernetes/client-node';
         const kc = new KubeConfig(); kc.loadFromFile(process.argv[1]);
         const ns = await kc.makeApiClient(CoreV1Api).readNamespace({ name: 'kube-system' });
         console.log(ns.metadata.name);`,
        inject("kubeconfig"),
      ],
      { cwd: process.cwd() },
    );
    expect(stdout.trim()).toBe("kube-system");
  });
});

describe("controller stand-ins", () => {
  it("write status through the status subresource and read it back", async () => {
    const ns = await createNamespace(kc);
    const [repo] = await applyYaml(
      kc,
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: podinfo
spec:
  interval: 1m
  url: https://github.com/stefanprodan/podinfo
  ref:
    branch: master
`,
      ns,
    );
    expect(repo?.metadata.namespace).toBe(ns);
    expect(repo?.metadata.generation).toBe(1);

    const ref = fluxRef("GitRepository", ns, "podinfo");
    await setReadyCondition(kc, ref, "False", "Progressing", "reconciliation in progress");
    await setArtifact(kc, ref, "master@sha1:0123456789abcdef0123456789abcdef01234567");
    await setReadyCondition(kc, ref, true, "Succeeded", "stored artifact for revision 'master@sha1:01234567'");

    // Read back through client-node's generic API, as the CLI would.
    const custom = kc.makeApiClient(CustomObjectsApi);
    const got = (await custom.getNamespacedCustomObject({
      group: "source.toolkit.fluxcd.io",
      version: "v1",
      namespace: ns,
      plural: "gitrepositories",
      name: "podinfo",
    })) as {
      status: { observedGeneration: number; conditions: Condition[]; artifact: { revision: string; digest: string } };
    };
    expect(got.status.observedGeneration).toBe(1);
    expect(got.status.artifact.revision).toBe("master@sha1:0123456789abcdef0123456789abcdef01234567");
    expect(got.status.artifact.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(got.status.conditions).toHaveLength(1);
    expect(got.status.conditions[0]).toMatchObject({
      type: "Ready",
      status: "True",
      reason: "Succeeded",
      observedGeneration: 1,
    });
  });

  it("markReconciled answers a reconcile request; inventory and status are schema-checked", async () => {
    const ns = await createNamespace(kc);
    await applyYaml(
      kc,
      `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  annotations:
    reconcile.fluxcd.io/requestedAt: "2026-01-02T03:04:05.123456789Z"
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`,
      ns,
    );
    const ref = fluxRef("Kustomization", ns, "apps");
    await markReconciled(kc, ref, undefined, { status: { lastAppliedRevision: "main@sha1:abc" } });
    await setInventory(kc, ref, [
      { namespace: ns, name: "podinfo", group: "apps", kind: "Deployment" },
      { id: `${ns}_podinfo__Service`, v: "v1" },
    ]);
    // Unknown status fields are pruned by the real structural schema.
    await setStatus(kc, ref, { notInTheSchema: true });

    const ks = await getObject(kc, ref);
    const status = ks.status as Record<string, unknown> & {
      conditions: Condition[];
      inventory: { entries: unknown[] };
    };
    expect(status.lastHandledReconcileAt).toBe("2026-01-02T03:04:05.123456789Z");
    expect(status.lastAppliedRevision).toBe("main@sha1:abc");
    expect(status.observedGeneration).toBe(1);
    expect(status.conditions.find((c) => c.type === "Ready")?.status).toBe("True");
    expect(status.inventory.entries).toEqual([
      { id: inventoryId({ namespace: ns, name: "podinfo", group: "apps", kind: "Deployment" }), v: "v1" },
      { id: `${ns}_podinfo__Service`, v: "v1" },
    ]);
    expect(status).not.toHaveProperty("notInTheSchema");

    // The status subresource does not bump generation; a spec change does.
    const [updated] = await applyYaml(kc, [
      {
        apiVersion: "kustomize.toolkit.fluxcd.io/v1",
        kind: "Kustomization",
        metadata: { name: "apps", namespace: ns },
        spec: {
          interval: "5m",
          path: "./apps",
          prune: true,
          sourceRef: { kind: "GitRepository", name: "flux-system" },
        },
      },
    ]);
    expect(updated?.metadata.generation).toBe(2);
    expect((updated?.status as { observedGeneration: number } | undefined)?.observedGeneration).toBe(1);
  });

  it("rejects status that violates the CRD schema", async () => {
    const ns = await createNamespace(kc);
    await applyYaml(
      kc,
      `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
spec:
  interval: 5m
  chart:
    spec:
      chart: podinfo
      sourceRef:
        kind: HelmRepository
        name: podinfo
`,
      ns,
    );
    await expect(
      setStatus(kc, fluxRef("HelmRelease", ns, "podinfo"), {
        conditions: [{ type: "Ready", status: "Maybe", reason: "X", message: "", lastTransitionTime: "now" }],
      }),
    ).rejects.toThrow(/HTTP 422/);
  });
});

describe("test environment isolation", () => {
  it("tells its own etcd from another environment's on the port it picked", async () => {
    // A port is picked free, released, and bound by etcd later: another suite's etcd can
    // hold it by then, and answering its /health would make two API servers share storage.
    const dir = mkdtempSync(path.join(os.tmpdir(), "tsflux-etcd-"));
    const [client, peer] = await Promise.all([getFreePort(), getFreePort()]);
    const url = `http://127.0.0.1:${client}`;
    const bin = path.join((await resolveAssets(() => {})).binDir, "etcd");
    const foreign = spawn(
      bin,
      [
        "--name=someone-else",
        `--data-dir=${path.join(dir, "data")}`,
        `--listen-client-urls=${url}`,
        `--advertise-client-urls=${url}`,
        `--listen-peer-urls=http://127.0.0.1:${peer}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${peer}`,
        `--initial-cluster=someone-else=http://127.0.0.1:${peer}`,
        "--unsafe-no-fsync=true",
      ],
      { stdio: "ignore" },
    );
    try {
      await eventually(async () => (await etcdAnswering(url, "someone-else").catch(() => "not ready")) === "ours");
      expect(await etcdAnswering(url, "testenv-mine")).toBe("other");
    } finally {
      foreign.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
