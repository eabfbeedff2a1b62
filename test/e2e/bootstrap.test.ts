// bootstrap git over smart HTTP (git http-backend, Basic auth, --token-auth) with the
// real install bundle: the controller Deployments are scheduled on the kwok Node and
// rolled out by the real kube-controller-manager, source-controller clones the pushed
// commit and kustomize-controller applies flux-system from it; bootstrap's wait ends
// Ready at the pushed revision, and a second run changes nothing.
import type { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubeRequest, testKubeConfig, uniqueName, type KubeObject } from "../env/helpers.js";
import { startGitServer, type GitServer } from "../env/git-server.js";
import { KWOK_NODE } from "../env/controllers.js";
import { realBundle } from "../fixtures/install/bundle.js";
import { GitHubServer } from "../providers/github-server.js";
import { GitLabServer } from "../providers/gitlab-server.js";
import { flux, fluxStatus, readyCondition } from "../support/e2e.js";

const TOKEN = "e2eBootstrapT0ken";
const COMPONENTS = ["source-controller", "kustomize-controller", "helm-controller", "notification-controller"];
let git: GitServer;
let gh: GitHubServer;
let gl: GitLabServer;
let kc: KubeConfig;
let bundle: string;

beforeAll(async () => {
  git = await startGitServer({ username: "git", password: TOKEN });
  gh = await GitHubServer.start({ git, token: TOKEN, login: "octocat", orgs: {} });
  gl = await GitLabServer.start({ git, token: TOKEN, username: "jdoe", groups: [] });
  kc = await testKubeConfig();
  bundle = await realBundle();
});
afterAll(async () => {
  await gh?.stop();
  await gl?.stop();
  await git?.stop();
});

/**
 * What the controllers did after a bootstrap into ns from the repository at repoPath:
 * source-controller cloned the pushed commit with the token, kustomize-controller
 * applied flux-system from it, and the controller Deployments run on the kwok Node.
 */
async function expectReconciledByControllers(ns: string, repoPath: string): Promise<string> {
  const pushed = `main@sha1:${git.revParse(repoPath, "refs/heads/main")}`;
  const src = await fluxStatus(kc, "GitRepository", ns, ns);
  expect(src.artifact?.revision).toBe(pushed);
  expect(readyCondition(src)).toMatchObject({ status: "True", message: `stored artifact for revision '${pushed}'` });
  expect(
    git.requests.filter((r) => r.repo === repoPath && r.service === "git-upload-pack" && r.authorized).length,
  ).toBeGreaterThan(0);
  const ks = await fluxStatus(kc, "Kustomization", ns, ns);
  expect(ks.lastAppliedRevision).toBe(pushed);
  expect(readyCondition(ks)).toMatchObject({ status: "True", message: `Applied revision: ${pushed}` });
  const ids = ks.inventory!.entries.map((e) => e.id);
  for (const c of COMPONENTS) expect(ids).toContain(`${ns}_${c}_apps_Deployment`);
  expect(ids).toContain(`${ns}_${ns}_source.toolkit.fluxcd.io_GitRepository`);
  // Rolled out by kube-controller-manager on the kwok Node.
  for (const c of COMPONENTS) {
    const d = await kubeRequest<KubeObject>(kc, "GET", `/apis/apps/v1/namespaces/${ns}/deployments/${c}`);
    expect(d.status).toMatchObject({ readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1 });
  }
  const pods = await kubeRequest<{ items: KubeObject[] }>(kc, "GET", `/api/v1/namespaces/${ns}/pods`);
  expect(pods.items.length).toBeGreaterThanOrEqual(COMPONENTS.length);
  for (const p of pods.items) {
    expect((p.spec as { nodeName?: string }).nodeName).toBe(KWOK_NODE);
    expect((p.status as { phase?: string }).phase).toBe("Running");
  }
  return pushed;
}

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
