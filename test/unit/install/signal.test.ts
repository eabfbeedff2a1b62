// Ctrl-C while kustomize renders: the work directory is removed and the CLI still dies
// of the signal.
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const MINI = fileURLToPath(new URL("../../fixtures/install/mini-bundle", import.meta.url));

describe("install interrupted during rendering", () => {
  it("removes its temporary directory on SIGINT", async () => {
    const base = mkdtempSync(path.join(os.tmpdir(), "tsflux-sig-"));
    const tmp = path.join(base, "tmp");
    const pidFile = path.join(base, "kustomize.pid");
    const stub = path.join(base, "kustomize");
    // A kustomize that never finishes (records its pid so the test can end it).
    writeFileSync(stub, `#!/bin/sh\necho $$ > "${pidFile}"\nexec sleep 30\n`);
    chmodSync(stub, 0o755);
    const { mkdirSync } = await import("node:fs");
    mkdirSync(tmp);
    const child = spawn(process.execPath, ["bin/flux.js", "install", "--export", "--manifests", MINI], {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: tmp, TSFLUX_KUSTOMIZE: stub },
    });
    try {
      const deadline = Date.now() + 20_000;
      while (!existsSync(pidFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(existsSync(pidFile)).toBe(true);
      const work = readdirSync(tmp);
      expect(work).toHaveLength(1);
      expect(work[0]).toMatch(/^flux-system-/);
      child.kill("SIGINT");
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) =>
        child.on("exit", (c, s) => r([c, s])),
      );
      expect(signal ?? code).toBe(signal ? "SIGINT" : 130);
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      child.kill("SIGKILL");
      try {
        process.kill(Number(readFileSync(pidFile, "utf8")), "SIGKILL");
      } catch {
        /* already gone */
      }
      rmSync(base, { recursive: true, force: true });
    }
  });
});
