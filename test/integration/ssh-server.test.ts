// The test SSH git server (test/env/ssh-server.ts): a real sshd over the git server's
// repositories, keys granted per repository (read or write) as a deploy key is.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitServer, type GitServer } from "../env/git-server.js";
import { startSshGitServer, type SshGitServer } from "../env/ssh-server.js";
import { GitHubServer } from "../providers/github-server.js";
import { GitLabServer } from "../providers/gitlab-server.js";
import { stopAfterAll } from "../support/teardown.js";

let git: GitServer;
let ssh: SshGitServer;
let work: string;

const stopLater = stopAfterAll();

beforeAll(async () => {
  git = stopLater(await startGitServer({ username: "git", password: "pw" }));
  ssh = stopLater(await startSshGitServer(git));
  work = mkdtempSync(path.join(os.tmpdir(), "tsflux-sshtest-"));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** A fresh client key pair: [private key file, public key]. */
function clientKey(name: string): [string, string] {
  const file = path.join(work, `key-${name}`);
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", file]);
  return [file, readFileSync(`${file}.pub`, "utf8").trim()];
}

/** Runs git with ssh pinned to the key and the server's ed25519 host key. */
function gitSsh(key: string, args: string[], cwd = work) {
  const kh = path.join(work, "known_hosts");
  writeFileSync(kh, `${ssh.knownHosts("ed25519")}\n`);
  const res = spawnSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      PATH: process.env.PATH,
      HOME: work,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.com",
      GIT_SSH_COMMAND: `ssh -i ${key} -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile=${kh} -o StrictHostKeyChecking=yes`,
    },
  });
  return { code: res.status, out: `${res.stdout}${res.stderr}` };
}

describe("the SSH git server", () => {
  it("a write key clones and pushes; the push is on the git server", async () => {
    await git.createRepo("acme/rw", { files: { "README.md": "hi\n" } });
    const [key, pub] = clientKey("rw");
    ssh.authorize("acme/rw", pub, "write");
    const dir = path.join(work, "rw");
    const clone = gitSsh(key, ["clone", ssh.url("acme/rw"), dir]);
    expect(clone.out).not.toMatch(/fatal/);
    expect(clone.code).toBe(0);
    writeFileSync(path.join(dir, "new.txt"), "x\n");
    gitSsh(key, ["add", "."], dir);
    gitSsh(key, ["commit", "-qm", "over ssh"], dir);
    const push = gitSsh(key, ["push", "origin", "HEAD:main"], dir);
    expect(push.code, push.out).toBe(0);
    expect(git.log("acme/rw", "main")[0]?.message).toBe("over ssh");
    // The git server keeps serving (and writing) the repository sshd wrote to.
    git.commitFiles("acme/rw", "main", { "later.txt": "y\n" }, "over http");
    expect(gitSsh(key, ["pull", "-q", "origin", "main"], dir).code).toBe(0);
    expect(existsSync(path.join(dir, "later.txt"))).toBe(true);
    expect(ssh.sessions().filter((s) => s.repo === "acme/rw")).toEqual([
      { service: "git-upload-pack", repo: "acme/rw", outcome: "ok" },
      { service: "git-receive-pack", repo: "acme/rw", outcome: "ok" },
      { service: "git-upload-pack", repo: "acme/rw", outcome: "ok" },
    ]);
  });

  it("a read-only key clones, and its push is refused as GitHub words it", async () => {
    await git.createRepo("acme/ro", { files: { "README.md": "hi\n" } });
    const [key, pub] = clientKey("ro");
    ssh.authorize("acme/ro", pub, "read");
    const dir = path.join(work, "ro");
    expect(gitSsh(key, ["clone", `ssh://git@${ssh.hostPort}/acme/ro`, dir]).code).toBe(0);
    writeFileSync(path.join(dir, "new.txt"), "x\n");
    gitSsh(key, ["add", "."], dir);
    gitSsh(key, ["commit", "-qm", "refused"], dir);
    const push = gitSsh(key, ["push", "origin", "HEAD:main"], dir);
    expect(push.code).not.toBe(0);
    expect(push.out).toContain("ERROR: The key you are authenticating with has been marked as read only.");
    expect(git.log("acme/ro", "main").map((c) => c.message)).toEqual(["Initial commit"]);
  });

  it("a key reaches only the repositories it was granted; an unknown key is not let in; a revoked one no more", async () => {
    await git.createRepo("acme/a", { files: { "a.txt": "a\n" } });
    await git.createRepo("acme/b", { files: { "b.txt": "b\n" } });
    const [key, pub] = clientKey("a-only");
    ssh.authorize("acme/a", pub, "write");
    const other = gitSsh(key, ["clone", ssh.url("acme/b"), path.join(work, "b")]);
    expect(other.code).not.toBe(0);
    expect(other.out).toContain("ERROR: Repository not found.");
    const [stranger] = clientKey("stranger");
    const denied = gitSsh(stranger, ["clone", ssh.url("acme/a"), path.join(work, "a-stranger")]);
    expect(denied.code).not.toBe(0);
    expect(denied.out).toContain("Permission denied (publickey)");
    ssh.revoke("acme/a", pub);
    const revoked = gitSsh(key, ["clone", ssh.url("acme/a"), path.join(work, "a-revoked")]);
    expect(revoked.code).not.toBe(0);
  });

  it("ssh-keyscan collects each host key type it serves", () => {
    for (const t of ["ed25519", "ecdsa", "rsa"] as const) {
      const out = execFileSync("ssh-keyscan", ["-T", "5", "-p", String(ssh.port), "-t", t, ssh.host], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      });
      expect(out.trim()).toBe(ssh.knownHosts(t));
    }
  });

  it("stops cleanly: the port is closed, no sshd left, the temp dir gone; two run side by side", async () => {
    const other = await startSshGitServer(git, { hostKeyTypes: ["ed25519"] });
    expect(other.port).not.toBe(ssh.port);
    const dirs = () =>
      new Set(
        execFileSync("sh", ["-c", `ls -d ${os.tmpdir()}/tsflux-sshd-* 2>/dev/null || true`], { encoding: "utf8" })
          .split("\n")
          .filter(Boolean),
      );
    const before = dirs();
    const pids = () => execFileSync("sh", ["-c", `pgrep -f 'sshd -D -e -f .*' || true`], { encoding: "utf8" });
    await other.stop();
    const after = dirs();
    expect(after.size).toBe(before.size - 1);
    const probe = spawnSync("ssh-keyscan", ["-T", "2", "-p", String(other.port), "127.0.0.1"], { encoding: "utf8" });
    expect(probe.stdout).toBe("");
    expect(pids()).not.toContain(String(other.port));
  });

  it("the GitHub and GitLab contract servers hand out its clone URLs and let their deploy keys in, read-only as registered", async () => {
    const gh = await GitHubServer.start({ git, ssh, token: "t0k", login: "octocat" });
    const gl = await GitLabServer.start({ git, ssh, token: "t0k", username: "jdoe" });
    try {
      await gh.addRepo("octocat", "hub", { "README.md": "hub\n" });
      await gl.addProject("jdoe/lab", { "README.md": "lab\n" });
      const [roKey, roPub] = clientKey("gh-ro");
      const [rwKey, rwPub] = clientKey("gl-rw");
      const post = async (url: string, body: unknown, auth: string) => {
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: auth },
          body: JSON.stringify(body),
        });
        return (await res.json()) as Record<string, unknown>;
      };
      await post(`${gh.url}/repos/octocat/hub/keys`, { title: "flux", key: roPub, read_only: true }, "token t0k");
      await post(
        `${gl.url}/api/v4/projects/jdoe%2Flab/deploy_keys`,
        { title: "flux", key: rwPub, can_push: true },
        "Bearer t0k",
      );
      const hub = (await (
        await fetch(`${gh.url}/repos/octocat/hub`, { headers: { authorization: "token t0k" } })
      ).json()) as { ssh_url: string };
      const lab = (await (
        await fetch(`${gl.url}/api/v4/projects/jdoe%2Flab`, { headers: { authorization: "Bearer t0k" } })
      ).json()) as { ssh_url_to_repo: string };
      expect(hub.ssh_url).toBe(ssh.url("octocat/hub"));
      expect(lab.ssh_url_to_repo).toBe(ssh.url("jdoe/lab"));

      const hubDir = path.join(work, "hub");
      expect(gitSsh(roKey, ["clone", hub.ssh_url, hubDir]).code).toBe(0);
      gitSsh(roKey, ["commit", "-q", "--allow-empty", "-m", "no"], hubDir);
      expect(gitSsh(roKey, ["push", "origin", "HEAD:main"], hubDir).out).toContain("marked as read only");
      const labDir = path.join(work, "lab");
      expect(gitSsh(rwKey, ["clone", lab.ssh_url_to_repo, labDir]).code).toBe(0);
      gitSsh(rwKey, ["commit", "-q", "--allow-empty", "-m", "yes"], labDir);
      expect(gitSsh(rwKey, ["push", "origin", "HEAD:main"], labDir).code).toBe(0);
      expect(git.log("jdoe/lab", "main")[0]?.message).toBe("yes");
      // Each key is the other repository's stranger.
      expect(gitSsh(roKey, ["ls-remote", lab.ssh_url_to_repo]).out).toContain("Repository not found");
    } finally {
      await gh.stop();
      await gl.stop();
    }
  });
});

describe("tsflux's SSH git client against the SSH git server", () => {
  it("without known_hosts, accepts the host for this run only: the user's ~/.ssh/known_hosts is never written", async () => {
    const { createGitClient } = await import("../../src/git/index.js");
    await git.createRepo("acme/tofu", { files: { "README.md": "hi\n" } });
    const [keyFile, pub] = clientKey("tofu");
    ssh.authorize("acme/tofu", pub, "read");
    // ssh expands ~ from the password database, not $HOME.
    const userKnownHosts = path.join(os.userInfo().homedir, ".ssh", "known_hosts");
    const before = existsSync(userKnownHosts) ? readFileSync(userKnownHosts, "utf8") : undefined;
    const client = createGitClient({
      url: ssh.url("acme/tofu"),
      branch: "main",
      dir: path.join(work, "tofu"),
      ssh: { privateKey: readFileSync(keyFile, "utf8") },
    });
    try {
      await client.clone();
      expect(await client.readFile("README.md")).toBe("hi\n");
    } finally {
      await client.close();
    }
    const after = existsSync(userKnownHosts) ? readFileSync(userKnownHosts, "utf8") : undefined;
    expect(after).toBe(before);
    const port = new URL(ssh.url("acme/tofu")).port;
    expect(after ?? "").not.toContain(`:${port}]`);
  });
});
