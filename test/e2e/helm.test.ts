// HelmReleases with the real helm-controller. A HelmRepository served over HTTP (the
// demo chart packaged and indexed by the real helm): create source helm, create
// helmrelease waiting Ready, an upgrade through values, a new chart version reached by
// reconcile --with-source (HelmRepository, then HelmChart, then HelmRelease, as
// upstream does), get, trace, suspend and resume, a failing release reported with
// helm-controller's message, uninstall on delete. Then OCI: an artifact pushed to the
// docker-registry feeding a Kustomization through an OCIRepository, and a HelmRelease
// whose chartRef is an OCIRepository holding a chart pushed with helm.
// Every assertion is on what the controllers did; no test writes a status.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyYaml, eventually, fluxRef, getObject, tryGetObject } from "../env/helpers.js";
import { startRegistry, type TestRegistry } from "../env/registry.js";
import { chartRepository, helm } from "../support/helm-charts.js";
import { startStaticServer, type StaticServer } from "../support/static-server.js";
import {
  appFiles,
  clusterAndNamespace,
  configMap,
  deployment,
  flux,
  fluxStatus,
  readyCondition,
} from "../support/e2e.js";
import { must } from "../support/must.js";
import { stopAfterAll } from "../support/teardown.js";

let kc: KubeConfig;
let ns: string;
let work: string;
let charts: StaticServer;
let registry: TestRegistry;
const repoDir = () => path.join(work, "repo");

const stopLater = stopAfterAll();

beforeAll(async () => {
  ({ kc, ns } = await clusterAndNamespace("e2e-helm"));
  work = await mkdtemp(path.join(os.tmpdir(), "tsflux-e2e-helm-"));
  await chartRepository(repoDir(), ["1.0.0"]);
  charts = stopLater(await startStaticServer(repoDir()));
  registry = stopLater(await startRegistry());
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** Helm's release record of `name`, revision `n`, as helm-controller stored it. */
async function releaseSecret(name: string, n: number) {
  return await tryGetObject(kc, {
    group: "",
    version: "v1",
    plural: "secrets",
    namespace: ns,
    name: `sh.helm.release.v1.${name}.v${n}`,
  });
}

async function valuesFile(name: string, text: string): Promise<string> {
  const file = path.join(work, name);
  await writeFile(file, text);
  return file;
}

describe("HelmRelease from a HelmRepository with the real helm-controller", () => {
  it("create source helm and create helmrelease: helm-controller installs the chart with the given values", async () => {
    const repo = await flux("create", "source", "helm", "charts", `--url=${charts.url}`, "--interval=10m", "-n", ns);
    expect(repo.stderr).toMatch(/✔ fetched revision: sha256:[0-9a-f]{64}\n/);
    expect(repo.code).toBe(0);
    expect(charts.requests).toContain("/index.yaml");

    const values = await valuesFile("v1.yaml", "config:\n  greeting: hi\n");
    const created = await flux(
      "create",
      "helmrelease",
      "demo",
      "--source=HelmRepository/charts",
      "--chart=demo",
      "--chart-version=1.x",
      `--values=${values}`,
      "--interval=10m",
      "--timeout=3m",
      "-n",
      ns,
    );
    expect(created.stderr).toContain("◎ waiting for HelmRelease reconciliation");
    expect(created.stderr).toContain("✔ applied revision 1.0.0");
    expect(created.code).toBe(0);
    // source-controller pulled the chart; helm-controller installed it: its objects and Helm's record.
    expect(charts.requests).toContain("/demo-1.0.0.tgz");
    expect((await fluxStatus(kc, "HelmChart", ns, `${ns}-demo`)).artifact?.revision).toBe("1.0.0");
    expect(await configMap(kc, ns, "demo")).toMatchObject({ GREETING: "hi" });
    expect((await deployment(kc, ns, "demo")).status).toMatchObject({ readyReplicas: 1 });
    expect((await releaseSecret("demo", 1))?.type).toBe("helm.sh/release.v1");
    const hr = await fluxStatus(kc, "HelmRelease", ns, "demo");
    expect(readyCondition(hr)).toMatchObject({ status: "True", reason: "InstallSucceeded" });

    const get = await flux("get", "helmreleases", "-n", ns);
    expect(get.code).toBe(0);
    expect(get.stdout.split("\n")[0]).toMatch(/^NAME\s+REVISION\s+SUSPENDED\s+READY\s+MESSAGE\s*$/);
    expect(get.stdout.split("\n")[1]).toMatch(
      /^demo\s+1\.0\.0\s+False\s+True\s+Helm install succeeded for release .*demo\.v1 with chart demo@1\.0\.0/,
    );
    const sources = await flux("get", "sources", "chart", "-n", ns);
    expect(sources.stdout).toMatch(new RegExp(`^${ns}-demo\\s+1\\.0\\.0\\s+False\\s+True\\s+pulled 'demo' chart`, "m"));

    const trace = await flux("trace", "demo", "--kind=ConfigMap", "--api-version=v1", "-n", ns);
    expect(trace.code).toBe(0);
    expect(trace.stdout).toMatch(/HelmRelease:\s+demo\n/);
    expect(trace.stdout).toMatch(/Revision:\s+1\.0\.0\n/);
    expect(trace.stdout).toMatch(/HelmRepository:\s+charts\n/);
    expect(trace.stdout).toContain(`URL:            ${charts.url}`);
  });

  it("an upgrade through new values: create helmrelease again, helm-controller upgrades", async () => {
    const values = await valuesFile("v2.yaml", "config:\n  greeting: bonjour\nreplicaCount: 2\n");
    const upgraded = await flux(
      "create",
      "helmrelease",
      "demo",
      "--source=HelmRepository/charts",
      "--chart=demo",
      "--chart-version=1.x",
      `--values=${values}`,
      "--interval=10m",
      "--timeout=3m",
      "-n",
      ns,
    );
    expect(upgraded.stderr).toContain("✔ applied revision 1.0.0");
    expect(upgraded.code).toBe(0);
    expect(await configMap(kc, ns, "demo")).toMatchObject({ GREETING: "bonjour" });
    expect((await deployment(kc, ns, "demo")).status).toMatchObject({ readyReplicas: 2 });
    expect((await releaseSecret("demo", 2))?.type).toBe("helm.sh/release.v1");
    expect(readyCondition(await fluxStatus(kc, "HelmRelease", ns, "demo"))?.reason).toBe("UpgradeSucceeded");
  });

  it("reconcile helmrelease --with-source: HelmRepository, then HelmChart, then HelmRelease reach a new chart version", async () => {
    await chartRepository(repoDir(), ["1.0.0", "1.1.0"]);
    const before = await getObject(kc, fluxRef("HelmRelease", ns, "demo"));
    const rec = await flux("reconcile", "helmrelease", "demo", "--with-source", "--force", "--reset", "-n", ns);
    expect(rec.code).toBe(0);
    const index = must(
      (await fluxStatus(kc, "HelmRepository", ns, "charts")).artifact,
      "the HelmRepository's artifact",
    ).revision;
    expect(rec.stderr).toBe(
      `► annotating HelmRepository charts in ${ns} namespace\n✔ HelmRepository annotated\n◎ waiting for HelmRepository reconciliation\n✔ fetched revision ${index}\n` +
        `► annotating HelmChart ${ns}-demo in ${ns} namespace\n✔ HelmChart annotated\n◎ waiting for HelmChart reconciliation\n✔ pulled 'demo' chart with version '1.1.0'\n` +
        `► annotating HelmRelease demo in ${ns} namespace\n✔ HelmRelease annotated\n◎ waiting for HelmRelease reconciliation\n✔ applied revision 1.1.0\n`,
    );
    expect(charts.requests).toContain("/demo-1.1.0.tgz");
    // helm-controller handled the force and reset requests tsflux annotated.
    const after = await getObject(kc, fluxRef("HelmRelease", ns, "demo"));
    const requested = after.metadata.annotations ?? {};
    expect(requested["reconcile.fluxcd.io/requestedAt"]).not.toBe(
      before.metadata.annotations?.["reconcile.fluxcd.io/requestedAt"],
    );
    expect(requested["reconcile.fluxcd.io/forceAt"]).toBe(requested["reconcile.fluxcd.io/requestedAt"]);
    expect(after.status).toMatchObject({
      lastHandledReconcileAt: requested["reconcile.fluxcd.io/requestedAt"],
      lastHandledForceAt: requested["reconcile.fluxcd.io/forceAt"],
      lastHandledResetAt: requested["reconcile.fluxcd.io/resetAt"],
    });
    expect(await configMap(kc, ns, "demo")).toMatchObject({ GREETING: "bonjour" });
    const history = (after.status as { history?: { chartVersion: string }[] }).history ?? [];
    expect(history[0]?.chartVersion).toBe("1.1.0");

    // reconcile source chart --with-source: the HelmRepository first, then the chart.
    const chart = await flux("reconcile", "source", "chart", `${ns}-demo`, "--with-source", "-n", ns);
    expect(chart.code).toBe(0);
    expect(chart.stderr.match(/► annotating \w+/g)).toEqual(["► annotating HelmRepository", "► annotating HelmChart"]);
    expect(chart.stderr).toContain("✔ pulled 'demo' chart with version '1.1.0'\n");
  });

  it("suspend stops reconciliation and resume restarts it", async () => {
    const suspended = await flux("suspend", "helmrelease", "demo", "-n", ns);
    expect(suspended.code).toBe(0);
    expect(suspended.stderr).toContain("✔ helmrelease suspended");
    expect((await getObject(kc, fluxRef("HelmRelease", ns, "demo"))).spec).toMatchObject({ suspend: true });
    const get = await flux("get", "helmreleases", "demo", "-n", ns);
    expect(get.stdout.split("\n")[1]).toMatch(/^demo\s+1\.1\.0\s+True\s+True\s/);
    const refused = await flux("reconcile", "helmrelease", "demo", "-n", ns);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^✗ resource is suspended/m);

    const resumed = await flux("resume", "helmrelease", "demo", "-n", ns);
    expect(resumed.stderr).toBe(
      `► resuming helmrelease demo in ${ns} namespace\n✔ helmrelease resumed\n◎ waiting for HelmRelease reconciliation\n` +
        "✔ HelmRelease demo reconciliation completed\n✔ applied revision 1.1.0\n",
    );
    expect(resumed.code).toBe(0);
    // helm-controller handled resume's reconcile request.
    const hr = await getObject(kc, fluxRef("HelmRelease", ns, "demo"));
    expect((hr.status as { lastHandledReconcileAt?: string }).lastHandledReconcileAt).toBe(
      hr.metadata.annotations?.["reconcile.fluxcd.io/requestedAt"],
    );
  });

  it("a chartRef to a HelmChart: reconcile --with-source reconciles the HelmRepository, the HelmChart, then the release", async () => {
    const chart = await flux(
      "create",
      "source",
      "chart",
      "demo-pinned",
      "--source=HelmRepository/charts",
      "--chart=demo",
      "--chart-version=1.0.0",
      "--interval=10m",
      "-n",
      ns,
    );
    expect(chart.stderr).toContain("✔ fetched revision: 1.0.0\n");
    expect(chart.code).toBe(0);
    const created = await flux(
      "create",
      "helmrelease",
      "pinned",
      "--chart-ref=HelmChart/demo-pinned",
      "--interval=10m",
      "--timeout=3m",
      "-n",
      ns,
    );
    expect(created.stderr).toContain("✔ applied revision 1.0.0\n");
    expect(created.code).toBe(0);
    expect(await configMap(kc, ns, "pinned-demo")).toMatchObject({ GREETING: "hello" });
    const rec = await flux("reconcile", "helmrelease", "pinned", "--with-source", "-n", ns);
    expect(rec.code).toBe(0);
    expect(rec.stderr.match(/► annotating \w+ \S+/g)).toEqual([
      "► annotating HelmRepository charts",
      "► annotating HelmChart demo-pinned",
      "► annotating HelmRelease pinned",
    ]);
    expect(rec.stderr).toContain("✔ applied revision 1.0.0\n");
  });

  it("a failing release: create helmrelease fails with helm-controller's message", async () => {
    // A Service port that is not a number: the API server refuses Helm's install.
    const values = await valuesFile("bad.yaml", "service:\n  port: not-a-port\n");
    const bad = await flux(
      "create",
      "helmrelease",
      "broken",
      "--source=HelmRepository/charts",
      "--chart=demo",
      `--values=${values}`,
      "--interval=10m",
      "--timeout=90s",
      "-n",
      ns,
    );
    expect(bad.code).toBe(1);
    const ready = must(
      readyCondition(await fluxStatus(kc, "HelmRelease", ns, "broken")),
      "HelmRelease broken's Ready condition",
    );
    expect(ready).toMatchObject({ status: "False", reason: "InstallFailed" });
    expect(ready.message).toMatch(/^Helm install failed for release .*broken.* with chart demo@1\.1\.0/);
    // helm-controller gave up (Stalled) and said why (Ready): the ✗ line names both.
    const stalled = must(
      (await fluxStatus(kc, "HelmRelease", ns, "broken")).conditions?.find((c) => c.type === "Stalled"),
      "HelmRelease broken's Stalled condition",
    );
    expect(stalled).toMatchObject({ status: "True", message: "Failed to install after 1 attempt(s)" });
    expect(bad.stderr.slice(bad.stderr.indexOf("✗ "))).toBe(`✗ ${stalled.message}: ${ready.message}\n`);
    expect(await releaseSecret("broken", 1)).toMatchObject({ type: "helm.sh/release.v1" });

    // Suspended and resumed, it still fails: resume's wait reports helm-controller's messages.
    expect((await flux("suspend", "helmrelease", "broken", "-n", ns)).code).toBe(0);
    const resumed = await flux("resume", "helmrelease", "broken", "--timeout=90s", "-n", ns);
    expect(resumed.code).toBe(1);
    const after = await fluxStatus(kc, "HelmRelease", ns, "broken");
    const messages = ["Stalled", "Ready"].map((t) => after.conditions?.find((c) => c.type === t)?.message);
    expect(resumed.stderr).toContain(`✗ HelmRelease reconciliation failed: '${messages.join(": ")}'\n`);
  });

  it("delete helmrelease: helm-controller uninstalls the release", async () => {
    const del = await flux("delete", "helmrelease", "demo", "--silent", "-n", ns);
    expect(del.code).toBe(0);
    const cmRef = { group: "", version: "v1", plural: "configmaps", namespace: ns, name: "demo" };
    await eventually(async () => !(await tryGetObject(kc, cmRef)), 60_000, 250);
    expect(await releaseSecret("demo", 3)).toBeUndefined();
    expect(await tryGetObject(kc, fluxRef("HelmRelease", ns, "demo"))).toBeUndefined();
  });
});

describe("OCIRepository from the docker-registry with the real controllers", () => {
  it("an artifact pushed by tsflux feeds a Kustomization through an OCIRepository", async () => {
    const src = path.join(work, "oci-app");
    for (const [file, text] of Object.entries(appFiles("from-oci", "."))) {
      await mkdir(path.dirname(path.join(src, file)), { recursive: true });
      await writeFile(path.join(src, file), text);
    }
    const url = `oci://${registry.host}/apps/${ns}`;
    const push = await flux(
      "push",
      "artifact",
      `${url}:v1`,
      `--path=${src}`,
      "--source=e2e",
      "--revision=v1@sha1:1",
      "--insecure-registry",
    );
    expect(push.code).toBe(0);
    const digest = push.stderr.match(/artifact successfully pushed to .*@(sha256:[0-9a-f]{64})/)?.[1] ?? "";
    expect(digest, push.stderr).toMatch(/^sha256:/);

    const oci = await flux(
      "create",
      "source",
      "oci",
      "app",
      `--url=${url}`,
      "--tag=v1",
      "--insecure",
      "--interval=10m",
      "-n",
      ns,
    );
    expect(oci.stderr).toContain(`✔ fetched revision: v1@${digest}`);
    expect(oci.code).toBe(0);
    const ks = await flux(
      "create",
      "kustomization",
      "oci-app",
      "--source=OCIRepository/app",
      "--path=./",
      `--target-namespace=${ns}`,
      "--prune=true",
      "--wait=true",
      "--interval=10m",
      "--timeout=3m",
      "-n",
      ns,
    );
    expect(ks.stderr).toContain(`✔ applied revision v1@${digest}`);
    expect(ks.code).toBe(0);
    expect(await configMap(kc, ns, "app-config")).toEqual({ message: "from-oci" });

    const get = await flux("get", "sources", "oci", "app", "-n", ns);
    expect(get.stdout.split("\n")[1]).toMatch(
      // The table shortens the digest to 8 hex characters, as upstream does.
      new RegExp(`^app\\s+v1@${digest.slice(0, "sha256:".length + 8)}\\s+False\\s+True\\s+stored artifact`),
    );
    const tree = await flux("tree", "kustomization", "oci-app", "-n", ns);
    expect(tree.code).toBe(0);
    expect(tree.stdout).toContain("Deployment/" + ns + "/app");
    expect(tree.stdout).toContain("ConfigMap/" + ns + "/app-config");

    // A new tag: reconcile --with-source reconciles the OCIRepository, then applies it.
    await writeFile(
      path.join(src, "configmap.yaml"),
      must(appFiles("from-oci-v2", ".")["./configmap.yaml"], "the app's configmap.yaml"),
    );
    const push2 = await flux(
      "push",
      "artifact",
      `${url}:v1`,
      `--path=${src}`,
      "--source=e2e",
      "--revision=v1@sha1:2",
      "--insecure-registry",
    );
    expect(push2.code).toBe(0);
    const rec = await flux("reconcile", "kustomization", "oci-app", "--with-source", "-n", ns);
    expect(rec.code).toBe(0);
    expect(rec.stderr.match(/► annotating \w+/g)).toEqual(["► annotating OCIRepository", "► annotating Kustomization"]);
    expect(await configMap(kc, ns, "app-config")).toEqual({ message: "from-oci-v2" });
  });

  it("a HelmRelease whose chartRef is an OCIRepository holding a chart pushed with helm", async () => {
    const [tgz] = await chartRepository(path.join(work, "oci-chart"), ["2.0.0"]);
    await helm(["push", must(tgz, "the packaged chart 2.0.0"), `oci://${registry.host}/charts`, "--plain-http"]);
    // create source oci has no layer selector (upstream neither): a chart needs Helm's layer copied.
    await applyYaml(
      kc,
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata: {name: demo-chart, namespace: ${ns}}
spec:
  interval: 10m
  url: oci://${registry.host}/charts/demo
  ref: {tag: 2.0.0}
  insecure: true
  layerSelector: {mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip, operation: copy}
`,
    );
    const created = await flux(
      "create",
      "helmrelease",
      "oci-demo",
      "--chart-ref=OCIRepository/demo-chart",
      "--interval=10m",
      "--timeout=3m",
      "-n",
      ns,
    );
    // helm-controller versions a chart from an OCIRepository with the artifact's digest.
    const artifact = must(
      (await fluxStatus(kc, "OCIRepository", ns, "demo-chart")).artifact,
      "the OCIRepository's artifact",
    );
    expect(artifact.revision).toMatch(/^2\.0\.0@sha256:[0-9a-f]{64}$/);
    const version = `2.0.0+${artifact.revision.slice("2.0.0@sha256:".length, "2.0.0@sha256:".length + 12)}`;
    expect(created.stderr).toContain(`✔ applied revision ${version}\n`);
    expect(created.code).toBe(0);
    expect(await configMap(kc, ns, "oci-demo")).toMatchObject({ GREETING: "hello" });

    // upstream: a chartRef to an OCIRepository reconciles the OCIRepository, then the release.
    const rec = await flux("reconcile", "helmrelease", "oci-demo", "--with-source", "-n", ns);
    expect(rec.code).toBe(0);
    expect(rec.stderr.match(/► annotating \w+/g)).toEqual(["► annotating OCIRepository", "► annotating HelmRelease"]);
    expect(rec.stderr).toContain(`✔ fetched revision ${artifact.revision}\n`);
    expect(rec.stderr).toContain(`✔ applied revision ${version}\n`);
  });
});
