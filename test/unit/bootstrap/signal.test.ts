// Ctrl-C while bootstrap pushes: the clone (and any key file) is removed and the CLI
// exits 130.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { startGitServer, type GitServer } from "../../env/git-server.js";
import { must } from "../../support/must.js";
import { stopAfterAll } from "../../support/teardown.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const MINI = fileURLToPath(new URL("../../fixtures/install/mini-bundle", import.meta.url));
let srv: GitServer;

const stopLater = stopAfterAll();
beforeAll(async () => {
  srv = stopLater(await startGitServer({ username: "git", password: "pw" }));
});

describe("bootstrap interrupted during the push", () => {
  it("removes its clone on SIGINT and exits 130", async () => {
    const base = mkdtempSync(path.join(os.tmpdir(), "tsflux-bsig-"));
    const tmp = path.join(base, "tmp");
    mkdirSync(tmp);
    const kubeconfig = path.join(base, "kubeconfig");
    writeFileSync(
      kubeconfig,
      "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:1\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\ncurrent-context: c\nusers:\n- name: u\n  user:\n    token: t\n",
    );
    await srv.createRepo("sig/fleet");
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    // Set from the server's request hook while the loop below waits.
    const seen = { pushing: false };
    srv.onRequest = async (info) => {
      if (info.service === "git-receive-pack" && info.phase === "advertise") {
        seen.pushing = true;
        await held;
      }
    };
    const child = spawn(
      process.execPath,
      [
        "bin/flux.js",
        "bootstrap",
        "git",
        "--kubeconfig",
        kubeconfig,
        `--url=${srv.url("sig/fleet")}`,
        "--allow-insecure-http",
        "-p",
        "pw",
        "--manifests",
        MINI,
        // without --force bootstrap first reads the (unreachable) cluster, as upstream
        "--force",
      ],
      { cwd: ROOT, env: { ...process.env, TMPDIR: tmp } },
    );
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    try {
      const deadline = Date.now() + 20_000;
      while (!seen.pushing && Date.now() < deadline && child.exitCode === null)
        await new Promise((r) => setTimeout(r, 50));
      expect(seen.pushing, stderr).toBe(true);
      const work = readdirSync(tmp).filter((f) => f.startsWith("flux-bootstrap-"));
      expect(work).toHaveLength(1);
      expect(existsSync(path.join(tmp, must(work[0], "the bootstrap work directory"), "repo", ".git"))).toBe(true);
      child.kill("SIGINT");
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) =>
        child.on("exit", (c, s) => r([c, s])),
      );
      expect(signal ?? code).toBe(signal ? "SIGINT" : 130);
      expect(readdirSync(tmp).filter((f) => f.startsWith("flux-bootstrap-"))).toEqual([]);
      expect(srv.revParse("sig/fleet", "refs/heads/main")).toBeUndefined();
    } finally {
      release();
      srv.onRequest = undefined;
      child.kill("SIGKILL");
      rmSync(base, { recursive: true, force: true });
    }
  });
});
