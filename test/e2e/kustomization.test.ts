// create source git + create kustomization, reconcile after a push, suspend and
// resume, diff: tsflux against the real source- and kustomize-controller, with
// the Deployment rolled out by the real kube-controller-manager on the kwok Node.
// Every assertion is on what the controllers did; no test writes a status.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, fluxRef, getObject } from "../env/helpers.js";
import type { GitServer } from "../env/git-server.js";
import {
  appFiles,
  configMap,
  deployment,
  flux,
  fluxStatus,
  readyCondition,
  createGitSecret,
  startGitApp,
  type GitApp,
} from "../support/e2e.js";
import { must } from "../support/must.js";
import { stopAfterAll } from "../support/teardown.js";

const PASSWORD = "e2eGitPassw0rd";
let app: GitApp;
let git: GitServer;
let kc: KubeConfig;
let ns: string;
let repo: string;

const stopLater = stopAfterAll();

beforeAll(async () => {
  app = stopLater(await startGitApp("e2e-ks", { password: PASSWORD }));
  ({ git, kc, ns, repo } = app);
});

const head = () => app.head();
/** Tables show revisions with the short sha, as upstream does. */
const shortHead = () => head().slice(0, "main@sha1:".length + 8);

describe("create source git and create kustomization (real controllers)", () => {
  it("fetches the pushed commit, applies a Deployment, a Service and a ConfigMap, and rolls the Deployment out", async () => {
    await createGitSecret(app, "app-auth", PASSWORD);

    const src = await flux(
      "create",
      "source",
      "git",
      "app",
      `--url=${git.url(repo)}`,
      "--branch=main",
      "--secret-ref=app-auth",
      "--interval=10m",
      "--timeout=1m",
      "--label=env=test",
      "-n",
      ns,
    );
    expect(src.stderr).toBe(
      [
        "✚ generating GitRepository source",
        "► applying GitRepository source",
        "✔ GitRepository source created",
        "◎ waiting for GitRepository source reconciliation",
        "✔ GitRepository source reconciliation completed",
        `✔ fetched revision: ${head()}`,
        "",
      ].join("\n"),
    );
    expect(src.code).toBe(0);
    expect(src.stdout).toBe("");
    const live = await getObject(kc, fluxRef("GitRepository", ns, "app"));
    expect(live.metadata.labels).toEqual({ env: "test" });
    expect(live.spec).toMatchObject({ url: git.url(repo), ref: { branch: "main" }, interval: "10m0s" });
    // source-controller cloned it with the credentials and serves the artifact.
    const repoStatus = await fluxStatus(kc, "GitRepository", ns, "app");
    expect(repoStatus.artifact?.revision).toBe(head());
    expect(readyCondition(repoStatus)?.message).toBe(`stored artifact for revision '${head()}'`);
    const artifact = await fetch(must(repoStatus.artifact, "the GitRepository's artifact").url);
    expect(artifact.status).toBe(200);
    expect((await artifact.arrayBuffer()).byteLength).toBeGreaterThan(100);
    expect(git.requests.some((r) => r.service === "git-upload-pack" && r.authorized)).toBe(true);

    const createKs = (interval: string) =>
      flux(
        "create",
        "kustomization",
        "app",
        "--source=GitRepository/app",
        "--path=./deploy",
        "--prune=true",
        "--wait=true",
        `--target-namespace=${ns}`,
        `--interval=${interval}`,
        "--timeout=2m",
        "-n",
        ns,
      );
    const ksLines = (verb: string) =>
      [
        "✚ generating Kustomization",
        "► applying Kustomization",
        `✔ Kustomization ${verb}`,
        "◎ waiting for Kustomization reconciliation",
        "✔ Kustomization app is ready",
        `✔ applied revision ${head()}`,
        "",
      ].join("\n");
    const ks = await createKs("5m");
    expect(ks.stderr).toBe(ksLines("created"));
    expect(ks.code).toBe(0);
    // Again with a new spec: the object is updated and kustomize-controller reconciles the new generation.
    const updated = await createKs("10m");
    expect(updated.stderr).toBe(ksLines("updated"));
    expect(updated.code).toBe(0);
    const ksObj = await getObject(kc, fluxRef("Kustomization", ns, "app"));
    expect(ksObj.spec).toMatchObject({ interval: "10m0s", prune: true, path: "./deploy" });
    expect(ksObj.metadata.generation).toBe(2);
    expect((ksObj.status as { observedGeneration?: number }).observedGeneration).toBe(2);

    const ksStatus = await fluxStatus(kc, "Kustomization", ns, "app");
    expect(ksStatus.lastAppliedRevision).toBe(head());
    expect(ksStatus.inventory?.entries.map((e) => e.id).sort()).toEqual(
      [`${ns}_app-config__ConfigMap`, `${ns}_app__Service`, `${ns}_app_apps_Deployment`].sort(),
    );
    expect(await configMap(kc, ns, "app-config")).toEqual({ message: "v1" });
    // kube-controller-manager rolled it out on the kwok Node (wait=true health-checked it).
    const d = await deployment(kc, ns, "app");
    expect(d.status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2 });
  });

  it("shows it with get all, get sources git, tree, trace, events and export", async () => {
    const all = await flux("get", "all", "-n", ns);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain("gitrepository/app");
    expect(all.stdout).toContain("kustomization/app");
    expect(all.stdout).toMatch(
      new RegExp(`kustomization/app\\s+${shortHead()}\\s+False\\s+True\\s+Applied revision: ${shortHead()}`),
    );
    expect(all.stdout).toMatch(
      new RegExp(
        `gitrepository/app\\s+${shortHead()}\\s+False\\s+True\\s+stored artifact for revision '${shortHead()}'`,
      ),
    );

    const sources = await flux("get", "sources", "git", "-n", ns);
    expect(sources.code).toBe(0);
    expect(sources.stdout.split("\n")[1]).toMatch(
      new RegExp(`^app\\s+${shortHead()}\\s+False\\s+True\\s+stored artifact`),
    );

    // The real inventory, as kustomize-controller recorded it.
    const tree = await flux("tree", "kustomization", "app", "-n", ns);
    expect(tree.code).toBe(0);
    expect(tree.stdout.trimEnd()).toBe(
      [
        `Kustomization/${ns}/app`,
        `├── ConfigMap/${ns}/app-config`,
        `├── Service/${ns}/app`,
        `└── Deployment/${ns}/app`,
      ].join("\n"),
    );

    const trace = await flux("trace", "app", "--kind=Deployment", "--api-version=apps/v1", "-n", ns);
    expect(trace.code).toBe(0);
    expect(trace.stdout).toMatch(/Kustomization:\s+app\n/);
    expect(trace.stdout).toContain(`Revision:        ${head()}`);
    expect(trace.stdout).toContain(`Message:         Applied revision: ${head()}`);
    expect(trace.stdout).toMatch(/GitRepository:\s+app\n/);
    expect(trace.stdout).toContain(`URL:             ${git.url(repo)}`);

    // Events the controllers emitted for the Kustomization.
    const events = await flux("events", "--for", "Kustomization/app", "-n", ns);
    expect(events.code).toBe(0);
    expect(events.stdout).toContain("Kustomization/app");
    expect(events.stdout).toMatch(/ReconciliationSucceeded|Progressing/);
    expect(events.stdout).toContain(`Deployment/${ns}/app created`);

    const exported = await flux("export", "source", "git", "app", "-n", ns);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(`  url: ${git.url(repo)}\n`);
    expect(exported.stdout).toContain("  secretRef:\n    name: app-auth\n");
    expect(exported.stdout).not.toContain("status:");
  });

  it("reconcile --with-source waits for and reports the pushed revision", async () => {
    const before = head();
    git.commitFiles(repo, "main", appFiles("v2"), "v2");
    expect(head()).not.toBe(before);
    const res = await flux("reconcile", "kustomization", "app", "--with-source", "-n", ns);
    expect(res.stderr).toBe(
      `► annotating GitRepository app in ${ns} namespace\n✔ GitRepository annotated\n◎ waiting for GitRepository reconciliation\n✔ fetched revision ${head()}\n` +
        `► annotating Kustomization app in ${ns} namespace\n✔ Kustomization annotated\n◎ waiting for Kustomization reconciliation\n✔ applied revision ${head()}\n`,
    );
    expect(res.code).toBe(0);
    expect(await configMap(kc, ns, "app-config")).toEqual({ message: "v2" });
    const st = await fluxStatus(kc, "Kustomization", ns, "app");
    expect(st.lastAppliedRevision).toBe(head());
    expect(st.lastHandledReconcileAt).toBeTruthy();
  });

  it("reconcile --with-source --wait=false returns at once and the change still lands", async () => {
    git.commitFiles(repo, "main", appFiles("v3"), "v3");
    const res = await flux("reconcile", "kustomization", "app", "--with-source", "--wait=false", "-n", ns);
    expect(res.code).toBe(0);
    expect(res.stderr).not.toContain("applied revision");
    await eventually(
      async () =>
        (await configMap(kc, ns, "app-config")).message === "v3" &&
        (await fluxStatus(kc, "Kustomization", ns, "app")).lastAppliedRevision === head(),
      60_000,
      250,
    );
  });

  it("reconcile source git --all reconciles every GitRepository of the namespace, skipping suspended ones", async () => {
    const second = await flux(
      "create",
      "source",
      "git",
      "second",
      `--url=${git.url(repo)}`,
      "--branch=main",
      "--secret-ref=app-auth",
      "--interval=10m",
      "-n",
      ns,
    );
    expect(second.code).toBe(0);
    const fire = await flux("reconcile", "source", "git", "second", "--wait=false", "-n", ns);
    expect(fire).toMatchObject({
      code: 0,
      stderr: `► annotating GitRepository second in ${ns} namespace\n✔ GitRepository annotated\n`,
    });
    const all = await flux("reconcile", "source", "git", "--all", "-n", ns);
    expect(all.code).toBe(0);
    expect(all.stderr.match(/► annotating GitRepository \S+/g)?.sort()).toEqual([
      "► annotating GitRepository app",
      "► annotating GitRepository second",
    ]);
    expect(all.stderr.match(/✔ fetched revision .*/g)).toEqual([
      `✔ fetched revision ${head()}`,
      `✔ fetched revision ${head()}`,
    ]);
    for (const name of ["app", "second"]) {
      const obj = await getObject(kc, fluxRef("GitRepository", ns, name));
      expect((obj.status as { lastHandledReconcileAt?: string }).lastHandledReconcileAt).toBe(
        obj.metadata.annotations?.["reconcile.fluxcd.io/requestedAt"],
      );
    }
    expect((await flux("suspend", "source", "git", "second", "-n", ns)).code).toBe(0);
    const skipping = await flux("reconcile", "source", "git", "--all", "-n", ns);
    expect(skipping.code).toBe(0);
    expect(skipping.stderr).toContain("⚠️ skipping suspended GitRepository second\n");
    expect(skipping.stderr.match(/► annotating GitRepository \S+/g)).toEqual(["► annotating GitRepository app"]);
    expect((await flux("delete", "source", "git", "second", "--silent", "-n", ns)).code).toBe(0);
  });

  it("suspend: a push changes nothing; resume applies it", async () => {
    const applied = head();
    const suspend = await flux("suspend", "kustomization", "app", "-n", ns);
    expect(suspend.code).toBe(0);
    git.commitFiles(repo, "main", appFiles("v4"), "v4");
    // The source fetches the new commit; the suspended Kustomization does not apply it.
    const src = await flux("reconcile", "source", "git", "app", "-n", ns);
    expect(src.stderr).toContain(`✔ fetched revision ${head()}`);
    expect(src.code).toBe(0);
    await new Promise((r) => setTimeout(r, 3000));
    expect(await configMap(kc, ns, "app-config")).toEqual({ message: "v3" });
    expect((await fluxStatus(kc, "Kustomization", ns, "app")).lastAppliedRevision).toBe(applied);
    const suspended = await flux("get", "kustomizations", "app", "-n", ns);
    expect(suspended.stdout.split("\n")[1]).toMatch(/^app\s+\S+\s+True\s+True\s+/);

    const resume = await flux("resume", "kustomization", "app", "-n", ns);
    expect(resume.stderr).toBe(
      `► resuming kustomization app in ${ns} namespace\n✔ kustomization resumed\n◎ waiting for Kustomization reconciliation\n` +
        `✔ Kustomization app reconciliation completed\n✔ applied revision ${head()}\n`,
    );
    expect(resume.code).toBe(0);
    expect(await configMap(kc, ns, "app-config")).toEqual({ message: "v4" });
  });
});

describe("diff kustomization against what kustomize-controller applied", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "tsflux-e2e-diff-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const checkout = (message: string): string => {
    const d = mkdtempSync(path.join(dir, "checkout-"));
    for (const [f, text] of Object.entries(appFiles(message))) {
      const p = path.join(d, f);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, text);
    }
    return path.join(d, "deploy");
  };

  it("exits 0 without a local change, 1 with the change shown, 2 on an error", async () => {
    const applied = must((await configMap(kc, ns, "app-config")).message, "the applied ConfigMap's message");
    const same = await flux("diff", "kustomization", "app", `--path=${checkout(applied)}`, "-n", ns);
    expect(same.stdout + same.stderr).not.toContain("drifted");
    expect(same.code).toBe(0);

    const changed = await flux("diff", "kustomization", "app", `--path=${checkout("local change")}`, "-n", ns);
    expect(changed.stdout).toContain(`► ConfigMap/${ns}/app-config drifted`);
    expect(changed.stdout).toContain(`- ${applied}`);
    expect(changed.stdout).toContain("+ local change");
    expect(changed.code).toBe(1);

    const broken = await flux("diff", "kustomization", "app", `--path=${path.join(dir, "missing")}`, "-n", ns);
    expect(broken.stderr).toContain("✗");
    expect(broken.code).toBe(2);
  });
});
