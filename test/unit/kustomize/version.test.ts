// Which kustomize runs: the tool cache's v5.8.1 (what flux v2.9.5 builds with, built by
// scripts/setup.sh) before anything on PATH; another version gets one warning line that
// names both versions, and build errors name the kustomize that failed.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  KUSTOMIZE_VERSION,
  cachedKustomizePath,
  findKustomize,
  kustomizeVersionWarning,
  runKustomize,
} from "../../../src/kustomize/runner.js";
import { runCli } from "../../helpers/cli.js";

let tmp: string;
let fakeBin: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "tsflux-kversion-"));
  fakeBin = path.join(tmp, "bin");
  execFileSync("mkdir", ["-p", fakeBin]);
  // A kustomize v5.5.0 stand-in that fails every build with kustomize's wording.
  writeFileSync(
    path.join(fakeBin, "kustomize"),
    `#!/bin/sh\nif [ "$1" = version ]; then echo v5.5.0; exit 0; fi\necho 'Error: accumulating resources: boom' >&2\nexit 1\n`,
    { mode: 0o755 },
  );
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("kustomize at upstream's version", () => {
  it("the test environment runs the tool cache's kustomize v5.8.1", () => {
    const cmd = findKustomize();
    expect(cmd.file).toBe(cachedKustomizePath());
    expect(cmd.version).toBe(`v${KUSTOMIZE_VERSION}`);
    expect(execFileSync(cmd.file, ["version"], { encoding: "utf8" }).trim()).toBe("v5.8.1");
    expect(kustomizeVersionWarning(cmd)).toBeUndefined();
  });

  it("is preferred to a kustomize on PATH; TSFLUX_KUSTOMIZE wins over both", () => {
    expect(findKustomize({ ...process.env, PATH: fakeBin }).file).toBe(cachedKustomizePath());
    expect(findKustomize({ PATH: fakeBin, TSFLUX_KUSTOMIZE: "/opt/k" }).file).toBe("/opt/k");
  });

  it("another version: one warning naming both versions, and build errors name it", async () => {
    const env = { PATH: fakeBin, TSFLUX_TOOLS_CACHE: tmp };
    const cmd = findKustomize(env);
    expect(cmd.file).toBe(path.join(fakeBin, "kustomize"));
    const warnings: string[] = [];
    const build = () =>
      runKustomize(
        tmp,
        { name: "kustomization.yaml", text: "resources: []\n" },
        { env, warn: (l) => warnings.push(l) },
      );
    await expect(build()).rejects.toThrow(
      `kustomize build failed: accumulating resources: boom (kustomize v5.5.0 (kustomize, ${cmd.file}))`,
    );
    await expect(build()).rejects.toThrow("boom");
    expect(warnings).toEqual([
      `kustomize v5.5.0 (kustomize, ${cmd.file}) is not v5.8.1, the version flux v2.9.5 builds with: its output may differ (scripts/setup.sh builds v5.8.1 into the tool cache, or set TSFLUX_KUSTOMIZE)`,
    ]);
  });

  it("the warning reaches the command line as a ⚠ line on stderr", async () => {
    const saved = { PATH: process.env.PATH, TSFLUX_TOOLS_CACHE: process.env.TSFLUX_TOOLS_CACHE };
    const dir = path.join(tmp, "apps");
    execFileSync("mkdir", ["-p", dir]);
    const ks = path.join(tmp, "ks.yaml");
    writeFileSync(
      ks,
      "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  path: ./\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n",
    );
    // a second stand-in binary, so the once-per-binary warning has not been given yet
    const other = path.join(tmp, "bin2");
    execFileSync("cp", ["-r", fakeBin, other]);
    process.env.PATH = `${other}${path.delimiter}${saved.PATH ?? ""}`;
    process.env.TSFLUX_TOOLS_CACHE = tmp;
    try {
      const res = await runCli(["build", "ks", "apps", "--path", dir, "--kustomization-file", ks, "--dry-run"]);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/^⚠️? kustomize v5\.5\.0 \(kustomize, .*bin2\/kustomize\) is not v5\.8\.1/m);
      expect(res.stderr).toContain("✗ kustomize build failed: accumulating resources: boom (kustomize v5.5.0");
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) Reflect.deleteProperty(process.env, k);
        else process.env[k] = v;
      }
    }
  });
});
