// The git layer against a real smart-HTTP git server (git-http-backend).
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GitAuthError,
  IsoGitClient,
  RemoteMovedError,
  SystemGitClient,
  commitAndPush,
  createGitClient,
  transportOf,
  type GitClient,
} from "../../../src/git/index.js";
import { createMemoryLogger } from "../../../src/output/logger.js";
import { startGitServer, type GitServer } from "../../env/git-server.js";
import { must } from "../../support/must.js";
import { stopAfterAll } from "../../support/teardown.js";

const TOKEN = "ghp_s3cretTOKENvalue";
const author = { name: "Flux", email: "flux@example.com" };
let srv: GitServer;
let n = 0;

const stopLater = stopAfterAll();
beforeAll(async () => {
  srv = stopLater(await startGitServer({ username: "git", password: TOKEN }));
});
// Every clone directory this file creates, removed when it ends.
const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

function tmpDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tsflux-gittest-"));
  tmpDirs.push(dir);
  return path.join(dir, "repo");
}

const impls: [string, (url: string, branch: string, password?: string) => GitClient][] = [
  [
    "isomorphic-git",
    (url, branch, password = TOKEN) =>
      new IsoGitClient({ url, branch, dir: tmpDir(), auth: { username: "git", password } }),
  ],
  [
    "system git",
    (url, branch, password = TOKEN) =>
      new SystemGitClient({ url, branch, dir: tmpDir(), http: { username: "git", password } }),
  ],
];

describe.each(impls)("%s over smart HTTP", (_name, make) => {
  it("clones, commits only the given files and pushes; other files are kept", async () => {
    const repo = `org/keep-${n++}`;
    await srv.createRepo(repo, { files: { "README.md": "hello\n", "apps/app.yaml": "kind: X\n" } });
    const git = make(srv.url(repo), "main");
    try {
      const res = await git.clone();
      expect(res).toEqual({ newBranch: false, emptyRemote: false });
      expect(await git.readFile("README.md")).toBe("hello\n");
      const sha = await git.commitFiles({ "clusters/a/flux-system/x.yaml": "a: 1\n" }, "Add x\n\nappendix", author);
      expect(sha).toMatch(/^[0-9a-f]{40}$/);
      await git.push();
      expect(srv.revParse(repo, "main")).toBe(sha);
      expect(srv.listFiles(repo, "main").sort()).toEqual([
        "README.md",
        "apps/app.yaml",
        "clusters/a/flux-system/x.yaml",
      ]);
      const [last] = srv.log(repo, "main");
      expect(last?.message).toBe("Add x\n\nappendix");
      expect(last?.author).toBe("Flux <flux@example.com>");
      // Same content again: no commit.
      expect(await git.commitFiles({ "clusters/a/flux-system/x.yaml": "a: 1\n" }, "Add x", author)).toBeUndefined();
      expect(srv.log(repo, "main")).toHaveLength(2);
    } finally {
      await git.close();
    }
  });

  it("starts an orphan branch in an empty repository and pushes it", async () => {
    const repo = `org/empty-${n++}`;
    await srv.createRepo(repo);
    const git = make(srv.url(repo), "main");
    try {
      expect(await git.clone()).toEqual({ newBranch: true, emptyRemote: true });
      expect(await git.head()).toBeUndefined();
      const sha = await git.commitFiles({ "f.txt": "x\n" }, "first", author);
      await git.push();
      expect(srv.revParse(repo, "main")).toBe(sha);
    } finally {
      await git.close();
    }
  });

  it("creates a missing branch without touching the default branch", async () => {
    const repo = `org/branch-${n++}`;
    await srv.createRepo(repo, { files: { "README.md": "main\n" } });
    const before = srv.revParse(repo, "main");
    const git = make(srv.url(repo), "clusters");
    try {
      expect(await git.clone()).toEqual({ newBranch: true, emptyRemote: false });
      await git.commitFiles({ "f.txt": "x\n" }, "first", author);
      await git.push();
      expect(srv.branches(repo).sort()).toEqual(["clusters", "main"]);
      expect(srv.revParse(repo, "main")).toBe(before);
    } finally {
      await git.close();
    }
  });

  it("fails with a clear error and no secret on a wrong token, changing nothing", async () => {
    const repo = `org/auth-${n++}`;
    await srv.createRepo(repo, { files: { "README.md": "x\n" } });
    const before = srv.revParse(repo, "main");
    const git = make(srv.url(repo), "main", "wrong-token-value");
    try {
      const err = await git.clone().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GitAuthError);
      expect((err as Error).message).toContain("authentication failed");
      expect((err as Error).message).not.toContain("wrong-token-value");
      expect(srv.revParse(repo, "main")).toBe(before);
    } finally {
      await git.close();
    }
  });

  it("never forces: a moved remote is rejected, then the commit is rebuilt on top", async () => {
    const repo = `org/moved-${n++}`;
    await srv.createRepo(repo, { files: { "README.md": "x\n" } });
    const git = make(srv.url(repo), "main");
    let moved = 0;
    srv.onRequest = (info) => {
      if (info.repo === repo && info.service === "git-receive-pack" && info.phase === "advertise" && moved === 0) {
        moved++;
        srv.commitFiles(repo, "main", { "other.txt": "someone else\n" }, "Concurrent change");
      }
    };
    try {
      await git.clone();
      // Plain push after the remote moved is rejected.
      await git.commitFiles({ "mine.txt": "mine\n" }, "Mine", author);
      await expect(git.push()).rejects.toBeInstanceOf(RemoteMovedError);
      const logger = createMemoryLogger();
      await git.reclone();
      const res = await commitAndPush(git, {
        files: () => ({ "mine.txt": "mine\n" }),
        message: "Mine",
        author,
        logger,
      });
      expect(res.attempts).toBe(1);
      const log = srv.log(repo, "main").map((c) => c.message);
      expect(log).toEqual(["Mine", "Concurrent change", "Initial commit"]);
      expect(srv.readFile(repo, "main", "other.txt")).toBe("someone else\n");
    } finally {
      srv.onRequest = undefined;
      await git.close();
    }
  });

  it("commitAndPush retries on a moved remote and keeps the other commit", async () => {
    const repo = `org/retry-${n++}`;
    await srv.createRepo(repo, { files: { "README.md": "x\n" } });
    const git = make(srv.url(repo), "main");
    let moved = 0;
    srv.onRequest = (info) => {
      if (info.repo === repo && info.service === "git-receive-pack" && info.phase === "advertise" && moved < 2) {
        moved++;
        srv.commitFiles(repo, "main", { [`other-${moved}.txt`]: "x\n" }, `Concurrent ${moved}`);
      }
    };
    const logger = createMemoryLogger();
    try {
      await git.clone();
      const res = await commitAndPush(git, {
        files: () => ({ "mine.txt": "mine\n" }),
        message: "Mine",
        author,
        logger,
      });
      expect(res.attempts).toBe(3);
      expect(srv.log(repo, "main").map((c) => c.message)).toEqual([
        "Mine",
        "Concurrent 2",
        "Concurrent 1",
        "Initial commit",
      ]);
      expect(logger.lines.filter((l) => l.includes("git conflict detected"))).toHaveLength(2);
      // Bounded: with a remote that always moves, it gives up.
      moved = -100;
      const git2 = make(srv.url(repo), "main");
      await git2.clone();
      await expect(
        commitAndPush(git2, { files: () => ({ "mine.txt": "changed\n" }), message: "Again", author, maxAttempts: 2 }),
      ).rejects.toBeInstanceOf(RemoteMovedError);
      await git2.close();
    } finally {
      srv.onRequest = undefined;
      await git.close();
    }
  });

  it("compareRemoteBranch tells an earlier run's branch (same tree) from someone else's, changing nothing", async () => {
    const repo = `org/compare-${n++}`;
    await srv.createRepo(repo, { files: { "README.md": "x\n" } });
    const files = { "clusters/a/flux-system/x.yaml": "a: 1\n", "clusters/a/flux-system/y.yaml": "b: 2\n" };
    // The earlier run: committed on main's head and pushed to the request's branch.
    const earlier = make(srv.url(repo), "main");
    const later = make(srv.url(repo), "main");
    try {
      await earlier.clone();
      const pushed = await earlier.commitFiles(files, "Add x", author);
      await earlier.push("pr");
      await later.clone();
      // Before this run commits: the branch is ahead by the earlier run's commit.
      expect(await later.compareRemoteBranch("pr", "clusters/a/flux-system")).toEqual({
        head: pushed,
        sameTree: false,
        sameDir: false,
        foreign: ["Add x"],
      });
      expect(await later.compareRemoteBranch("missing", "clusters/a/flux-system")).toBeUndefined();
      // The same files, another commit (its message differs, so its id always does).
      const mine = await later.commitFiles(files, "Add x again", author);
      expect(mine).not.toBe(pushed);
      await expect(later.push("pr")).rejects.toBeInstanceOf(RemoteMovedError);
      expect(await later.compareRemoteBranch("pr", "./clusters/a/flux-system/")).toEqual({
        head: pushed,
        sameTree: true,
        sameDir: true,
        foreign: ["Add x"],
      });
      // Someone's commit outside the directory: another tree, the same directory.
      srv.commitFiles(repo, "pr", { "notes.txt": "mine\n" }, "Someone's notes\n\nwith a body");
      expect(await later.compareRemoteBranch("pr", "clusters/a/flux-system")).toEqual({
        head: srv.revParse(repo, "pr"),
        sameTree: false,
        sameDir: true,
        foreign: ["Someone's notes\n\nwith a body", "Add x"],
      });
      // And inside it.
      srv.commitFiles(repo, "pr", { "clusters/a/flux-system/x.yaml": "a: 2\n" }, "Someone's change");
      const changed = await later.compareRemoteBranch("pr", "clusters/a/flux-system");
      expect(changed).toMatchObject({ sameTree: false, sameDir: false });
      expect(changed?.foreign).toHaveLength(3);
      // Nothing moved: not HEAD, not the working tree, not the remote.
      expect(await later.head()).toBe(mine);
      expect(await later.readFile("clusters/a/flux-system/x.yaml")).toBe("a: 1\n");
      expect(await later.readFile("notes.txt")).toBeUndefined();
      expect(srv.revParse(repo, "pr")).toBe(changed?.head);
      expect(srv.log(repo, "main").map((c) => c.message)).toEqual(["Initial commit"]);
    } finally {
      await earlier.close();
      await later.close();
    }
  });
});

describe("transport selection", () => {
  it("uses isomorphic-git for http(s) and the system git client for ssh", () => {
    expect(transportOf("https://github.com/o/r.git")).toBe("http");
    expect(transportOf("ssh://git@github.com/o/r")).toBe("ssh");
    expect(transportOf("git@github.com:o/r.git")).toBe("ssh");
    expect(() => transportOf("ftp://user:pw@host/x")).toThrow(/unsupported Git URL scheme/);
    expect(() => transportOf("ftp://user:pw@host/x")).not.toThrow(/pw/);
    expect(createGitClient({ url: "https://h/r", branch: "main", dir: "/tmp/x" })).toBeInstanceOf(IsoGitClient);
    expect(createGitClient({ url: "ssh://git@h/r", branch: "main", dir: "/tmp/x" })).toBeInstanceOf(SystemGitClient);
  });
});

describe("system git over ssh://", () => {
  it("hands ssh the key in a 0600 file, pushes, and removes the key on close", async () => {
    const repo = `org/ssh-${n++}`;
    await srv.createRepo(repo, { files: { "README.md": "x\n" } });
    const work = mkdtempSync(path.join(os.tmpdir(), "tsflux-fakessh-"));
    const logFile = path.join(work, "ssh.log");
    // A stand-in for ssh (as git's own test suite does): records how it was called and
    // runs the remote command locally against the bare repository.
    const fake = path.join(work, "fake-ssh");
    writeFileSync(
      fake,
      `#!/bin/sh
for a; do last="$a"; done
prev=""
for a; do
  if [ "$prev" = "-i" ]; then stat -c '%a' "$a" >> "${logFile}"; cat "$a" >> "${logFile}"; fi
  prev="$a"
done
echo "ARGS $*" >> "${logFile}"
exec sh -c "$last"
`,
    );
    chmodSync(fake, 0o755);
    const url = `ssh://git@git.example.com${path.join(srv.root, `${repo}.git`)}`;
    const git = new SystemGitClient({
      url,
      branch: "main",
      dir: tmpDir(),
      ssh: {
        privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nFAKEKEY\n-----END OPENSSH PRIVATE KEY-----",
        knownHosts: "git.example.com ssh-ed25519 AAAA",
        sshCommand: fake,
      },
    });
    try {
      await git.clone();
      const sha = await git.commitFiles({ "x.txt": "over ssh\n" }, "via ssh", author);
      await git.push();
      expect(srv.revParse(repo, "main")).toBe(sha);
      const log = readFileSync(logFile, "utf8");
      expect(log).toContain("600\n-----BEGIN OPENSSH PRIVATE KEY-----\nFAKEKEY");
      expect(log).toMatch(/ARGS .*-o IdentitiesOnly=yes/);
      expect(log).toMatch(/ARGS .*StrictHostKeyChecking=yes/);
      expect(log).toMatch(/git@git\.example\.com git-receive-pack/);
      const env = await git.environment();
      const sshCommand = must(env.GIT_SSH_COMMAND, "GIT_SSH_COMMAND");
      const keyFile = must(/'-i' '([^']+)'/.exec(sshCommand)?.[1], "the -i key file in GIT_SSH_COMMAND");
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      await git.close();
      expect(() => statSync(keyFile)).toThrow();
    } finally {
      await git.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe("https with a private CA (--ca-file)", () => {
  it("trusts the given CA only; without it the certificate is refused", async () => {
    const { readFileSync } = await import("node:fs");
    const { generateCerts } = await import("../../env/certs.js");
    const certDir = mkdtempSync(path.join(os.tmpdir(), "tsflux-gitcerts-"));
    const certs = await generateCerts(certDir);
    const read = (p: string) => readFileSync(p, "utf8");
    const tls = await startGitServer({
      username: "git",
      password: TOKEN,
      tls: { cert: read(certs.servingCert), key: read(certs.servingKey) },
    });
    try {
      expect(tls.baseUrl).toMatch(/^https:/);
      await tls.createRepo("org/tls", { files: { "README.md": "tls\n" } });
      const ca = read(certs.caCert);
      for (const make of [
        (c?: string) =>
          new IsoGitClient({
            url: tls.url("org/tls"),
            branch: "main",
            dir: tmpDir(),
            auth: { username: "git", password: TOKEN },
            ca: c,
          }),
        (c?: string) =>
          new SystemGitClient({
            url: tls.url("org/tls"),
            branch: "main",
            dir: tmpDir(),
            http: { username: "git", password: TOKEN },
            ca: c,
          }),
      ]) {
        const untrusted = make();
        await expect(untrusted.clone()).rejects.toThrow(/certificate|SSL/i);
        await untrusted.close();
        const trusted = make(ca);
        await trusted.clone();
        expect(await trusted.readFile("README.md")).toBe("tls\n");
        await trusted.commitFiles({ [`by-${trusted.constructor.name}.txt`]: "x\n" }, "over tls", author);
        await trusted.push();
        await trusted.close();
      }
      expect(tls.listFiles("org/tls", "main").sort()).toEqual([
        "README.md",
        "by-IsoGitClient.txt",
        "by-SystemGitClient.txt",
      ]);
    } finally {
      await tls.stop();
      rmSync(certDir, { recursive: true, force: true });
    }
  });
});
