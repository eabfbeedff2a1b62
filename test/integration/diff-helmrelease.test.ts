// `flux diff helmrelease` against a real API server: the release installed by the
// real helm (its release Secret is helm's own), the HelmRelease rendered from files,
// server-side dry-run per object, and what the deployed release has that the new
// rendering drops.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { applyYaml, createNamespace, deleteNamespace } from "../env/helpers.js";
import { runCli } from "../helpers/cli.js";
import { DEMO_CHART, helm } from "../support/helm-charts.js";

let kubeconfig: string;
let kc: KubeConfig;
let ns: string;
let dir: string;

function writeRelease(values: string): void {
  writeFileSync(
    path.join(dir, "apps", "release.yaml"),
    `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: ${ns}
spec:
  interval: 5m
  install:
    crds: Skip
  chart:
    spec:
      chart: ./charts/demo
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
  valuesFrom:
    - kind: Secret
      name: web-password
      valuesKey: password
      targetPath: password
  values:
${values
  .split("\n")
  .map((l) => `    ${l}`)
  .join("\n")}
---
apiVersion: v1
kind: Secret
metadata:
  name: web-password
  namespace: ${ns}
stringData:
  password: first-password
`,
  );
}

beforeAll(async () => {
  kubeconfig = inject("kubeconfig");
  kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  ns = await createNamespace(kc);
  dir = mkdtempSync(path.join(os.tmpdir(), "tsflux-it-diff-hr-"));
  mkdirSync(path.join(dir, "apps"));
  mkdirSync(path.join(dir, "charts"));
  execFileSync("git", ["init", "-q", dir]);
  execFileSync("cp", ["-r", DEMO_CHART, path.join(dir, "charts", "demo")]);
  writeRelease("replicaCount: 2");
});

afterAll(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (ns) await deleteNamespace(kc, ns);
});

const diff = (...extra: string[]) =>
  runCli([
    "diff",
    "helmrelease",
    "web",
    "--path",
    path.join(dir, "apps"),
    "--kubeconfig",
    kubeconfig,
    "-n",
    ns,
    "--progress-bar=false",
    ...extra,
  ]);

// The steps share one release and its live objects (created, then in sync, then
// drifted): they run in this order, also under --sequence.shuffle.
describe("flux diff helmrelease", { shuffle: false }, () => {
  it("reports every object as created before the release exists (in helm's install order), exit 1", async () => {
    const r = await diff();
    expect(r.stdout).toBe(
      `► Secret/${ns}/web-demo created\n► ConfigMap/${ns}/web-demo created\n► Service/${ns}/web-demo created\n► Deployment/${ns}/web-demo created\n`,
    );
    expect(r.stderr).toBe("⚠️ identified at least one change, exiting with non-zero exit code\n");
    expect(r.code).toBe(1);
  });

  it("exits 0 with no output when the cluster holds what the HelmRelease renders", async () => {
    // the real helm installs the release (and writes its release Secret) ...
    const values = path.join(dir, "values.json");
    writeFileSync(values, JSON.stringify({ replicaCount: 2, password: "first-password" }));
    await helm([
      "install",
      "web",
      path.join(dir, "charts", "demo"),
      "--namespace",
      ns,
      "--kubeconfig",
      kubeconfig,
      "-f",
      values,
      "--skip-crds",
      "--no-hooks",
    ]);
    // ... and helm-controller's post-render (origin labels) is applied on top, as it would install it
    const built = await runCli(["build", "helmrelease", "web", "-n", ns, "--path", path.join(dir, "apps")]);
    expect(built.code).toBe(0);
    await applyYaml(kc, built.stdout, ns);
    const r = await diff();
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("");
    expect(r.code).toBe(0);
  });

  it("reports drift field by field, masks Secret values and lists what the release would delete", async () => {
    writeRelease("replicaCount: 3\nservice:\n  enabled: false");
    writeFileSync(
      path.join(dir, "apps", "release.yaml"),
      (await import("node:fs"))
        .readFileSync(path.join(dir, "apps", "release.yaml"), "utf8")
        .replace("password: first-password", "password: second-password"),
    );
    const r = await diff();
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`► ConfigMap/${ns}/web-demo drifted

data.settings.txt
± value change in multiline text (one insert, one deletion)
- replicas=2
+ replicas=3
`);
    expect(r.stdout).toContain(`► Secret/${ns}/web-demo drifted`);
    expect(r.stdout).toContain(`► Deployment/${ns}/web-demo drifted

spec.replicas
± value change
- 2
+ 3
`);
    expect(r.stdout).toContain(`► Service/${ns}/web-demo deleted`);
    expect(r.stdout).not.toContain("second-password");
    expect(r.stdout).not.toContain("first-password");

    const md = await diff("-o", "markdown");
    expect(md.code).toBe(1);
    expect(md.stdout).toContain(`### Flux diff: HelmRelease ${ns}/web`);
    expect(md.stdout).not.toContain("password\n");
    const json = await diff("-o", "json");
    const report = JSON.parse(json.stdout) as { helmRelease: object; summary: Record<string, number> };
    expect(report.helmRelease).toEqual({ name: "web", namespace: ns });
    expect(report.summary).toMatchObject({ drifted: 3, deleted: 1, created: 0 });
    expect(json.stdout).not.toContain("second-password");
  });

  it("exits 2 with the reason when the HelmRelease cannot be rendered", async () => {
    const r = await runCli([
      "diff",
      "hr",
      "absent",
      "--path",
      path.join(dir, "apps"),
      "--kubeconfig",
      kubeconfig,
      "-n",
      ns,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`HelmRelease '${ns}/absent' not found in the files`);
  });
});
