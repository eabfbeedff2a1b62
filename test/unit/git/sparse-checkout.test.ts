// --sparse-checkout in the git layer: the system git client checks out only the given
// directories (cone mode) and its commits still carry every other file; isomorphic-git,
// which has no sparse index, checks out everything.
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGitClient, sparseDirectories } from "../../../src/git/index.js";
import { startGitServer, type GitServer } from "../../env/git-server.js";
import { stopAfterAll } from "../../support/teardown.js";

const PASSWORD = "gitS3cret";
const author = { name: "Flux", email: "flux@example.com" };
const FILES = {
  "README.md": "fleet\n",
  "apps/podinfo.yaml": "kind: HelmRelease\n",
  "infra/redis/release.yaml": "kind: HelmRelease\n",
  "clusters/dev/apps.yaml": "kind: Kustomization\n",
  "clusters/prod/apps.yaml": "kind: Kustomization\n",
};
let srv: GitServer;
let dir: string;
let n = 0;

const stopLater = stopAfterAll();
beforeAll(async () => {
  srv = stopLater(await startGitServer({ username: "git", password: PASSWORD }));
  dir = mkdtempSync(path.join(os.tmpdir(), "tsflux-sparse-"));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function filesOnDisk(root: string, rel = ""): string[] {
  return readdirSync(path.join(root, rel), { withFileTypes: true }).flatMap((e) =>
    e.name === ".git"
      ? []
      : e.isDirectory()
        ? filesOnDisk(root, path.posix.join(rel, e.name))
        : [path.posix.join(rel, e.name)],
  );
}

describe("sparse checkout", () => {
  it("sparseDirectories: cone-mode directories from what users type", () => {
    expect(sparseDirectories(["./clusters/dev/", "infra", "clusters/dev", ".", "", "a//b"])).toEqual([
      "clusters/dev",
      "infra",
      "a/b",
    ]);
    expect(sparseDirectories()).toEqual([]);
  });

  it.each([
    ["system git", true, ["README.md", "clusters/dev/apps.yaml", "clusters/dev/flux-system/gotk-sync.yaml"]],
    ["isomorphic-git", false, [...Object.keys(FILES), "clusters/dev/flux-system/gotk-sync.yaml"]],
  ] as const)("%s: checks out what it can, and the commit keeps every file", async (_name, system, onDisk) => {
    const repo = `org/sparse-${n++}`;
    await srv.createRepo(repo, { files: FILES });
    const git = createGitClient({
      url: srv.url(repo),
      branch: "main",
      dir: path.join(mkdtempSync(path.join(dir, "c-")), "repo"),
      http: { username: "git", password: PASSWORD },
      forceSystemGit: system,
      sparseCheckout: ["clusters/dev", "clusters/dev/flux-system"],
    });
    try {
      await git.clone();
      expect(existsSync(path.join(git.dir, "apps/podinfo.yaml"))).toBe(!system);
      expect(await git.readFile("clusters/dev/apps.yaml")).toBe("kind: Kustomization\n");
      const sha = await git.commitFiles(
        { "clusters/dev/flux-system/gotk-sync.yaml": "kind: GitRepository\n" },
        "Add sync",
        author,
      );
      expect(sha).toMatch(/^[0-9a-f]{40}$/);
      expect(filesOnDisk(git.dir).sort()).toEqual([...onDisk].sort());
      await git.push();
      expect(srv.listFiles(repo, "main").sort()).toEqual(
        [...Object.keys(FILES), "clusters/dev/flux-system/gotk-sync.yaml"].sort(),
      );
      expect(srv.readFile(repo, "main", "infra/redis/release.yaml")).toBe("kind: HelmRelease\n");
      // A commit on top after a re-clone (the retry path) is sparse too and keeps everything.
      await git.reclone();
      expect(existsSync(path.join(git.dir, "infra"))).toBe(!system);
      await git.commitFiles(
        { "clusters/dev/flux-system/gotk-sync.yaml": "kind: GitRepository # 2\n" },
        "Update",
        author,
      );
      await git.push();
      expect(srv.listFiles(repo, "main")).toHaveLength(Object.keys(FILES).length + 1);
    } finally {
      await git.close();
    }
  });
});
