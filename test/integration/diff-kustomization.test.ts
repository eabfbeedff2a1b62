// `flux diff kustomization` against a real API server: server-side dry-run
// apply of the build, compared with live objects, plus the inventory.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  ContentType,
  createNamespace,
  fluxRef,
  kubeRequest,
  refFor,
  resourcePath,
  setInventory,
  applyYaml,
  type KubeObject,
} from "../env/helpers.js";
import { runCli } from "../helpers/cli.js";

/** One object of `diff kustomization -o json`, as scripts read it. */
interface JsonObjectDiff {
  name: string;
  action: string;
  changes?: Record<string, unknown>[];
  before?: { data: Record<string, string> };
  after?: { data: Record<string, string> };
  nested?: JsonDiffReport;
}

/** The `diff kustomization -o json` report. */
interface JsonDiffReport {
  summary: Record<string, number>;
  objects: JsonObjectDiff[];
}

let kubeconfig: string;
let kc: KubeConfig;
let ns: string;
let dir: string;

const config = Array.from({ length: 60 }, (_, i) => `line ${i}`).join("\n");

function writeManifests(configText: string, password: string): void {
  writeFileSync(
    path.join(dir, "apps", "resources.yaml"),
    `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  app.conf: |
${configText
  .split("\n")
  .map((l) => `    ${l}`)
  .join("\n")}
---
apiVersion: v1
kind: Secret
metadata:
  name: app-secret
stringData:
  password: ${password}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.25
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: manual
  annotations:
    kustomize.toolkit.fluxcd.io/reconcile: disabled
data:
  a: b
`,
  );
}

/** Applies the build like kustomize-controller would (its field manager). */
async function applyAsController(yamlText: string): Promise<void> {
  const { parseAllDocuments } = await import("yaml");
  for (const doc of parseAllDocuments(yamlText)) {
    const obj = doc.toJS() as KubeObject | null;
    if (!obj) continue;
    const ref = await refFor(kc, obj, ns);
    await kubeRequest(kc, "PATCH", resourcePath(ref), {
      body: obj,
      contentType: ContentType.ApplyPatch,
      query: { fieldManager: "kustomize-controller", force: true },
    });
  }
}

beforeAll(async () => {
  kubeconfig = inject("kubeconfig");
  kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  ns = await createNamespace(kc);
  dir = mkdtempSync(path.join(os.tmpdir(), "tsflux-it-diff-"));
  mkdirSync(path.join(dir, "apps"));
  writeManifests(config, "first-password");
  await applyYaml(
    kc,
    `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
spec:
  interval: 10m
  path: ./apps
  prune: true
  targetNamespace: ${ns}
  sourceRef:
    kind: GitRepository
    name: repo
`,
    ns,
  );
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const diff = (...extra: string[]) =>
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
    ...extra,
  ]);

// The steps share one Kustomization and its live objects (created, then in sync, then
// drifted, then the same drift as JSON and Markdown): they run in this order.
describe("flux diff kustomization", { shuffle: false }, () => {
  it("reports objects that would be created, exit 1", async () => {
    const r = await diff();
    expect(r.stdout).toBe(
      `► ConfigMap/${ns}/app-config created\n► Secret/${ns}/app-secret created\n► Deployment/${ns}/web created\n` +
        // reconcile: disabled, as upstream reports it (its subject from the built object: none is live)
        `► ConfigMap/${ns}/manual skipped\n`,
    );
    expect(r.stderr).toBe("⚠️ identified at least one change, exiting with non-zero exit code\n");
    expect(r.code).toBe(1);
  });

  it("reports nothing and exits 0 when the cluster matches the build", async () => {
    const built = await runCli([
      "build",
      "ks",
      "apps",
      "--path",
      path.join(dir, "apps"),
      "--kubeconfig",
      kubeconfig,
      "-n",
      ns,
    ]);
    expect(built.code).toBe(0);
    await applyAsController(built.stdout);
    await setInventory(kc, fluxRef("Kustomization", ns, "apps"), [
      { namespace: ns, name: "app-config", kind: "ConfigMap" },
      { namespace: ns, name: "app-secret", kind: "Secret" },
      { namespace: ns, name: "web", group: "apps", kind: "Deployment" },
    ]);
    const r = await diff();
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(`► ConfigMap/${ns}/manual skipped\n`);
    expect(r.code).toBe(0);
  });

  it("reports drift field by field, masks Secret values and lists what pruning would delete", async () => {
    writeManifests(config.replace("line 42", "line 42 changed"), "second-password");
    writeFileSync(
      path.join(dir, "apps", "resources.yaml"),
      (await import("node:fs"))
        .readFileSync(path.join(dir, "apps", "resources.yaml"), "utf8")
        .replace("replicas: 2", "replicas: 3"),
    );
    await setInventory(kc, fluxRef("Kustomization", ns, "apps"), [
      { namespace: ns, name: "app-config", kind: "ConfigMap" },
      { namespace: ns, name: "app-secret", kind: "Secret" },
      { namespace: ns, name: "web", group: "apps", kind: "Deployment" },
      { namespace: ns, name: "old-service", kind: "Service" },
    ]);
    const r = await diff();
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`► ConfigMap/${ns}/app-config drifted

data.app.conf
± value change in multiline text (one insert, one deletion)
- line 42
+ line 42 changed


► Secret/${ns}/app-secret drifted

data.password
± value change
- *** (before)
+ *** (after)

► Deployment/${ns}/web drifted

spec.replicas
± value change
- 2
+ 3

► ConfigMap/${ns}/manual skipped
► Service/${ns}/old-service deleted
`);
    for (const secret of [
      "first-password",
      "second-password",
      Buffer.from("first-password").toString("base64"),
      Buffer.from("second-password").toString("base64"),
    ]) {
      expect(r.stdout).not.toContain(secret);
    }
  });

  it("prints one JSON record per object with changed paths and masked Secrets", async () => {
    const r = await diff("-o", "json");
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as JsonDiffReport;
    expect(report.summary).toEqual({ created: 0, drifted: 3, deleted: 1, unchanged: 0, skipped: 1 });
    const byName = Object.fromEntries(report.objects.map((o) => [o.name, o]));
    expect(byName["web"]?.changes).toEqual([
      { path: "spec.replicas", pointer: "/spec/replicas", type: "modified", before: 2, after: 3 },
    ]);
    expect(byName["app-secret"]?.before?.data.password).toBe("*** (before)");
    expect(byName["app-secret"]?.after?.data.password).toBe("*** (after)");
    expect(byName["manual"]?.action).toBe("skipped");
    expect(byName["old-service"]).toMatchObject({ action: "deleted", kind: "Service", apiVersion: "v1" });
    expect(r.stdout).not.toContain("second-password");
  });

  it("prints Markdown with the changed line of a large value only", async () => {
    const r = await diff("-o", "markdown");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`| 🟡 drifted | ConfigMap | ${ns} | app-config | 1 |`);
    expect(r.stdout).toContain("-    line 42\n+    line 42 changed\n");
    expect(r.stdout).not.toContain("line 10\n");
    expect(r.stdout).toContain("**0 created, 3 drifted, 1 deleted, 0 unchanged, 1 skipped**");
  });

  it("reports objects in a namespace the same apply creates as created", async () => {
    const fresh = `${ns}-new`;
    const newDir = path.join(dir, "newns");
    mkdirSync(newDir);
    writeFileSync(
      path.join(newDir, "all.yaml"),
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${fresh}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inside\n  namespace: ${fresh}\ndata:\n  a: b\n`,
    );
    await applyYaml(
      kc,
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: newns\nspec:\n  interval: 10m\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: repo\n`,
      ns,
    );
    const r = await runCli([
      "diff",
      "ks",
      "newns",
      "--path",
      newDir,
      "--kubeconfig",
      kubeconfig,
      "-n",
      ns,
      "--progress-bar=false",
    ]);
    expect(r.stderr).toBe("⚠️ identified at least one change, exiting with non-zero exit code\n");
    expect(r.stdout).toBe(`► Namespace/${fresh} created\n► ConfigMap/${fresh}/inside created\n`);
    expect(r.code).toBe(1);
  });

  it("diffs nested Kustomizations with --recursive and --local-sources", async () => {
    const repo = path.join(dir, "repo");
    mkdirSync(path.join(repo, "root"), { recursive: true });
    mkdirSync(path.join(repo, "child"));
    writeFileSync(
      path.join(repo, "root", "child-ks.yaml"),
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: child\n  namespace: ${ns}\nspec:\n  interval: 10m\n  path: ./child\n  prune: true\n  targetNamespace: ${ns}\n  sourceRef:\n    kind: GitRepository\n    name: repo\n`,
    );
    writeFileSync(
      path.join(repo, "child", "cm.yaml"),
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: child-cm\ndata:\n  a: b\n",
    );
    await applyYaml(
      kc,
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: root\nspec:\n  interval: 10m\n  path: ./root\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: repo\n`,
      ns,
    );
    const args = [
      "diff",
      "ks",
      "root",
      "--path",
      path.join(repo, "root"),
      "--kubeconfig",
      kubeconfig,
      "-n",
      ns,
      "--progress-bar=false",
    ];
    const recursive = [...args, "--recursive", "--local-sources", `GitRepository/${ns}/repo=${repo}`];
    // a Kustomization the diff would create has nothing live to be compared with: not descended into
    const r = await runCli(recursive);
    expect(r.stdout).toBe(`► Kustomization/${ns}/child created\n`);
    expect(r.code).toBe(1);
    // once it exists, its own objects are diffed against its own inventory, under its line
    await applyYaml(kc, readFileSync(path.join(repo, "root", "child-ks.yaml"), "utf8"), ns, "kustomize-controller");
    const nested = await runCli(recursive);
    expect(nested.stdout).toBe(
      `► Kustomization/${ns}/child drifted\n\nmetadata\n+ one map entry added:\n  labels:\n` +
        `    kustomize.toolkit.fluxcd.io/name: root\n    kustomize.toolkit.fluxcd.io/namespace: ${ns}\n\n` +
        `📁 Kustomization/${ns}/child changed\n► ConfigMap/${ns}/child-cm created\n`,
    );
    expect(nested.code).toBe(1);
    expect(nested.stderr).toBe("⚠️ identified at least one change, exiting with non-zero exit code\n");
    const json = JSON.parse((await runCli([...recursive, "-o", "json"])).stdout) as JsonDiffReport;
    expect(json.objects[0]?.nested?.objects).toMatchObject([
      { action: "created", subject: `ConfigMap/${ns}/child-cm` },
    ]);
    // without --recursive only the Kustomization object itself
    const flat = await runCli(args);
    expect(flat.stdout).not.toContain("📁");
    expect(flat.stdout).not.toContain("child-cm");
    // applied to another cluster: not diffed
    writeFileSync(
      path.join(repo, "root", "child-ks.yaml"),
      readFileSync(path.join(repo, "root", "child-ks.yaml"), "utf8") +
        "  kubeConfig:\n    secretRef:\n      name: remote\n",
    );
    const remote = await runCli(recursive);
    expect(remote.stdout).toContain(`⚠️ Kustomization/${ns}/child skipped: diff not supported for remote clusters\n`);
    expect(remote.stdout).not.toContain("child-cm");
  });

  it("uses a local Kustomization file with the cluster's inventory", async () => {
    const file = path.join(dir, "apps-local.yaml");
    writeFileSync(
      file,
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: ${ns}\nspec:\n  interval: 10m\n  prune: true\n  targetNamespace: ${ns}\n  commonMetadata:\n    labels:\n      team: blue\n  sourceRef:\n    kind: GitRepository\n    name: repo\n`,
    );
    const r = await diff("--kustomization-file", file, "-o", "json");
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as JsonDiffReport;
    const web = report.objects.find((o) => o.name === "web");
    expect(web?.changes?.[0]).toMatchObject({ path: "metadata.labels", type: "added", after: { team: "blue" } });
    expect(report.objects.find((o) => o.name === "old-service")?.action).toBe("deleted");
  });

  it("compares SOPS-encrypted Secrets by keys only", async () => {
    const sopsDir = path.join(dir, "sops");
    mkdirSync(sopsDir);
    const secret = (keys: string[]) =>
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: ${ns}\ndata:\n${keys
        .map((k) => `  ${k}: ENC[AES256_GCM,data:eHg=,iv:aXY=,tag:dGFn,type:str]\n`)
        .join("")}sops:\n  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\n  version: 3.8.1\n`;
    await applyYaml(
      kc,
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: ${Buffer.from("live-password").toString("base64")}\n`,
      ns,
    );
    await applyYaml(
      kc,
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: sops\nspec:\n  interval: 10m\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: repo\n`,
      ns,
    );
    const run = () =>
      runCli(["diff", "ks", "sops", "--path", sopsDir, "--kubeconfig", kubeconfig, "-n", ns, "--progress-bar=false"]);
    writeFileSync(path.join(sopsDir, "secret.yaml"), secret(["password"]));
    const same = await run();
    expect(same.stdout).toBe("");
    expect(same.code).toBe(0);
    writeFileSync(path.join(sopsDir, "secret.yaml"), secret(["password", "username"]));
    const more = await run();
    expect(more.code).toBe(1);
    expect(more.stdout).toContain(`► Secret/${ns}/db drifted`);
    expect(more.stdout).toBe(
      `► Secret/${ns}/db drifted\n\ndata\n+ one map entry added:\n  username: "*****"\n\n` +
        `metadata\n+ one map entry added:\n  labels:\n    kustomize.toolkit.fluxcd.io/name: sops\n    kustomize.toolkit.fluxcd.io/namespace: ${ns}\n\n`,
    );
    expect(more.stdout).not.toContain(Buffer.from("live-password").toString("base64"));
  });

  it("diffs a Kustomization the cluster lacks with --ignore-not-found and a Kustomization file", async () => {
    const newDir = path.join(dir, "fresh");
    mkdirSync(newDir);
    writeFileSync(path.join(newDir, "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fresh-cm\n");
    const file = path.join(dir, "fresh-ks.yaml");
    writeFileSync(
      file,
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: fresh\n  namespace: ${ns}\nspec:\n  interval: 10m\n  prune: true\n  targetNamespace: ${ns}\n  sourceRef:\n    kind: GitRepository\n    name: repo\n`,
    );
    const args = [
      "diff",
      "ks",
      "fresh",
      "--path",
      newDir,
      "--kubeconfig",
      kubeconfig,
      "-n",
      ns,
      "--progress-bar=false",
    ];
    const without = await runCli([...args, "--kustomization-file", file]);
    expect(without.code).toBe(2);
    expect(without.stderr).toBe(
      `✗ failed to get kustomization object: kustomizations.kustomize.toolkit.fluxcd.io "fresh" not found\n`,
    );
    const noFile = await runCli([...args, "--ignore-not-found"]);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toBe("✗ kustomization file is required when assuming new kustomizations\n");
    // --in-memory-build: the user's directory is left as it was (no generated kustomization.yaml).
    const r = await runCli([...args, "--ignore-not-found", "--in-memory-build", "--kustomization-file", file]);
    expect(r.stdout).toBe(`► ConfigMap/${ns}/fresh-cm created\n`);
    expect(r.code).toBe(1);
    expect(readdirSync(newDir)).toEqual(["cm.yaml"]);
  });

  it("exits 2 on errors", async () => {
    const badPath = await runCli([
      "diff",
      "ks",
      "apps",
      "--path",
      path.join(dir, "nope"),
      "--kubeconfig",
      kubeconfig,
      "-n",
      ns,
    ]);
    expect(badPath.code).toBe(2);
    expect(badPath.stderr).toBe(`✗ invalid resource path "${path.join(dir, "nope")}"\n`);
    const missing = await runCli([
      "diff",
      "ks",
      "nope",
      "--path",
      path.join(dir, "apps"),
      "--kubeconfig",
      kubeconfig,
      "-n",
      ns,
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `✗ failed to get kustomization object: kustomizations.kustomize.toolkit.fluxcd.io "nope" not found\n`,
    );
    const nonsDir = path.join(dir, "nons");
    mkdirSync(nonsDir);
    writeFileSync(path.join(nonsDir, "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: floating\n");
    await applyYaml(
      kc,
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: nons\nspec:\n  interval: 10m\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: repo\n`,
      ns,
    );
    const nons = await runCli([
      "diff",
      "ks",
      "nons",
      "--path",
      nonsDir,
      "--kubeconfig",
      kubeconfig,
      "-n",
      ns,
      "--progress-bar=false",
    ]);
    expect(nons.code).toBe(2);
    expect(nons.stderr).toBe(
      "✗ ConfigMap/floating namespace not specified: set metadata.namespace in the manifest or spec.targetNamespace in the Kustomization\n",
    );
    writeFileSync(
      path.join(dir, "apps", "invalid.yaml"),
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: invalid\ndata:\n  bad key!: x\n",
    );
    try {
      const invalid = await diff();
      expect(invalid.code).toBe(2);
      expect(invalid.stderr).toContain(`✗ ConfigMap/${ns}/invalid dry-run failed (Invalid):`);
    } finally {
      rmSync(path.join(dir, "apps", "invalid.yaml"));
    }
  });
});
