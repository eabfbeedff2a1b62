// `flux build kustomization --dry-run`: the real kustomize, no cluster.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildKustomization } from "../../../src/kustomize/build.js";
import { findKustomize, liveTempDirCount } from "../../../src/kustomize/runner.js";
import { runCli } from "../../helpers/cli.js";

const fx = (...p: string[]) => path.resolve("test/fixtures/kustomize", ...p);
/** `flux build ks NAME --path DIR --kustomization-file FILE --dry-run ...extra` over the fixtures. */
const dryBuild = (name: string, dir: string, ksFile: string, ...extra: string[]) =>
  runCli(["build", "ks", name, "--path", fx(dir), "--kustomization-file", fx(ksFile), "--dry-run", ...extra]);
const golden = (name: string) => readFileSync(path.resolve("test/golden/tsflux/build", name), "utf8");

// A private TMPDIR for this file's worker, so the temp-dir check cannot see
// other test files' builds running at the same time.
let privateTmp: string;
let savedTmpdir: string | undefined;
function tsfluxTempDirs(): string[] {
  return readdirSync(privateTmp).filter((n) => n.startsWith("tsflux-build-"));
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "tsflux-buildtest-"));
  privateTmp = mkdtempSync(path.join(os.tmpdir(), "tsflux-buildtest-tmpdir-"));
  savedTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = privateTmp;
});
afterAll(() => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  rmSync(tmp, { recursive: true, force: true });
  rmSync(privateTmp, { recursive: true, force: true });
});

function snapshot(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = path.join(d, n);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = st.mtimeMs;
    }
  };
  walk(dir);
  return out;
}

describe("flux build kustomization --dry-run", () => {
  it("builds a generated kustomization with the Flux spec and substitutions applied", async () => {
    const before = snapshot(fx("plain"));
    const r = await runCli([
      "build",
      "kustomization",
      "apps",
      "--path",
      fx("plain"),
      "--kustomization-file",
      fx("ks/apps.yaml"),
      "--dry-run",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(golden("apps-dry-run.yaml"));
    expect(snapshot(fx("plain"))).toEqual(before); // nothing written into the user's directory
  });

  it("builds an overlay whose kustomization reaches outside its directory", async () => {
    const r = await dryBuild("apps", "overlay/app", "ks/apps.yaml");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(golden("overlay-dry-run.yaml"));
  });

  it("builds nested Kustomizations with --recursive and --local-sources", async () => {
    const r = await dryBuild(
      "root",
      "recursive/clusters",
      "ks/root.yaml",
      "-r",
      "--local-sources",
      `GitRepository/flux-system/repo=${fx("recursive")}`,
    );
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(golden("recursive-dry-run.yaml"));
  });

  it("fails --recursive without a local source for the nested Kustomization", async () => {
    const r = await dryBuild("root", "recursive/clusters", "ks/root.yaml", "-r");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("✗ cannot get local path for GitRepository/flux-system/repo of kustomization child\n");
  });

  it("masks SOPS-encrypted Secrets", async () => {
    const r = await dryBuild("secrets", "sops", "ks/secrets.yaml");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(golden("sops-dry-run.yaml"));
    expect(r.stdout).not.toContain("ENC[");
    expect(r.stdout).not.toContain("sops:");
  });

  it("keeps kustomize-controller's input order, with generated ConfigMaps/Secrets last and SOPS values masked", async () => {
    const r = await dryBuild("generators", "generators", "ks/generators.yaml");
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(golden("generators-dry-run.yaml"));
    expect(r.stdout.match(/^kind: .*$/gm)).toEqual([
      "kind: Service",
      "kind: Secret",
      "kind: Secret",
      "kind: ConfigMap",
      "kind: Secret",
      "kind: Secret",
    ]);
  });

  it("builds generated kustomizations holding nested kustomization directories and relative components", async () => {
    const root = path.join(tmp, "gen");
    for (const [rel, text] of Object.entries({
      "app/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: top\n",
      "app/nested/kustomization.yaml": "resources:\n- x.yaml\nnamePrefix: n-\n",
      "app/nested/x.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
      "comp/kustomization.yaml":
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations:\n  comp: enabled\n",
      "ks.yaml":
        "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: g\n  namespace: ns\nspec:\n  components:\n  - ../comp\n",
    })) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    }
    const r = await runCli([
      "build",
      "ks",
      "g",
      "-n",
      "ns",
      "--path",
      path.join(root, "app"),
      "--kustomization-file",
      path.join(root, "ks.yaml"),
      "--dry-run",
    ]);
    expect(r.stderr).toBe("");
    expect(r.stdout.match(/^ {2}name: .*$/gm)).toEqual(["  name: top", "  name: n-x"]);
    expect(r.stdout.match(/comp: enabled/g)).toHaveLength(2);
  });

  it("excludes files matching --ignore-paths from the generated kustomization", async () => {
    const r = await dryBuild("apps", "plain", "ks/apps.yaml", "--ignore-paths", "sub/");
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^kind: .*$/gm)).toEqual(["kind: Deployment"]);
  });

  it("fails with --strict-substitute on a variable without value or default", async () => {
    const dir = path.join(tmp, "strict");
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, "cm.yaml"),
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: ${set}\n  b: ${unset}\n",
    );
    const ks = path.join(tmp, "strict-ks.yaml");
    writeFileSync(
      ks,
      "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: s\n  namespace: flux-system\nspec:\n  postBuild:\n    substitute:\n      set: one\n",
    );
    const strict = await runCli([
      "build",
      "ks",
      "s",
      "--path",
      dir,
      "--kustomization-file",
      ks,
      "--dry-run",
      "--strict-substitute",
    ]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toBe("");
    expect(strict.stderr).toBe(
      `✗ var substitution failed for 'cm': envsubst error: variable substitution failed: variable not set (strict mode): "unset"\n`,
    );
    const lax = await runCli(["build", "ks", "s", "--path", dir, "--kustomization-file", ks, "--dry-run"]);
    expect(lax.code).toBe(0);
    expect(lax.stdout).toContain("  a: one\n  b: null\n");
  });

  it("rejects invalid variable names", async () => {
    const dir = path.join(tmp, "badvar");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n");
    const ks = path.join(tmp, "badvar-ks.yaml");
    writeFileSync(
      ks,
      "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: s\nspec:\n  postBuild:\n    substitute:\n      bad-name: x\n",
    );
    const r = await runCli(["build", "ks", "s", "--path", dir, "--kustomization-file", ks, "--dry-run"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("'bad-name' var name is invalid, must match '^[_[:alpha:]][_[:alpha:][:digit:]]*$'");
  });

  it("validates its flags with upstream's messages", async () => {
    expect((await runCli(["build", "ks", "--path", fx("plain")])).stderr).toBe("✗ Kustomization name is required\n");
    expect((await runCli(["build", "ks", "x"])).stderr).toBe('✗ invalid resource path ""\n');
    expect((await runCli(["build", "ks", "x", "--path", fx("nope")])).stderr).toBe(
      `✗ invalid resource path "${fx("nope")}"\n`,
    );
    expect((await runCli(["build", "ks", "x", "--path", fx("plain"), "--dry-run"])).stderr).toBe(
      "✗ dry-run mode requires a kustomization file\n",
    );
    expect(
      (await runCli(["build", "ks", "x", "--path", fx("plain"), "--kustomization-file", fx("nope.yaml")])).stderr,
    ).toBe(`✗ invalid kustomization file "${fx("nope.yaml")}"\n`);
    const missing = await dryBuild("nope", "plain", "ks/apps.yaml");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      `✗ failed find kustomization with name 'nope' and namespace 'flux-system' in file '${fx("ks/apps.yaml")}'\n`,
    );
  });

  it("reports kustomize errors without temp paths", async () => {
    const dir = path.join(tmp, "broken");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "kustomization.yaml"), "resources:\n  - missing.yaml\n");
    const r = await runCli([
      "build",
      "ks",
      "apps",
      "--path",
      dir,
      "--kustomization-file",
      fx("ks/apps.yaml"),
      "--dry-run",
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^✗ kustomize build failed: accumulating resources: .*missing\.yaml/);
    expect(r.stderr).not.toContain("tsflux-build-");
    expect(r.stderr).toContain(dir);
  });

  it("honours --timeout", async () => {
    const r = await dryBuild("apps", "plain", "ks/apps.yaml", "--timeout", "1ms");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^✗ (timed out after 1ms|kustomize build failed: timed out)/);
    await new Promise((resolve) => setTimeout(resolve, 300)); // let the killed kustomize finish its cleanup
  });

  it("falls back to kustomize's own order with a kustomize older than v5 (no sortOptions)", async () => {
    // The stand-in rejects sortOptions like kustomize v4, then runs whichever real
    // kustomize this machine has (a kustomize binary or kubectl kustomize).
    const real = findKustomize();
    const fake = path.join(tmp, "old-kustomize");
    writeFileSync(
      fake,
      `#!/bin/sh\nif grep -q sortOptions "$2/kustomization.yaml"; then echo 'Error: json: unknown field "sortOptions"' >&2; exit 1; fi\nexec ${[real.file, ...real.args].join(" ")} "$2"\n`,
      { mode: 0o755 },
    );
    const { objects } = await buildKustomization({
      name: "apps",
      path: fx("plain"),
      namespace: "flux-system",
      kustomizationFile: fx("ks/apps.yaml"),
      dryRun: true,
      kustomize: { file: fake, args: ["build"], label: "kustomize" },
    });
    expect(objects.map((o) => o.kind)).toEqual(["ConfigMap", "ConfigMap", "Deployment"]);
  });

  it("names both kustomize and kubectl when neither is on PATH", async () => {
    expect(() => findKustomize({ PATH: tmp, TSFLUX_TOOLS_CACHE: tmp })).toThrow(
      /kustomize not found: install kustomize .* or kubectl/,
    );
    await expect(
      buildKustomization({
        name: "apps",
        path: fx("plain"),
        namespace: "flux-system",
        kustomizationFile: fx("ks/apps.yaml"),
        dryRun: true,
        env: { PATH: tmp, TSFLUX_TOOLS_CACHE: tmp },
      }),
    ).rejects.toThrow("kustomize not found");
  });

  it("leaves no temporary directory behind, on success or failure", () => {
    expect(liveTempDirCount()).toBe(0);
    expect(os.tmpdir()).toBe(privateTmp);
    expect(tsfluxTempDirs()).toEqual([]);
  });
});
