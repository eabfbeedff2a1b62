// reconcile against the real API server. A "controller" stand-in watches for the
// reconcile.fluxcd.io/requestedAt annotation and reports the request as handled.
import { describe, expect, it } from "vitest";
import {
  applyYaml,
  createNamespace,
  eventually,
  fluxRef,
  getObject,
  markReconciled,
  setArtifact,
  setReadyCondition,
  testKubeConfig,
  testKubeconfigPath,
  updateStatus,
  withCondition,
  type Condition,
} from "../env/helpers.js";
import { runCli } from "../helpers/cli.js";
import type { FluxKind } from "../env/helpers.js";

const REQ = "reconcile.fluxcd.io/requestedAt";

async function setup(): Promise<string> {
  const kc = await testKubeConfig();
  const ns = await createNamespace(kc);
  await applyYaml(
    kc,
    `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: podinfo, namespace: ${ns}}
spec: {interval: 5m, url: https://github.com/stefanprodan/podinfo, ref: {branch: main}}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: ${ns}}
spec: {interval: 10m, prune: true, path: ./kustomize, sourceRef: {kind: GitRepository, name: podinfo}}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: podinfo, namespace: ${ns}}
spec:
  interval: 10m
  chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: podinfo}}}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: podinfo, namespace: ${ns}}
spec: {interval: 5m, url: https://stefanprodan.github.io/podinfo}
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: {name: slack, namespace: ${ns}}
spec: {type: slack}
`,
  );
  return ns;
}

/** Waits for a new request annotation on the object and returns its value. */
async function requested(kind: FluxKind, ns: string, name: string, previous?: string): Promise<string> {
  const kc = await testKubeConfig();
  return await eventually(async () => {
    const v = (await getObject(kc, fluxRef(kind, ns, name))).metadata.annotations?.[REQ];
    return v && v !== previous ? v : undefined;
  });
}

const flux = async (...args: string[]) => runCli(["--kubeconfig", await testKubeconfigPath(), ...args]);

describe("reconcile", () => {
  it("annotates, waits for the handled request and prints the fetched revision", async () => {
    const ns = await setup();
    const kc = await testKubeConfig();
    const run = flux("reconcile", "source", "git", "podinfo", "-n", ns);
    const ts = await requested("GitRepository", ns, "podinfo");
    expect(ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    await setArtifact(
      kc,
      fluxRef("GitRepository", ns, "podinfo"),
      "main@sha1:696f056df216eea4f9401adbee0ff744d4df390f",
    );
    await markReconciled(kc, fluxRef("GitRepository", ns, "podinfo"), ts);
    const res = await run;
    expect(res.stderr).toBe(
      `► annotating GitRepository podinfo in ${ns} namespace\n✔ GitRepository annotated\n◎ waiting for GitRepository reconciliation\n` +
        "✔ fetched revision main@sha1:696f056df216eea4f9401adbee0ff744d4df390f\n",
    );
    expect(res.code).toBe(0);
  });

  it("fails with the Ready message when the reconciliation fails", async () => {
    const ns = await setup();
    const kc = await testKubeConfig();
    const run = flux("reconcile", "ks", "apps", "-n", ns);
    const ts = await requested("Kustomization", ns, "apps");
    await updateStatus(kc, fluxRef("Kustomization", ns, "apps"), (obj) => ({
      ...(obj.status ?? {}),
      observedGeneration: obj.metadata.generation,
      lastHandledReconcileAt: ts,
      conditions: withCondition((obj.status?.conditions as Condition[] | undefined) ?? [], {
        type: "Ready",
        status: "False",
        reason: "BuildFailed",
        message: "kustomization path not found: stat /tmp/kustomize: no such file or directory",
        observedGeneration: obj.metadata.generation,
      }),
    }));
    const res = await run;
    expect(res.code).toBe(1);
    expect(res.stderr.split("\n").slice(-2)[0]).toBe(
      "✗ Kustomization reconciliation failed: 'kustomization path not found: stat /tmp/kustomize: no such file or directory'",
    );
  });

  it("suspended objects, static objects, bad flags and missing objects", async () => {
    const ns = await setup();
    await flux("suspend", "ks", "apps", "-n", ns);
    const susp = await flux("reconcile", "ks", "apps", "-n", ns);
    expect(susp.code).toBe(1);
    expect(susp.stderr).toMatch(/^✗ resource is suspended/);
    const provider = await flux("reconcile", "alert-provider", "slack", "-n", ns);
    expect(provider).toMatchObject({ code: 0, stderr: "✔ reconciliation not supported by the object\n" });
    const force = await flux("reconcile", "ks", "apps", "--force", "-n", ns);
    expect(force.code).toBe(1);
    const missing = await flux("reconcile", "source", "git", "nope", "-n", ns);
    expect(missing).toMatchObject({ code: 1, stderr: '✗ gitrepositories.source.toolkit.fluxcd.io "nope" not found\n' });
    const noName = await flux("reconcile", "source", "git", "-n", ns);
    expect(noName).toMatchObject({ code: 1, stderr: "✗ GitRepository name is required\n" });
  });

  it("--wait=false only requests; --all reconciles every object concurrently", async () => {
    const ns = await setup();
    const kc = await testKubeConfig();
    const fire = await flux("reconcile", "source", "git", "podinfo", "--wait=false", "-n", ns);
    expect(fire).toMatchObject({
      code: 0,
      stderr: `► annotating GitRepository podinfo in ${ns} namespace\n✔ GitRepository annotated\n`,
    });
    const first = await requested("GitRepository", ns, "podinfo");
    await applyYaml(
      kc,
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: second, namespace: ${ns}}
spec: {interval: 5m, url: https://github.com/fluxcd/flux2, ref: {branch: main}}`,
    );
    const run = flux("reconcile", "source", "git", "--all", "-n", ns, "--timeout", "20s");
    const [a, b] = await Promise.all([
      requested("GitRepository", ns, "podinfo", first),
      requested("GitRepository", ns, "second"),
    ]);
    await markReconciled(kc, fluxRef("GitRepository", ns, "podinfo"), a);
    await setReadyCondition(kc, fluxRef("GitRepository", ns, "second"), true, "Succeeded", "ok");
    await markReconciled(kc, fluxRef("GitRepository", ns, "second"), b);
    const res = await run;
    expect(res.code).toBe(0);
    expect(res.stderr.match(/✔ fetched revision/g)).toHaveLength(2);
  });
});
