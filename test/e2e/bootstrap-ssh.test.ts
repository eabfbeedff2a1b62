// bootstrap over SSH with the real controllers: the contract servers and bootstrap git
// point at a real sshd (test/env/ssh-server.ts) serving the same repositories as the
// git HTTP server. bootstrap collects the host key from it with the real ssh-keyscan,
// writes the known_hosts line into the source Secret, and source-controller clones the
// ssh:// URL with the deploy key (read-only: it never pushes) and that known_hosts.
//
// --ssh-hostname: the SSH host differs from the API's (here a port of its own), and
// the sync URL and the known_hosts line name it. --ssh-hostkey-algos: the known_hosts
// line holds the key of the first listed algorithm the host has (without it, the one
// Go's SSH client negotiates first: ECDSA, as upstream's scan), and source-controller
// then verifies the host with that key.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fluxRef, getObject, secretStrings, testKubeConfig, uniqueName } from "../env/helpers.js";
import { startGitServer, type GitServer } from "../env/git-server.js";
import { startSshGitServer, type HostKeyType, type SshGitServer } from "../env/ssh-server.js";
import { realBundle } from "../fixtures/install/bundle.js";
import { GitHubServer } from "../providers/github-server.js";
import { GitLabServer } from "../providers/gitlab-server.js";
import { runCliProcess } from "../support/cli-process.js";
import { expectBootstrapReconciled, flux, kubeconfigPath } from "../support/e2e.js";
import { must } from "../support/must.js";
import { stopAfterAll } from "../support/teardown.js";

const TOKEN = "e2eSshBootT0ken";
let git: GitServer;
let ssh: SshGitServer;
let gh: GitHubServer;
let gl: GitLabServer;
let kc: KubeConfig;
let bundle: string;
let work: string;

const stopLater = stopAfterAll();

beforeAll(async () => {
  git = stopLater(await startGitServer({ username: "git", password: TOKEN }));
  ssh = stopLater(await startSshGitServer(git));
  gh = stopLater(await GitHubServer.start({ git, ssh, token: TOKEN, login: "octocat", orgs: {} }));
  gl = stopLater(await GitLabServer.start({ git, ssh, token: TOKEN, username: "jdoe", groups: [] }));
  kc = await testKubeConfig();
  bundle = await realBundle();
  work = mkdtempSync(path.join(os.tmpdir(), "tsflux-e2e-ssh-"));
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** What bootstrap left for source-controller: the sync URL and the source Secret. */
async function syncSource(ns: string) {
  const repo = await getObject(kc, fluxRef("GitRepository", ns, ns));
  const secret = (await secretStrings(kc, ns, "flux-system")) ?? {};
  return { url: (repo.spec as { url: string }).url, secret };
}

/** source-controller fetched `repo` over SSH, and nothing pushed over SSH with the deploy key. */
function expectClonedOverSsh(repo: string) {
  const sessions = ssh.sessions().filter((s) => s.repo === repo);
  expect(sessions.filter((s) => s.service === "git-upload-pack" && s.outcome === "ok").length).toBeGreaterThan(0);
  expect(sessions.filter((s) => s.outcome !== "ok")).toEqual([]);
}

async function bootstrapProvider(kind: "github" | "gitlab", owner: string, name: string, ns: string, extra: string[]) {
  const env = kind === "github" ? "GITHUB_TOKEN" : "GITLAB_TOKEN";
  process.env[env] = TOKEN;
  try {
    return await flux(
      "bootstrap",
      kind,
      `--hostname=${kind === "github" ? gh.url : gl.url}`,
      `--owner=${owner}`,
      `--repository=${name}`,
      "--personal",
      `--ssh-hostname=${ssh.hostPort}`,
      "--path=clusters/home",
      `--manifests=${bundle}`,
      "--timeout=3m",
      "-n",
      ns,
      ...extra,
    );
  } finally {
    Reflect.deleteProperty(process.env, env);
  }
}

describe("bootstrap over SSH with the real controllers", () => {
  it("bootstrap github --ssh-hostname: the sync URL and known_hosts name the SSH host; source-controller clones with the read-only deploy key", async () => {
    const name = uniqueName("e2e-ghssh");
    const ns = name;
    const res = await bootstrapProvider("github", "octocat", name, ns, []);
    expect(res.stderr).toContain("✔ all components are healthy");
    expect(res.code, res.stderr).toBe(0);
    const { url, secret } = await syncSource(ns);
    expect(url).toBe(`ssh://git@${ssh.hostPort}/octocat/${name}`);
    // Go's SSH client (upstream's scan and source-controller) prefers ECDSA.
    expect(secret.known_hosts?.trim()).toBe(ssh.knownHosts("ecdsa"));
    const { keys } = must(gh.repo("octocat", name), `the GitHub repository octocat/${name}`);
    expect(keys.map((k) => [k.key, k.read_only])).toEqual([
      [must(secret["identity.pub"], "identity.pub in the source Secret").trim().split(" ").slice(0, 2).join(" "), true],
    ]);
    await expectBootstrapReconciled(kc, git, ns, `octocat/${name}`, { ssh });
    expectClonedOverSsh(`octocat/${name}`);
  });

  const algoCases: { kind: "github" | "gitlab"; algos: string; key: HostKeyType }[] = [
    { kind: "gitlab", algos: "ssh-ed25519", key: "ed25519" },
    { kind: "github", algos: "rsa-sha2-512,rsa-sha2-256", key: "rsa" },
  ];
  for (const c of algoCases) {
    it(`bootstrap ${c.kind} --ssh-hostkey-algos=${c.algos}: known_hosts holds the host's ${c.key} key, and source-controller verifies the host with it`, async () => {
      const owner = c.kind === "github" ? "octocat" : "jdoe";
      const name = uniqueName(`e2e-${c.key}`);
      const ns = name;
      const res = await bootstrapProvider(c.kind, owner, name, ns, [`--ssh-hostkey-algos=${c.algos}`]);
      expect(res.code, res.stderr).toBe(0);
      const { secret } = await syncSource(ns);
      expect(secret.known_hosts?.trim()).toBe(ssh.knownHosts(c.key));
      await expectBootstrapReconciled(kc, git, ns, `${owner}/${name}`, { ssh });
      expectClonedOverSsh(`${owner}/${name}`);
    });
  }

  it("bootstrap git with an ssh:// URL: pushes over SSH with the key, and the sync URL and known_hosts follow --ssh-hostname", async () => {
    const ns = uniqueName("e2e-gitssh");
    const repo = `fleet/${ns}`;
    await git.createRepo(repo);
    const keyFile = path.join(work, `${ns}-key`);
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "", "-f", keyFile]);
    ssh.authorize(repo, readFileSync(`${keyFile}.pub`, "utf8"), "write");
    // The CLI reaches the host by one name (localhost), the cluster by another.
    const home = path.join(work, `${ns}-home`);
    const res = await runCliProcess(
      [
        "bootstrap",
        "git",
        `--url=ssh://git@localhost:${ssh.port}/${repo}.git`,
        `--ssh-hostname=${ssh.hostPort}`,
        `--private-key-file=${keyFile}`,
        "--silent",
        "--path=clusters/dev",
        `--manifests=${bundle}`,
        "--timeout=3m",
        "-n",
        ns,
        "--kubeconfig",
        kubeconfigPath(),
      ],
      { env: { HOME: home } },
    );
    expect(res.stderr).toContain("✔ all components are healthy");
    expect(res.code, res.stderr).toBe(0);
    expect(git.log(repo, "main").map((c) => c.message)).toEqual([
      "Add Flux sync manifests",
      expect.stringMatching(/^Add Flux v2\.\d+\.\d+ component manifests$/),
    ]);
    const pushes = ssh.sessions().filter((s) => s.repo === repo && s.service === "git-receive-pack");
    expect(pushes.map((s) => s.outcome)).toEqual(["ok", "ok"]);
    const { url, secret } = await syncSource(ns);
    expect(url).toBe(`ssh://git@${ssh.hostPort}/${repo}.git`);
    expect(secret.known_hosts?.trim()).toBe(ssh.knownHosts("ecdsa"));
    expect(secret.identity).toBe(readFileSync(keyFile, "utf8"));
    await expectBootstrapReconciled(kc, git, ns, repo, { ssh });
    expectClonedOverSsh(repo);
  });
});
