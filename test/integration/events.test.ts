// `flux events` against the real API server, with events recorded as controllers would.
import { describe, expect, it } from "vitest";
import { applyYaml, createNamespace, kubeRequest, testKubeConfig, testKubeconfigPath } from "../env/helpers.js";
import { runCli } from "../helpers/cli.js";
import { must } from "../support/must.js";

const ago = (ms: number) => new Date(Date.now() - ms).toISOString().replace(/\.\d+Z$/, "Z");
const H = 3_600_000;

async function record(
  ns: string,
  name: string,
  kind: string,
  objName: string,
  reason: string,
  message: string,
  type: string,
  whenMs: number,
  count = 1,
) {
  const kc = await testKubeConfig();
  await kubeRequest(kc, "POST", `/api/v1/namespaces/${ns}/events`, {
    body: {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace: ns },
      involvedObject: { kind, name: objName, namespace: ns, apiVersion: "x/v1" },
      reason,
      message,
      type,
      count,
      firstTimestamp: ago(whenMs + (count > 1 ? 24 * H : 0)),
      lastTimestamp: ago(whenMs),
      source: { component: "kustomize-controller" },
    },
  });
}

async function setup() {
  const kc = await testKubeConfig();
  const ns = await createNamespace(kc);
  await applyYaml(
    kc,
    `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: ${ns}}
spec: {interval: 10m, prune: true, path: ./apps, sourceRef: {kind: GitRepository, name: flux-system}}`,
  );
  await record(
    ns,
    "e1",
    "Kustomization",
    "apps",
    "ReconciliationSucceeded",
    "Reconciliation finished",
    "Normal",
    3 * H + 10_000,
  );
  await record(
    ns,
    "e2",
    "GitRepository",
    "flux-system",
    "GitOperationFailed",
    "failed to checkout",
    "Warning",
    2 * 24 * H + 10_000,
    3,
  );
  await record(ns, "e3", "Deployment", "web", "ScalingReplicaSet", "Scaled up", "Normal", H);
  await record(ns, "e4", "Kustomization", "other", "Progressing", "applying", "Normal", 10 * 24 * H);
  return ns;
}

const flux = async (...args: string[]) => runCli(["--kubeconfig", await testKubeconfigPath(), ...args]);

describe("events", () => {
  it("lists events of Flux objects sorted by time, upstream's table", async () => {
    const ns = await setup();
    const res = await flux("events", "-n", ns);
    expect(res.stderr).toBe("");
    expect(res.stdout).toBe(
      "LAST SEEN      \tTYPE   \tREASON                 \tOBJECT                   \tMESSAGE                 \n" +
        "10d            \tNormal \tProgressing            \tKustomization/other      \tapplying               \t\n" +
        "2d (x3 over 3d)\tWarning\tGitOperationFailed     \tGitRepository/flux-system\tfailed to checkout     \t\n" +
        "3h             \tNormal \tReconciliationSucceeded\tKustomization/apps       \tReconciliation finished\t\n",
    );
  });

  it("--for Kind/name includes the referenced source; --types filters", async () => {
    const ns = await setup();
    const res = await flux("events", "--for", "Kustomization/apps", "-n", ns);
    expect(
      res.stdout
        .split("\n")
        .filter(Boolean)
        .map((l) => must(l.split("\t")[3], `a fourth column in: ${l}`).trim()),
    ).toEqual(["OBJECT", "GitRepository/flux-system", "Kustomization/apps"]);
    const warn = await flux("events", "--types", "warning", "-n", ns);
    expect(warn.stdout.split("\n").filter(Boolean)).toHaveLength(2);
    const kindOnly = await flux("events", "--for", "kustomization", "-n", ns);
    expect(kindOnly.stdout.split("\n").filter(Boolean)).toHaveLength(3);
  });

  it("-o json prints a List of the events, oldest first", async () => {
    const ns = await setup();
    const res = await flux("events", "-n", ns, "-o", "json");
    const list = JSON.parse(res.stdout) as { kind: string; items: { reason: string; kind: string }[] };
    expect(list.kind).toBe("List");
    expect(list.items.map((e) => e.reason)).toEqual(["Progressing", "GitOperationFailed", "ReconciliationSucceeded"]);
    expect(list.items[0]?.kind).toBe("Event");
  });

  it("-A adds NAMESPACE; nothing found and bad input are reported", async () => {
    const ns = await setup();
    const all = await flux("events", "-A", "--for", "Kustomization/apps", "-n", ns);
    expect(all.stdout.startsWith("NAMESPACE")).toBe(true);
    const kc = await testKubeConfig();
    const empty = await createNamespace(kc);
    expect(await flux("events", "-n", empty)).toMatchObject({
      code: 1,
      stdout: "",
      stderr: `✗ No events found in ${empty} namespace.\n`,
    });
    expect(await flux("events", "--types", "Error", "-n", ns)).toMatchObject({
      code: 1,
      stderr: "✗ type 'Error' not supported. Supported types are Normal, Warning\n",
    });
    expect(await flux("events", "--for", "Deployment/web", "-n", ns)).toMatchObject({
      code: 1,
      stderr: "✗ 'Deployment' is not a recognized Flux kind\n",
    });
    expect(await flux("events", "--for", "/x", "-n", ns)).toMatchObject({
      code: 1,
      stderr: "✗ --for selector must be of format <kind>[/<name>]\n",
    });
  });

  it("-w streams new events until the timeout", async () => {
    const ns = await setup();
    const run = flux("events", "-w", "-n", ns, "--timeout", "3s");
    await new Promise((r) => setTimeout(r, 1000));
    await record(ns, "e5", "HelmRelease", "podinfo", "InstallSucceeded", "installed", "Normal", 0);
    const res = await run;
    expect(res.code).toBe(0);
    const lines = res.stdout.split("\n").filter(Boolean);
    expect(lines[0]).toMatch(/^LAST SEEN\s*\tTYPE/);
    expect(lines.some((l) => l.includes("HelmRelease/podinfo"))).toBe(true);
    expect(lines.filter((l) => l.startsWith("LAST SEEN"))).toHaveLength(1);
  });
});
