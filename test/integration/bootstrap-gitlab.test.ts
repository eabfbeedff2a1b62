// flux bootstrap gitlab against the GitLab contract server (projects backed by the real
// git server), the real API server, and the test playing the Flux controllers.
import type { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapWithProvider, type BootstrapProviderOptions } from "../../src/bootstrap/run.js";
import { GitLabProvider } from "../../src/providers/gitlab.js";
import {
  fluxRef,
  secretStrings,
  testKubeConfig,
  testKubeconfigPath,
  tryGetObject,
  uniqueName,
} from "../env/helpers.js";
import { startGitServer, type GitServer } from "../env/git-server.js";
import { argvOf, optionsFor, runCli } from "../helpers/cli.js";
import { crdFreeMiniBundle, withFluxStandIn } from "../providers/flux-standin.js";
import { bootstrapDeps } from "../support/bootstrap-deps.js";
import { GitLabServer } from "../providers/gitlab-server.js";
import { must } from "../support/must.js";
import { stopAfterAll } from "../support/teardown.js";

const TOKEN = "glpat-integrationTOKEN";
const COMPONENTS = ["source-controller", "kustomize-controller", "helm-controller", "notification-controller"];
const HOST_KEY =
  "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBFSMqzJeV9rUzU4kWitGjeR4PWSa29SPqJ1fVkhtj3Hw9xjLVXVYrU9QlYWrOLXBpQ6KWjbjTDTdDkoohFzgbEY=";

let git: GitServer;
let gl: GitLabServer;
let kc: KubeConfig;
let kubeconfig: string;
let bundle: string;

const stopLater = stopAfterAll();

beforeAll(async () => {
  git = stopLater(await startGitServer({ username: "git", password: TOKEN }));
  gl = stopLater(
    await GitLabServer.start({
      git,
      token: TOKEN,
      username: "jdoe",
      groups: ["acme", "acme/platform", "acme/platform/clusters"],
    }),
  );
  kc = await testKubeConfig();
  kubeconfig = await testKubeconfigPath();
  bundle = await crdFreeMiniBundle();
});
afterAll(async () => {
  if (bundle) (await import("node:fs")).rmSync(bundle, { recursive: true, force: true });
});

const context = (ns: string) => bootstrapDeps(kubeconfig, ns);

const overrides = {
  scanHostKey: (hostport: string) => Promise.resolve(`${hostport} ${HOST_KEY}`),
  sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, Math.min(ms, 100))),
};

async function run(fullPath: string, ns: string, flags: Record<string, unknown>) {
  const { ctx, logger } = context(ns);
  const provider = new GitLabProvider({ token: TOKEN, hostname: gl.url, retry: { attempts: 4, baseDelayMs: 5 } });
  let error: unknown;
  try {
    await withFluxStandIn(
      { kc, namespace: ns, headOf: (b) => git.revParse(fullPath, `refs/heads/${b}`), components: COMPONENTS },
      async () =>
        bootstrapWithProvider(
          await optionsFor<BootstrapProviderOptions>([
            "bootstrap",
            "gitlab",
            ...argvOf({ path: "clusters/edge", manifests: bundle, ...flags }),
          ]),
          ctx,
          { kind: "gitlab", provider, token: TOKEN },
          overrides,
        ),
    );
  } catch (err) {
    error = err;
  }
  return { lines: logger.lines, error };
}

const secretData = (ns: string) => secretStrings(kc, ns, "flux-system");

describe("flux bootstrap gitlab", () => {
  it("creates a project in a nested group with an SSH deploy key; a re-run changes nothing", async () => {
    const name = uniqueName("fleet");
    const full = `acme/platform/clusters/${name}`;
    const ns = uniqueName("fb-gl");
    const first = await run(full, ns, { owner: "acme", repository: `platform/clusters/${name}`, team: ["platform"] });
    expect(first.error).toBeUndefined();
    expect(first.lines).toContain(`✔ repository "https://${new URL(gl.url).host}/${full}" created`);
    const project = must(gl.project(full), "the GitLab project");
    expect(project.shares).toEqual([
      { group_id: gl.groups.get("acme/platform"), group_full_path: "acme/platform", group_access_level: 40 },
    ]);
    expect(project.keys).toHaveLength(1);
    expect(project.keys[0]?.can_push).toBe(false);
    const gitRepo = await tryGetObject(kc, fluxRef("GitRepository", ns, ns));
    expect((must(gitRepo, "the GitRepository").spec as { url: string }).url).toBe(
      `ssh://git@${new URL(gl.url).host}/${full}`,
    );
    const data = must(await secretData(ns), "the flux-system Secret");
    expect(must(data["identity.pub"], "identity.pub").trim().split(" ").slice(0, 2).join(" ")).toBe(
      project.keys[0]?.key,
    );
    expect(git.listFiles(full, "main").sort()).toEqual([
      "README.md",
      `clusters/edge/${ns}/gotk-components.yaml`,
      `clusters/edge/${ns}/gotk-sync.yaml`,
      `clusters/edge/${ns}/kustomization.yaml`,
    ]);
    const commits = git.log(full, "main").length;
    const second = await run(full, ns, { owner: "acme", repository: `platform/clusters/${name}`, team: ["platform"] });
    expect(second.error).toBeUndefined();
    expect(second.lines).toContain("✔ bootstrap is up to date: nothing changed in the repository or the cluster");
    expect(must(gl.project(full), "the GitLab project").keys).toHaveLength(1);
    expect(git.log(full, "main")).toHaveLength(commits);
  });

  it("uses a project deploy token with --deploy-token-auth, issued once", async () => {
    const name = uniqueName("fleet");
    const full = `acme/${name}`;
    const ns = uniqueName("fb-gl");
    const res = await run(full, ns, { owner: "acme", repository: name, deployTokenAuth: true });
    expect(res.error).toBeUndefined();
    const tokens = must(gl.project(full), "the GitLab project").tokens;
    expect(tokens).toHaveLength(1);
    expect(tokens[0]?.scopes).toEqual(["read_repository"]);
    expect(await secretData(ns)).toEqual({ username: tokens[0]?.username, password: tokens[0]?.token });
    expect(must(gl.project(full), "the GitLab project").keys).toHaveLength(0);
    const again = await run(full, ns, { owner: "acme", repository: name, deployTokenAuth: true });
    expect(again.error).toBeUndefined();
    expect(must(gl.project(full), "the GitLab project").tokens).toHaveLength(1);
  });

  it("opens a merge request and finishes after it is merged", async () => {
    const name = uniqueName("fleet");
    const full = `acme/${name}`;
    const ns = uniqueName("fb-gl");
    await gl.addProject(full, { "README.md": "x\n" });
    const mark = gl.http.requests.length;
    const merger = (async () => {
      for (let i = 0; i < 300; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const p = must(gl.project(full), "the GitLab project");
        if (p.mrs.length > 0 && gl.http.requests.slice(mark).some((r) => r.path.endsWith("/merge_requests/1"))) {
          gl.mergeMr(full, 1);
          return;
        }
      }
    })();
    const res = await run(full, ns, { owner: "acme", repository: name, pr: true, tokenAuth: true });
    await merger;
    expect(res.error).toBeUndefined();
    expect(res.lines).toContain("✔ merge request !1 merged");
    expect(must(gl.project(full), "the GitLab project").mrs[0]).toMatchObject({
      source_branch: `flux-bootstrap-${ns}`,
      target_branch: "main",
      state: "merged",
    });
    expect(git.readFile(full, "main", `clusters/edge/${ns}/gotk-sync.yaml`)).toContain("kind: Kustomization");
  });
});

describe("flux bootstrap gitlab --pr on a repository without the branch", () => {
  it("pushes directly, since there is no branch to protect or merge into", async () => {
    const name = uniqueName("fleet");
    const full = `acme/${name}`;
    const ns = uniqueName("fb-gl");
    await gl.addProject(full);
    const res = await run(full, ns, { owner: "acme", repository: name, pr: true, tokenAuth: true });
    expect(res.error).toBeUndefined();
    expect(res.lines).toContain(
      '⚠️ branch "main" does not exist yet: pushing to it directly instead of opening a merge request',
    );
    expect(must(gl.project(full), "the GitLab project").mrs).toHaveLength(0);
    expect(git.readFile(full, "main", `clusters/edge/${ns}/gotk-sync.yaml`)).toContain("kind: GitRepository");
  });
});

describe("flux bootstrap gitlab (CLI)", () => {
  it("bootstraps a personal project with --token-auth", async () => {
    const name = uniqueName("mine");
    const full = `jdoe/${name}`;
    const ns = uniqueName("fb-gl");
    process.env.GITLAB_TOKEN = TOKEN;
    try {
      const res = await withFluxStandIn(
        { kc, namespace: ns, headOf: (b) => git.revParse(full, `refs/heads/${b}`), components: COMPONENTS },
        () =>
          runCli([
            "bootstrap",
            "gitlab",
            "--kubeconfig",
            kubeconfig,
            "-n",
            ns,
            `--hostname=${gl.url}`,
            "--owner=jdoe",
            `--repository=${name}`,
            "--personal",
            "--visibility=internal",
            "--token-auth",
            "--path=clusters/home",
            "--manifests",
            bundle,
            "--timeout=20s",
          ]),
      );
      expect(res.stderr).toContain("✔ all components are healthy");
      expect(res.code).toBe(0);
      expect(res.stderr + res.stdout).not.toContain(TOKEN);
      expect(must(gl.project(full), "the GitLab project").visibility).toBe("internal");
      expect(await secretData(ns)).toEqual({ username: "git", password: TOKEN });
    } finally {
      delete process.env.GITLAB_TOKEN;
    }
  });

  it("fails on a wrong token with GitLab's message and changes nothing", async () => {
    process.env.GITLAB_TOKEN = "glpat-WRONGwrongWRONG";
    try {
      const ns = uniqueName("fb-gl");
      const name = uniqueName("nope");
      const res = await runCli([
        "bootstrap",
        "gitlab",
        "--kubeconfig",
        kubeconfig,
        "-n",
        ns,
        `--hostname=${gl.url}`,
        "--owner=acme",
        `--repository=${name}`,
        "--manifests",
        bundle,
      ]);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain("401 Unauthorized (HTTP 401)");
      expect(res.stderr).not.toContain("glpat-WRONGwrongWRONG");
      expect(gl.project(`acme/${name}`)).toBeUndefined();
      expect(await tryGetObject(kc, { group: "", version: "v1", plural: "namespaces", name: ns })).toBeUndefined();
    } finally {
      delete process.env.GITLAB_TOKEN;
    }
  });

  it("explains a missing group and creates nothing", async () => {
    process.env.GITLAB_TOKEN = TOKEN;
    try {
      const ns = uniqueName("fb-gl");
      const res = await runCli([
        "bootstrap",
        "gitlab",
        "--kubeconfig",
        kubeconfig,
        "-n",
        ns,
        `--hostname=${gl.url}`,
        "--owner=ghosts",
        "--repository=fleet",
        "--manifests",
        bundle,
      ]);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('group "ghosts" not found');
      expect(await tryGetObject(kc, { group: "", version: "v1", plural: "namespaces", name: ns })).toBeUndefined();
    } finally {
      delete process.env.GITLAB_TOKEN;
    }
  });
});
