// The canary check: commands that take a token, a password or a private key run with
// canary values (bootstrap git and github, create secret git with a password and with
// a private key, a failing bootstrap with a wrong password, install's pull secret);
// then every captured stdout/stderr, every file left in the temp dir and HOME the
// commands used, every object of every git repository on the server, and every object
// in the cluster except the Secrets meant to hold them are scanned. One occurrence fails.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNamespace, secretStrings, testKubeConfig, testKubeconfigPath, uniqueName } from "../env/helpers.js";
import { startGitServer, type GitServer } from "../env/git-server.js";
import { runCli, type CliResult } from "../helpers/cli.js";
import { GitHubServer } from "../providers/github-server.js";
import { crdFreeMiniBundle, withFluxStandIn } from "../providers/flux-standin.js";
import { makeCanaries, scanCluster, scanDir, scanGitRepo, scanText, type Canaries } from "../support/canary.js";
import { stopAfterAll } from "../support/teardown.js";

const COMPONENTS = ["source-controller", "kustomize-controller", "helm-controller", "notification-controller"];

let c: Canaries;
let work: string;
let tmp: string;
let home: string;
let git: GitServer;
let gh: GitHubServer;
let kc: KubeConfig;
let kubeconfig: string;
let bundle: string;
const saved = { TMPDIR: process.env.TMPDIR, HOME: process.env.HOME, GITHUB_TOKEN: process.env.GITHUB_TOKEN };
const outputs: { what: string; res: CliResult }[] = [];
/** Secrets that are meant to hold a canary: namespace/name. */
const allowed = new Set<string>();

const stopLater = stopAfterAll();

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), "tsflux-canary-"));
  c = makeCanaries(work);
  bundle = await crdFreeMiniBundle();
  git = stopLater(await startGitServer({ username: "git", password: c.password, extraPasswords: [c.token] }));
  gh = stopLater(await GitHubServer.start({ git, token: c.token, login: "octocat" }));
  kc = await testKubeConfig();
  kubeconfig = await testKubeconfigPath();
  // What the commands write goes here (this file runs in a worker of its own).
  tmp = path.join(work, "tmp");
  home = path.join(work, "home");
  mkdirSync(tmp);
  mkdirSync(home);
  process.env.TMPDIR = tmp;
  process.env.HOME = home;
});
afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) Reflect.deleteProperty(process.env, k);
    else process.env[k] = v;
  }
  if (bundle) rmSync(bundle, { recursive: true, force: true });
  if (work) rmSync(work, { recursive: true, force: true });
});

async function run(what: string, args: string[], ns?: string): Promise<CliResult> {
  const exec = () => runCli(["--kubeconfig", kubeconfig, ...args]);
  const res = ns
    ? await withFluxStandIn(
        {
          kc,
          namespace: ns,
          headOf: (b) => {
            for (const repo of repos) {
              const head = git.revParse(repo.path, `refs/heads/${b}`);
              if (head && repo.ns === ns) return head;
            }
            return undefined;
          },
          components: COMPONENTS,
        },
        exec,
      )
    : await exec();
  outputs.push({ what, res });
  return res;
}

const repos: { path: string; ns: string }[] = [];

describe("canary secrets", { shuffle: false }, () => {
  it("bootstrap git with a canary password", async () => {
    const ns = uniqueName("canary-git");
    const repo = `fleet/${uniqueName("canary")}`;
    repos.push({ path: repo, ns });
    await git.createRepo(repo);
    const res = await run(
      "bootstrap git",
      [
        "bootstrap",
        "git",
        "-n",
        ns,
        `--url=${git.url(repo)}`,
        "--allow-insecure-http",
        "--username=git",
        `--password=${c.password}`,
        "--path=clusters/dev",
        `--manifests=${bundle}`,
        "--timeout=30s",
      ],
      ns,
    );
    expect(res.code, res.stderr).toBe(0);
    expect(await secretStrings(kc, ns, "flux-system")).toMatchObject({ password: c.password });
    allowed.add(`${ns}/flux-system`);
  });

  it("bootstrap github with a canary token (--token-auth)", async () => {
    const ns = uniqueName("canary-gh");
    const name = uniqueName("canary");
    repos.push({ path: `octocat/${name}`, ns });
    process.env.GITHUB_TOKEN = c.token;
    const res = await run(
      "bootstrap github",
      [
        "bootstrap",
        "github",
        "-n",
        ns,
        `--hostname=${gh.url}`,
        "--owner=octocat",
        `--repository=${name}`,
        "--personal",
        "--token-auth",
        "--path=clusters/home",
        `--manifests=${bundle}`,
        "--timeout=30s",
      ],
      ns,
    );
    delete process.env.GITHUB_TOKEN;
    expect(res.code, res.stderr).toBe(0);
    expect(await secretStrings(kc, ns, "flux-system")).toMatchObject({ password: c.token });
    allowed.add(`${ns}/flux-system`);
  });

  it("a bootstrap that fails with a wrong canary password", async () => {
    const ns = uniqueName("canary-bad");
    const repo = `fleet/${uniqueName("canary")}`;
    await git.createRepo(repo);
    const res = await run("bootstrap git (wrong password)", [
      "bootstrap",
      "git",
      "-n",
      ns,
      `--url=${git.url(repo)}`,
      "--allow-insecure-http",
      "--username=git",
      `--password=${c.password}-wrong`,
      "--path=clusters/dev",
      `--manifests=${bundle}`,
      "--timeout=10s",
    ]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^✗ /m);
  });

  it("create secret git with a canary password, create secret tls with a canary private key", async () => {
    const ns = await createNamespace(kc, uniqueName("canary-sec"));
    const basic = await run("create secret git (password)", [
      "create",
      "secret",
      "git",
      "basic",
      "--url=https://example.com/repo.git",
      "-u",
      "git",
      "-p",
      c.password,
      "-n",
      ns,
    ]);
    expect(basic.code, basic.stderr).toBe(0);
    allowed.add(`${ns}/basic`);
    const tls = await run("create secret tls (private key)", [
      "create",
      "secret",
      "tls",
      "tls",
      `--tls-crt-file=${c.certFile}`,
      `--tls-key-file=${c.privateKeyFile}`,
      "-n",
      ns,
    ]);
    expect(tls.code, tls.stderr).toBe(0);
    allowed.add(`${ns}/tls`);
    expect((await secretStrings(kc, ns, "tls"))?.["tls.key"]).toBe(c.privateKey);
    // --export prints the Secret on stdout by design (that is its job): not scanned.
  });

  it("finds no canary anywhere else", async () => {
    const findings = [
      ...outputs.flatMap(({ what, res }) => [
        ...scanText(`stdout of ${what}`, res.stdout, c),
        ...scanText(`stderr of ${what}`, res.stderr, c),
      ]),
      ...scanDir(tmp, c),
      ...scanDir(home, c),
      ...repos.flatMap((r) => scanGitRepo(path.join(git.root, `${r.path}.git`), c)),
      ...(await scanCluster(kc, c, allowed)),
    ];
    expect(outputs.length).toBe(5);
    // The scan itself finds a canary, plain or encoded.
    expect(scanText("self-check", `a ${Buffer.from(c.token).toString("base64")} b`, c)).toHaveLength(1);
    expect(scanText("self-check", c.privateKey, c).length).toBeGreaterThan(10);
    expect(repos.length).toBe(2);
    expect(findings).toEqual([]);
  });
});
