// `flux install --export | head -1`: the built CLI stops quietly when its reader goes away.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

describe("writing into a closed pipe", () => {
  it("exits 0 without an EPIPE stack trace", async () => {
    // An overlay whose output (~2 MB) is far larger than a pipe's buffer.
    const dir = mkdtempSync(path.join(os.tmpdir(), "tsflux-pipe-"));
    try {
      writeFileSync(path.join(dir, "kustomization.yaml"), "resources:\n  - cm.yaml\n");
      const lines = Array.from({ length: 200 }, (_, i) => `  key${i}: value-${i}-${"x".repeat(10_000)}`).join("\n");
      writeFileSync(
        path.join(dir, "cm.yaml"),
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${lines}\n`,
      );
      const child = spawn(process.execPath, ["bin/flux.js", "install", "--export", "--manifests", dir], { cwd: ROOT });
      let stderr = "";
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      // Like `| head -c 3`: read a little, then close the read end.
      child.stdout.once("data", () => child.stdout.destroy());
      const code = await new Promise<number | null>((r) => child.on("close", (c) => r(c)));
      expect(stderr).not.toMatch(/EPIPE|Unhandled/);
      expect(code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
