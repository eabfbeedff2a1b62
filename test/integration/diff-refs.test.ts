// `flux diff refs`: a fleet repository with two commits, built at both without a
// cluster (Kustomizations with the real kustomize, HelmReleases with the real helm
// from a local chart index and from a chart folder of the tree), compared object by
// object; outputs checked against tsflux snapshots.
import { execFileSync } from "node:child_process";
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { fleetRepository } from "../support/fleet.js";
import { expectGolden, tsfluxGolden } from "../support/golden.js";
import { chartRepository } from "../support/helm-charts.js";
import { startStaticServer, type StaticServer } from "../support/static-server.js";
import { stopAfterAll } from "../support/teardown.js";

let tmp: string;
let fleet: string;
let server: StaticServer;
const stopLater = stopAfterAll();

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "tsflux-diff-refs-"));
  await chartRepository(path.join(tmp, "charts"), ["1.0.0", "1.1.0"]);
  server = stopLater(await startStaticServer(path.join(tmp, "charts")));
  fleet = path.join(tmp, "fleet");
  fleetRepository(fleet, server.url);
}, 120_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const refs = (...args: string[]) => runCli(["diff", "refs", "--path", path.join(fleet, "clusters/prod"), ...args]);

describe("flux diff refs", () => {
  it("prints the objects each Kustomization and HelmRelease adds, removes and changes, exit 1", async () => {
    const r = await refs("--base", "HEAD~1", "--head", "HEAD");
    expect(r.stderr).toBe("⚠️ identified at least one change, exiting with non-zero exit code\n");
    expect(r.code).toBe(1);
    // the apps Kustomization: substitution from the Kustomization changed, an object swapped
    expect(r.stdout).toContain("► Kustomization/flux-system/apps changed (1 added, 4 changed, 1 removed)\n");
    expect(r.stdout).toContain("  + ConfigMap/apps/new-settings added\n");
    expect(r.stdout).toContain("  - ConfigMap/apps/old-settings removed\n");
    expect(r.stdout).toContain("      -    cluster: prod\n      +    cluster: production\n");
    // the variables from the infra Kustomization's ConfigMap are substituted at both refs
    expect(r.stdout).not.toContain("${region}");
    // a HelmRelease's values, and another's chart version
    expect(r.stdout).toContain("► HelmRelease/apps/local changed");
    expect(r.stdout).toContain("► HelmRelease/apps/podinfo changed");
    expect(r.stdout).toContain("-    helm.sh/chart: demo-1.0.0\n");
    expect(r.stdout).toContain("+    helm.sh/chart: demo-1.1.0\n");
    // unchanged units are not printed
    expect(r.stdout).not.toContain("Kustomization/flux-system/infra");
    // Secret values never appear
    for (const secret of ["hunter2", "correct-horse", "aHVudGVyMg", "Y29ycmVjdC1ob3Jz"])
      expect(r.stdout).not.toContain(secret);
    expect(r.stdout).toContain("*** (before)");
  });

  it("renders a pull-request comment and a JSON report (snapshots)", async () => {
    const md = await refs("--base", "HEAD~1", "--head", "HEAD", "-o", "markdown");
    expect(md.code).toBe(1);
    expectGolden(md.stdout, tsfluxGolden("diff", "refs.md"));
    expect(md.stdout.match(/<details>/g)).toHaveLength(4);
    const json = await refs("--base", "HEAD~1", "--head", "HEAD", "-o", "json");
    expect(json.code).toBe(1);
    expectGolden(json.stdout, tsfluxGolden("diff", "refs.json"));
    const report = JSON.parse(json.stdout) as { summary: Record<string, number> };
    expect(report.summary).toEqual({ units: 5, changed: 4, added: 0, removed: 0, failed: 0, unchanged: 1 });
  });

  it("compares with the working tree by default, and exits 0 when nothing changes", async () => {
    const same = await refs("--base", "HEAD");
    expect(same.stdout).toBe("");
    expect(same.stderr).toBe("");
    expect(same.code).toBe(0);
    const md = await refs("--base", "HEAD", "-o", "markdown");
    expect(md.stdout).toContain("No changes: the 5 Kustomizations and HelmReleases build the same objects.");
  });

  it("lists what it cannot build, with the reason, and exits 2", async () => {
    const file = path.join(fleet, "clusters/prod/remote.yaml");
    writeFileSync(
      file,
      `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: remote
  namespace: flux-system
spec:
  interval: 10m
  path: ./deploy
  sourceRef:
    kind: OCIRepository
    name: manifests
`,
    );
    try {
      const r = await refs("--base", "HEAD");
      expect(r.code).toBe(2);
      expect(r.stdout).toContain("► Kustomization/flux-system/remote could not be built\n");
      expect(r.stdout).toContain(
        "  ✗ at working tree: its source OCIRepository/flux-system/manifests is not this repository: give its content with --local-sources OCIRepository/flux-system/manifests=<dir>\n",
      );
      expect(r.stderr).toContain("✗ could not build Kustomization/flux-system/remote");
    } finally {
      rmSync(file);
    }
  });

  it("fails with exit 2 on an unknown ref or a path outside git", async () => {
    const bad = await refs("--base", "no-such-branch");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown git ref 'no-such-branch'");
    const outside = await runCli(["diff", "refs", "--base", "HEAD", "--path", tmp]);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain("is not inside a git work tree");
    const noBase = await refs();
    expect(noBase.code).toBe(2);
    expect(noBase.stderr).toContain("--base is required");
  });

  it("follows a change made to the working tree only", async () => {
    const file = path.join(fleet, "apps/base/web/web.yaml");
    appendFileSync(file, "---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n");
    try {
      const r = await refs("--base", "HEAD");
      expect(r.code).toBe(1);
      expect(r.stdout).toBe(
        "► Kustomization/flux-system/apps changed (1 added, 0 changed, 0 removed)\n  + ServiceAccount/apps/web added\n",
      );
    } finally {
      execFileSync("git", ["checkout", "--", "apps/base/web/web.yaml"], { cwd: fleet });
    }
  });
});
