// bootstrap git over smart HTTP (git http-backend, Basic auth, --token-auth) with the
// real install bundle: the controller Deployments are scheduled on the kwok Node and
// rolled out by the real kube-controller-manager, source-controller clones the pushed
// commit and kustomize-controller applies flux-system from it; bootstrap's wait ends
// Ready at the pushed revision, and a second run changes nothing.
import type { KubeConfig } from "@kubernetes/client-node";
import { beforeAll, describe, expect, it } from "vitest";
import { testKubeConfig, uniqueName } from "../env/helpers.js";
import { startGitServer, type GitServer } from "../env/git-server.js";
import { realBundle } from "../fixtures/install/bundle.js";
import { GitHubServer } from "../providers/github-server.js";
import { GitLabServer } from "../providers/gitlab-server.js";
import { expectBootstrapReconciled, flux, fluxStatus } from "../support/e2e.js";
import { stopAfterAll } from "../support/teardown.js";

const TOKEN = "e2eBootstrapT0ken";
let git: GitServer;
let gh: GitHubServer;
let gl: GitLabServer;
let kc: KubeConfig;
let bundle: string;

const stopLater = stopAfterAll();

beforeAll(async () => {
  git = stopLater(await startGitServer({ username: "git", password: TOKEN }));
  gh = stopLater(await GitHubServer.start({ git, token: TOKEN, login: "octocat", orgs: {} }));
  gl = stopLater(await GitLabServer.start({ git, token: TOKEN, username: "jdoe", groups: [] }));
  kc = await testKubeConfig();
  bundle = await realBundle();
});

const expectReconciledByControllers = (ns: string, repoPath: string) =>
  expectBootstrapReconciled(kc, git, ns, repoPath);

describe("bootstrap git with the real controllers", () => {
  it("pushes, installs, and waits until the controllers reconcile the pushed revision; a re-run changes nothing", async () => {
    const ns = uniqueName("e2e-boot");
    const repo = `fleet/${ns}`;
    await git.createRepo(repo);
    const args = [
      "bootstrap",
      "git",
      `--url=${git.url(repo)}`,
      "--allow-insecure-http",
      "--token-auth",
      "--username=git",
      `--password=${TOKEN}`,
      "--path=clusters/dev",
      `--manifests=${bundle}`,
      "--timeout=3m",
      "-n",
      ns,
    ];
    const res = await flux(...args);
    expect(res.stderr).toContain("✔ all components are healthy");
    expect(res.code).toBe(0);
    expect(res.stderr + res.stdout).not.toContain(TOKEN);
    expect(git.log(repo, "main").map((c) => c.message)).toEqual([
      "Add Flux sync manifests",
      expect.stringMatching(/^Add Flux v2\.\d+\.\d+ component manifests$/),
    ]);
    const pushed = await expectReconciledByControllers(ns, repo);

    const again = await flux(...args);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("✔ bootstrap is up to date: nothing changed in the repository or the cluster");
    expect(git.log(repo, "main")).toHaveLength(2);
    expect((await fluxStatus(kc, "Kustomization", ns, ns)).lastAppliedRevision).toBe(pushed);
  });

  it("bootstrap github: a repository on the GitHub contract server, served over HTTP with the token", async () => {
    const repo = uniqueName("e2e-gh");
    const ns = repo;
    process.env.GITHUB_TOKEN = TOKEN;
    try {
      const res = await flux(
        "bootstrap",
        "github",
        `--hostname=${gh.url}`,
        "--owner=octocat",
        `--repository=${repo}`,
        "--personal",
        "--token-auth",
        "--path=clusters/home",
        `--manifests=${bundle}`,
        "--timeout=3m",
        "-n",
        ns,
      );
      expect(res.stderr).toContain("✔ all components are healthy");
      expect(res.code).toBe(0);
      expect(res.stderr + res.stdout).not.toContain(TOKEN);
      expect(gh.repo("octocat", repo)).toBeDefined();
      await expectReconciledByControllers(ns, `octocat/${repo}`);
    } finally {
      delete process.env.GITHUB_TOKEN;
    }
  });

  it("bootstrap gitlab: a project on the GitLab contract server, served over HTTP with the token", async () => {
    const name = uniqueName("e2e-gl");
    const ns = name;
    process.env.GITLAB_TOKEN = TOKEN;
    try {
      const res = await flux(
        "bootstrap",
        "gitlab",
        `--hostname=${gl.url}`,
        "--owner=jdoe",
        `--repository=${name}`,
        "--personal",
        "--token-auth",
        "--path=clusters/home",
        `--manifests=${bundle}`,
        "--timeout=3m",
        "-n",
        ns,
      );
      expect(res.stderr).toContain("✔ all components are healthy");
      expect(res.code).toBe(0);
      expect(res.stderr + res.stdout).not.toContain(TOKEN);
      expect(gl.project(`jdoe/${name}`)).toBeDefined();
      await expectReconciledByControllers(ns, `jdoe/${name}`);
    } finally {
      delete process.env.GITLAB_TOKEN;
    }
  });
});
