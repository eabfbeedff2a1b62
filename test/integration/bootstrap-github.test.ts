// flux bootstrap github against the GitHub contract server (repositories backed by the
// real git server), the real API server, and the test playing the Flux controllers.
import type { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapWithProvider, type BootstrapProviderOptions } from "../../src/bootstrap/run.js";
import { GitHubProvider } from "../../src/providers/github.js";
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
import { GitHubServer } from "../providers/github-server.js";
import { must } from "../support/must.js";
import { stopAfterAll } from "../support/teardown.js";

const TOKEN = "ghp_integrationT0KEN";
const COMPONENTS = ["source-controller", "kustomize-controller", "helm-controller", "notification-controller"];
const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";

let git: GitServer;
let gh: GitHubServer;
let kc: KubeConfig;
let kubeconfig: string;
let bundle: string;

const stopLater = stopAfterAll();

beforeAll(async () => {
  git = stopLater(await startGitServer({ username: "git", password: TOKEN }));
  gh = stopLater(
    await GitHubServer.start({ git, token: TOKEN, login: "octocat", orgs: { acme: ["platform", "devs"] } }),
  );
  kc = await testKubeConfig();
  kubeconfig = await testKubeconfigPath();
  bundle = await crdFreeMiniBundle();
});
afterAll(async () => {
  if (bundle) (await import("node:fs")).rmSync(bundle, { recursive: true, force: true });
});

let stdout = "";
const context = (ns: string) =>
  bootstrapDeps(kubeconfig, ns, (t) => {
    stdout += t;
  });

const scanned: string[] = [];
const overrides = {
  scanHostKey: (hostport: string) => {
    scanned.push(hostport);
    return Promise.resolve(`${hostport} ${HOST_KEY}`);
  },
  sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, Math.min(ms, 100))),
};

async function run(repo: string, ns: string, extra: Record<string, unknown> = {}, opts: { standIn?: boolean } = {}) {
  const { ctx, logger } = context(ns);
  const provider = new GitHubProvider({ token: TOKEN, hostname: gh.url, retry: { attempts: 4, baseDelayMs: 5 } });
  const flags = { owner: "acme", repository: repo, path: "clusters/prod", manifests: bundle, ...extra };
  const options = await optionsFor<BootstrapProviderOptions>(["bootstrap", "github", ...argvOf(flags)]);
  const go = () => bootstrapWithProvider(options, ctx, { kind: "github", provider, token: TOKEN }, overrides);
  let error: unknown;
  try {
    if (opts.standIn === false) await go();
    else
      await withFluxStandIn(
        { kc, namespace: ns, headOf: (b) => git.revParse(`acme/${repo}`, `refs/heads/${b}`), components: COMPONENTS },
        go,
      );
  } catch (err) {
    error = err;
  }
  return { lines: logger.lines, error };
}

const secretData = (ns: string) => secretStrings(kc, ns, "flux-system");

describe("flux bootstrap github", () => {
  it("creates the repository, registers one read-only deploy key, grants teams, and a re-run changes nothing", async () => {
    const repo = uniqueName("fleet");
    const ns = uniqueName("fb-gh");
    const first = await run(repo, ns, { team: ["platform:admin", "devs"] });
    expect(first.error).toBeUndefined();
    expect(first.lines).toContain(`✔ repository "https://${new URL(gh.url).host}/acme/${repo}" created`);
    const state = must(gh.repo("acme", repo), "the GitHub repository");
    expect(state.keys).toHaveLength(1);
    expect(state.keys[0]?.read_only).toBe(true);
    expect(state.keys[0]?.title).toMatch(new RegExp(`^${ns}-main-flux-system-clusters/prod-[A-Za-z0-9+/]{12}$`));
    expect(Object.fromEntries(state.teams)).toEqual({ platform: "admin", devs: "maintain" });
    const data = must(await secretData(ns), "the flux-system Secret");
    expect(Object.keys(data).sort()).toEqual(["identity", "identity.pub", "known_hosts"]);
    expect(must(data["identity.pub"], "identity.pub").trim().split(" ").slice(0, 2).join(" ")).toBe(state.keys[0]?.key);
    expect(data["identity.pub"]).toMatch(/^ecdsa-sha2-nistp384 /);
    const domain = new URL(gh.url).host;
    expect(data.known_hosts).toBe(`${domain} ${HOST_KEY}\n`);
    const gitRepo = await tryGetObject(kc, fluxRef("GitRepository", ns, ns));
    expect((must(gitRepo, "the GitRepository").spec as { url: string }).url).toBe(`ssh://git@${domain}/acme/${repo}`);
    expect(git.listFiles(`acme/${repo}`, "main")).toContain(`clusters/prod/${ns}/gotk-sync.yaml`);
    expect(first.lines.join("\n")).not.toContain(TOKEN);
    expect(first.lines.join("\n")).not.toContain("PRIVATE KEY");
    const commits = git.log(`acme/${repo}`, "main").length;

    const second = await run(repo, ns, { team: ["platform:admin", "devs"] });
    expect(second.error).toBeUndefined();
    expect(second.lines).toContain(`✔ repository "https://${new URL(gh.url).host}/acme/${repo}" exists`);
    expect(second.lines.some((l) => l.startsWith("✔ deploy key") && l.includes("is already configured"))).toBe(true);
    expect(second.lines).toContain("✔ bootstrap is up to date: nothing changed in the repository or the cluster");
    expect(must(gh.repo("acme", repo), "the GitHub repository").keys).toHaveLength(1);
    expect(git.log(`acme/${repo}`, "main")).toHaveLength(commits);
    expect(await secretData(ns)).toEqual(data);
  });

  it("changes an existing repository's visibility only with --reconcile", async () => {
    const repo = uniqueName("fleet");
    const ns = uniqueName("fb-gh");
    await gh.addRepo("acme", repo, { "README.md": "x\n" }, "private");
    const plain = await run(repo, ns, { visibility: "public" });
    expect(plain.error).toBeUndefined();
    expect(must(gh.repo("acme", repo), "the GitHub repository").visibility).toBe("private");
    const reconciled = await run(repo, ns, { visibility: "public", reconcile: true });
    expect(reconciled.error).toBeUndefined();
    expect(reconciled.lines).toContain(`✔ repository "https://${new URL(gh.url).host}/acme/${repo}" reconciled`);
    expect(must(gh.repo("acme", repo), "the GitHub repository").visibility).toBe("public");
  });

  it("registers a read-write key with --read-write-key and ed25519 keys on request", async () => {
    const repo = uniqueName("fleet");
    const ns = uniqueName("fb-gh");
    const res = await run(repo, ns, { readWriteKey: true, sshKeyAlgorithm: "ed25519" });
    expect(res.error).toBeUndefined();
    const key = must(must(gh.repo("acme", repo), "the GitHub repository").keys[0], "the first of keys");
    expect(key.read_only).toBe(false);
    expect(key.key).toMatch(/^ssh-ed25519 /);
  });

  it("retries 5xx answers of the API with backoff", async () => {
    const repo = uniqueName("fleet");
    const ns = uniqueName("fb-gh");
    const before = gh.http.requests.length;
    gh.http.failNext(2, 502);
    const res = await run(repo, ns);
    expect(res.error).toBeUndefined();
    const statuses = gh.http.requests.slice(before, before + 3).map((r) => r.status);
    expect(statuses).toEqual([502, 502, 404]);
  });

  it("stops with GitHub's message on persistent 5xx, without touching the cluster", async () => {
    const repo = uniqueName("fleet");
    const ns = uniqueName("fb-gh");
    gh.http.failNext(4, 503, { message: "Service Unavailable" });
    const res = await run(repo, ns, {}, { standIn: false });
    expect((res.error as Error).message).toContain("Service Unavailable (HTTP 503)");
    expect(gh.repo("acme", repo)).toBeUndefined();
    expect(await tryGetObject(kc, { group: "", version: "v1", plural: "namespaces", name: ns })).toBeUndefined();
  });

  it("converges with one deploy key after a run that stopped between the secret and the key", async () => {
    const repo = uniqueName("fleet");
    const ns = uniqueName("fb-gh");
    gh.http.failRoute("POST", new RegExp(`^/repos/acme/${repo}/keys$`), 4, 503);
    const first = await run(repo, ns, {}, { standIn: false });
    expect((first.error as Error).message).toContain("(HTTP 503)");
    expect(must(gh.repo("acme", repo), "the GitHub repository").keys).toHaveLength(0);
    const data = must(await secretData(ns), "the flux-system Secret");
    const second = await run(repo, ns);
    expect(second.error).toBeUndefined();
    expect(second.lines).toContain("✔ source secret up to date");
    const keys = must(gh.repo("acme", repo), "the GitHub repository").keys;
    expect(keys).toHaveLength(1);
    expect(keys[0]?.key).toBe(must(data["identity.pub"], "identity.pub").trim());
    expect(await secretData(ns)).toEqual(data);
  });

  it("opens a pull request, waits for its merge, then finishes; --wait=false stops at the URL", async () => {
    const repo = uniqueName("fleet");
    const ns = uniqueName("fb-gh");
    await gh.addRepo("acme", repo, { "README.md": "protected\n" });
    const before = git.revParse(`acme/${repo}`, "main");
    // --wait=false: opens the request and stops.
    stdout = "";
    const early = await run(repo, ns, { pr: true, wait: false }, { standIn: false });
    expect(early.error).toBeUndefined();
    expect(stdout).toBe(`https://github.example/acme/${repo}/pull/1\n`);
    expect(git.revParse(`acme/${repo}`, "main")).toBe(before);
    const pr = must(must(gh.repo("acme", repo), "the GitHub repository").pulls[0], "the first of pulls");
    expect(pr).toMatchObject({ head: `flux-bootstrap-${ns}`, base: "main", state: "open" });
    expect(
      early.lines.some((l) => l.includes("run bootstrap again once the request is merged: https://github.example/")),
    ).toBe(true);
    expect(await tryGetObject(kc, fluxRef("GitRepository", ns, ns))).toBeUndefined();
    // A second run finds the open request and, this time, waits for the merge.
    const mark = gh.http.requests.length;
    const merger = (async () => {
      // Merge once the run polls the request.
      for (let i = 0; i < 300; i++) {
        await new Promise((r) => setTimeout(r, 100));
        if (gh.http.requests.slice(mark).some((r) => r.path === `/repos/acme/${repo}/pulls/1`)) {
          gh.mergePull("acme", repo, 1);
          return;
        }
      }
    })();
    const res = await run(repo, ns, { pr: true });
    await merger;
    expect(res.error).toBeUndefined();
    expect(res.lines).toContain("✔ pull request #1 merged");
    expect(must(gh.repo("acme", repo), "the GitHub repository").pulls).toHaveLength(1);
    expect(git.readFile(`acme/${repo}`, "main", `clusters/prod/${ns}/gotk-sync.yaml`)).toContain("kind: GitRepository");
    expect(git.readFile(`acme/${repo}`, "main", "README.md")).toBe("protected\n");
  });
});

describe("flux bootstrap github (CLI)", () => {
  it("bootstraps a personal repository with --token-auth and never prints the token", async () => {
    const repo = uniqueName("mine");
    const ns = uniqueName("fb-gh");
    process.env.GITHUB_TOKEN = TOKEN;
    try {
      const res = await withFluxStandIn(
        {
          kc,
          namespace: ns,
          headOf: (b) => git.revParse(`octocat/${repo}`, `refs/heads/${b}`),
          components: COMPONENTS,
        },
        () =>
          runCli([
            "bootstrap",
            "github",
            "--kubeconfig",
            kubeconfig,
            "-n",
            ns,
            `--hostname=${gh.url}`,
            "--owner=octocat",
            `--repository=${repo}`,
            "--personal",
            "--private=false",
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
      expect(must(gh.repo("octocat", repo), "the GitHub repository").visibility).toBe("public");
      const data = must(await secretData(ns), "the flux-system Secret");
      expect(data).toEqual({ username: "git", password: TOKEN });
      const gitRepo = await tryGetObject(kc, fluxRef("GitRepository", ns, ns));
      expect((must(gitRepo, "the GitRepository").spec as { url: string }).url).toBe(git.url(`octocat/${repo}`));
    } finally {
      delete process.env.GITHUB_TOKEN;
    }
  });

  it("fails on a wrong token with GitHub's message and changes nothing", async () => {
    const repo = uniqueName("nope");
    const ns = uniqueName("fb-gh");
    process.env.GITHUB_TOKEN = "ghp_wrongWRONGwrong";
    try {
      const res = await runCli([
        "bootstrap",
        "github",
        "--kubeconfig",
        kubeconfig,
        "-n",
        ns,
        `--hostname=${gh.url}`,
        "--owner=acme",
        `--repository=${repo}`,
        "--path=clusters/x",
        "--manifests",
        bundle,
      ]);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain("Bad credentials (HTTP 401)");
      expect(res.stderr).not.toContain("ghp_wrongWRONGwrong");
      expect(gh.repo("acme", repo)).toBeUndefined();
      expect(git.repoExists(`acme/${repo}`)).toBe(false);
      expect(await tryGetObject(kc, { group: "", version: "v1", plural: "namespaces", name: ns })).toBeUndefined();
    } finally {
      delete process.env.GITHUB_TOKEN;
    }
  });

  it("refuses --personal for an owner who is not the token's user", async () => {
    process.env.GITHUB_TOKEN = TOKEN;
    try {
      const res = await runCli([
        "bootstrap",
        "github",
        "--kubeconfig",
        kubeconfig,
        `--hostname=${gh.url}`,
        "--owner=someone-else",
        "--repository=r",
        "--personal",
        "--manifests",
        bundle,
      ]);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('--owner "someone-else" is not the token\'s user "octocat"');
      expect(gh.repo("octocat", "r")).toBeUndefined();
    } finally {
      delete process.env.GITHUB_TOKEN;
    }
  });

  it("asks for the token when GITHUB_TOKEN is unset and there is no terminal", async () => {
    delete process.env.GITHUB_TOKEN;
    const res = await runCli(["bootstrap", "github", "--owner=acme", "--repository=x"]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("✗ the GitHub token is missing: set the GITHUB_TOKEN environment variable");
  });
});
