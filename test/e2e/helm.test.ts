// A HelmRelease from a chart in a HelmRepository served over HTTP (a static
// index.yaml and chart .tgz): source-controller fetches the index and the chart,
// helm-controller installs, upgrades on reconcile --with-source and uninstalls on
// delete. (flux tree has no helmrelease subcommand upstream: Helm's release record is
// asserted instead.) Every assertion is on what the controllers did.
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, tryGetObject } from "../env/helpers.js";
import { makeTarGz } from "../fixtures/install/tar.js";
import { clusterAndNamespace, configMap, deployment, flux, fluxStatus, readyCondition } from "./support.js";

let kc: KubeConfig;
let ns: string;
let server: http.Server;
let base: string;
const files = new Map<string, Buffer>();
const versions: string[] = [];

/** A chart "demo" whose ConfigMap carries the chart version and a values message. */
function chart(version: string): Buffer {
  const dir = "demo";
  return makeTarGz([
    {
      name: `${dir}/Chart.yaml`,
      data: `apiVersion: v2\nname: demo\nversion: ${version}\nappVersion: "${version}"\ntype: application\n`,
    },
    { name: `${dir}/values.yaml`, data: "message: hello\nreplicas: 1\n" },
    {
      name: `${dir}/templates/configmap.yaml`,
      data: `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-config
data:
  message: {{ .Values.message | quote }}
  chart: {{ .Chart.Version | quote }}
`,
    },
    {
      name: `${dir}/templates/deployment.yaml`,
      data: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels: { app: {{ .Release.Name }} }
  template:
    metadata:
      labels: { app: {{ .Release.Name }} }
    spec:
      containers:
        - name: app
          image: ghcr.io/stefanprodan/podinfo:6.9.0
`,
    },
  ]);
}

/** Publishes a chart version: its .tgz and a regenerated index.yaml. */
function publish(version: string): void {
  const tgz = chart(version);
  files.set(`/demo-${version}.tgz`, tgz);
  versions.push(version);
  const digest = (v: string) =>
    createHash("sha256")
      .update(files.get(`/demo-${v}.tgz`)!)
      .digest("hex");
  const entries = [...versions]
    .reverse()
    .map(
      (v) => `  - apiVersion: v2
    name: demo
    version: ${v}
    appVersion: "${v}"
    type: application
    created: "2026-01-01T00:00:00Z"
    digest: ${digest(v)}
    urls:
      - ${base}/demo-${v}.tgz
`,
    )
    .join("");
  files.set(
    "/index.yaml",
    Buffer.from(`apiVersion: v1\nentries:\n  demo:\n${entries}generated: "2026-01-01T00:00:00Z"\n`),
  );
}

beforeAll(async () => {
  ({ kc, ns } = await clusterAndNamespace("e2e-helm"));
  server = http.createServer((req, res) => {
    const body = files.get(req.url ?? "");
    if (!body) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "Content-Length": body.length }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  publish("0.1.0");
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
});

describe("HelmRelease from a HelmRepository with the real helm-controller", () => {
  it("installs, gets, upgrades with --with-source, traces and uninstalls", async () => {
    const repo = await flux("create", "source", "helm", "charts", `--url=${base}`, "--interval=10m", "-n", ns);
    expect(repo.stderr).toMatch(/✔ fetched revision: sha256:[0-9a-f]{64}/);
    expect(repo.code).toBe(0);

    const created = await flux(
      "create",
      "helmrelease",
      "demo",
      "--source=HelmRepository/charts",
      "--chart=demo",
      "--chart-version=0.x",
      "--interval=10m",
      "--timeout=2m",
      "-n",
      ns,
    );
    expect(created.stderr).toContain("✔ applied revision 0.1.0");
    expect(created.code).toBe(0);
    // helm-controller installed the chart: its objects and Helm's release record.
    expect(await configMap(kc, ns, "demo-config")).toEqual({ message: "hello", chart: "0.1.0" });
    expect((await deployment(kc, ns, "demo")).status).toMatchObject({ readyReplicas: 1 });
    const release = await tryGetObject(kc, {
      group: "",
      version: "v1",
      plural: "secrets",
      namespace: ns,
      name: "sh.helm.release.v1.demo.v1",
    });
    expect(release?.type).toBe("helm.sh/release.v1");
    const chartStatus = await fluxStatus(kc, "HelmChart", ns, `${ns}-demo`);
    expect(chartStatus.artifact?.revision).toBe("0.1.0");

    const get = await flux("get", "helmreleases", "-n", ns);
    expect(get.code).toBe(0);
    expect(get.stdout.split("\n")[1]).toMatch(/^demo\s+0\.1\.0\s+False\s+True\s+Helm install succeeded/);

    // A new chart version: HelmRepository, then HelmChart, then HelmRelease (upstream's order).
    publish("0.2.0");
    const rec = await flux("reconcile", "helmrelease", "demo", "--with-source", "-n", ns);
    expect(rec.code).toBe(0);
    const order = ["HelmRepository", "HelmChart", "HelmRelease"].map((k) => rec.stderr.indexOf(`annotating ${k} `));
    expect(
      order.every((i) => i >= 0),
      rec.stderr,
    ).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(rec.stderr).toContain("✔ applied revision 0.2.0");
    expect(await configMap(kc, ns, "demo-config")).toEqual({ message: "hello", chart: "0.2.0" });
    expect(readyCondition(await fluxStatus(kc, "HelmRelease", ns, "demo"))?.reason).toBe("UpgradeSucceeded");

    const trace = await flux("trace", "demo-config", "--kind=ConfigMap", "--api-version=v1", "-n", ns);
    expect(trace.code).toBe(0);
    expect(trace.stdout).toMatch(/HelmRelease:\s+demo\n/);
    expect(trace.stdout).toMatch(/HelmRepository:\s+charts\n/);

    const del = await flux("delete", "helmrelease", "demo", "--silent", "-n", ns);
    expect(del.code).toBe(0);
    // helm-controller uninstalls: the chart's objects go away.
    await eventually(
      async () =>
        !(await tryGetObject(kc, {
          group: "",
          version: "v1",
          plural: "configmaps",
          namespace: ns,
          name: "demo-config",
        })),
      60_000,
      250,
    );
  });
});
