// flux bootstrap gitea and bitbucket-server against their contract servers
// (test/providers: Gitea's REST API v1, Bitbucket Server's REST 1.0 and SSH keys APIs;
// repositories backed by the real git server), the real API server, and the test
// playing the Flux controllers.
import { rmSync } from "node:fs";
import type { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  fluxRef,
  secretStrings,
  testKubeConfig,
  testKubeconfigPath,
  tryGetObject,
  uniqueName,
} from "../env/helpers.js";
import { startGitServer, type GitServer } from "../env/git-server.js";
import { optionsFor, runCli } from "../helpers/cli.js";
import { bootstrapWithProvider, type BootstrapProviderOptions, type ProviderSetup } from "../../src/bootstrap/run.js";
import { BitbucketServerProvider } from "../../src/providers/bitbucket-server.js";
import { GiteaProvider } from "../../src/providers/gitea.js";
import { BitbucketServer } from "../providers/bitbucket-server.js";
import { crdFreeMiniBundle, withFluxStandIn } from "../providers/flux-standin.js";
import { bootstrapDeps } from "../support/bootstrap-deps.js";
import { GiteaServer } from "../providers/gitea-server.js";
import { must } from "../support/must.js";
import { stopAfterAll } from "../support/teardown.js";

const GITEA_TOKEN = "gitea-integration-TOKEN";
const BB_TOKEN = "bbs-integration-TOKEN";
const COMPONENTS = ["source-controller", "kustomize-controller", "helm-controller", "notification-controller"];

let kc: KubeConfig;
let kubeconfig: string;
let bundle: string;
// upstream clones from Gitea as the owner and from Bitbucket Server as --username: one git server each.
let giteaGit: GitServer;
let bbGit: GitServer;
let gitea: GiteaServer;
let bb: BitbucketServer;

const stopLater = stopAfterAll();

beforeAll(async () => {
  giteaGit = stopLater(await startGitServer({ username: "acme", password: GITEA_TOKEN }));
  bbGit = stopLater(await startGitServer({ username: "jdoe", password: BB_TOKEN }));
  gitea = stopLater(
    await GiteaServer.start({
      git: giteaGit,
      token: GITEA_TOKEN,
      username: "jdoe",
      orgs: { acme: { platform: "write", readers: "read" } },
      tokens: { "gitea-read-only": ["read:repository", "read:user", "read:organization"] },
    }),
  );
  bb = stopLater(
    await BitbucketServer.start({
      git: bbGit,
      token: BB_TOKEN,
      username: "jdoe",
      projects: ["FLUX"],
      groups: ["platform"],
    }),
  );
  kc = await testKubeConfig();
  kubeconfig = await testKubeconfigPath();
  bundle = await crdFreeMiniBundle();
});
afterAll(() => {
  if (bundle) rmSync(bundle, { recursive: true, force: true });
});

/** Runs `flux bootstrap <provider> …` with the provider's token in the environment, as the Flux controllers answer. */
async function bootstrap(
  provider: "gitea" | "bitbucket-server",
  ns: string,
  gitPath: string,
  flags: string[],
  env: Record<string, string>,
) {
  const git = provider === "gitea" ? giteaGit : bbGit;
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await withFluxStandIn(
      { kc, namespace: ns, headOf: (b) => git.revParse(gitPath, `refs/heads/${b}`), components: COMPONENTS },
      () =>
        runCli([
          "bootstrap",
          provider,
          "--kubeconfig",
          kubeconfig,
          "-n",
          ns,
          "--manifests",
          bundle,
          "--timeout=20s",
          "--path=clusters/edge",
          ...flags,
        ]),
    );
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) Reflect.deleteProperty(process.env, k);
      else process.env[k] = v;
    }
  }
}

const HOST_KEY =
  "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBFSMqzJeV9rUzU4kWitGjeR4PWSa29SPqJ1fVkhtj3Hw9xjLVXVYrU9QlYWrOLXBpQ6KWjbjTDTdDkoohFzgbEY=";

/** The SSH cases through the engine entry, with the known_hosts scan answered (no SSH server here). */
async function bootstrapSsh(setup: ProviderSetup, ns: string, gitPath: string, argv: string[]) {
  const git = setup.kind === "gitea" ? giteaGit : bbGit;
  const { ctx, logger } = bootstrapDeps(kubeconfig, ns);
  const options = await optionsFor<BootstrapProviderOptions>([
    "bootstrap",
    setup.kind,
    "--path=clusters/edge",
    `--manifests=${bundle}`,
    ...argv,
  ]);
  await withFluxStandIn(
    { kc, namespace: ns, headOf: (b) => git.revParse(gitPath, `refs/heads/${b}`), components: COMPONENTS },
    () =>
      bootstrapWithProvider(options, ctx, setup, { scanHostKey: (hp: string) => Promise.resolve(`${hp} ${HOST_KEY}`) }),
  );
  return logger.lines;
}

describe("flux bootstrap gitea", () => {
  it("creates an organization repository with a team and an HTTPS token secret; a re-run changes nothing", async () => {
    const name = uniqueName("fleet");
    const ns = uniqueName("fb-gt");
    const flags = [
      `--hostname=${gitea.url}`,
      "--owner=acme",
      `--repository=${name}`,
      "--team=platform",
      "--token-auth",
    ];
    const first = await bootstrap("gitea", ns, `acme/${name}`, flags, { GITEA_TOKEN });
    expect(first.stderr).toContain(`✔ repository "https://${new URL(gitea.url).host}/acme/${name}" created`);
    expect(first.code).toBe(0);
    expect(first.output).not.toContain(GITEA_TOKEN);
    const repo = must(gitea.repo(`acme/${name}`), "the Gitea repository");
    expect(repo.private).toBe(true);
    expect(repo.teams).toEqual(["platform"]);
    expect(await secretStrings(kc, ns, "flux-system")).toEqual({ username: "git", password: GITEA_TOKEN });
    const gitRepo = await tryGetObject(kc, fluxRef("GitRepository", ns, ns));
    expect((must(gitRepo, "the GitRepository").spec as { url: string }).url).toBe(giteaGit.url(`acme/${name}`));
    expect(giteaGit.listFiles(`acme/${name}`, "main").sort()).toEqual([
      "README.md",
      `clusters/edge/${ns}/gotk-components.yaml`,
      `clusters/edge/${ns}/gotk-sync.yaml`,
      `clusters/edge/${ns}/kustomization.yaml`,
    ]);
    const commits = giteaGit.log(`acme/${name}`, "main").length;
    const second = await bootstrap("gitea", ns, `acme/${name}`, flags, { GITEA_TOKEN });
    expect(second.code).toBe(0);
    expect(second.stderr).toContain("✔ bootstrap is up to date: nothing changed in the repository or the cluster");
    expect(giteaGit.log(`acme/${name}`, "main")).toHaveLength(commits);
  });

  it("registers a read-only deploy key for SSH, matched by key on a re-run", async () => {
    const name = uniqueName("fleet");
    const ns = uniqueName("fb-gt");
    await gitea.addRepo("acme", name, { "README.md": "x\n" });
    const setup: ProviderSetup = {
      kind: "gitea",
      provider: new GiteaProvider({ token: GITEA_TOKEN, hostname: gitea.url }),
      token: GITEA_TOKEN,
      gitUsername: "acme",
    };
    const argv = ["--owner=acme", `--repository=${name}`, "--ssh-hostname=127.0.0.1:1"];
    const lines = await bootstrapSsh(setup, ns, `acme/${name}`, argv);
    expect(lines).toContain(`✔ repository "https://${new URL(gitea.url).host}/acme/${name}" exists`);
    const { keys } = must(gitea.repo(`acme/${name}`), "the Gitea repository");
    expect(keys).toHaveLength(1);
    expect(keys[0]?.read_only).toBe(true);
    const data = must(await secretStrings(kc, ns, "flux-system"), "the flux-system Secret");
    expect(must(data["identity.pub"], "identity.pub").trim().split(" ").slice(0, 2).join(" ")).toBe(keys[0]?.key);
    const gitRepo = await tryGetObject(kc, fluxRef("GitRepository", ns, ns));
    expect((must(gitRepo, "the GitRepository").spec as { url: string }).url).toBe(`ssh://git@127.0.0.1:1/acme/${name}`);
    const again = await bootstrapSsh(setup, ns, `acme/${name}`, argv);
    expect(again.some((l) => l.includes("is already configured for"))).toBe(true);
    expect(gitea.repo(`acme/${name}`)?.keys).toHaveLength(1);
  });

  it("fails on a token without write scope with Gitea's message and creates nothing", async () => {
    const name = uniqueName("nope");
    const ns = uniqueName("fb-gt");
    const res = await bootstrap(
      "gitea",
      ns,
      `acme/${name}`,
      [`--hostname=${gitea.url}`, "--owner=acme", `--repository=${name}`, "--token-auth"],
      { GITEA_TOKEN: "gitea-read-only" },
    );
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      `✗ failed to create new Git repository "acme/${name}": token does not have at least one of required scope(s): [write:organization] (HTTP 403)`,
    );
    expect(gitea.repo(`acme/${name}`)).toBeUndefined();
    expect(await tryGetObject(kc, { group: "", version: "v1", plural: "namespaces", name: ns })).toBeUndefined();
  });
});

describe("flux bootstrap bitbucket-server", () => {
  it("creates a project repository (empty, as Bitbucket does), grants --group, and authenticates as --username", async () => {
    const name = uniqueName("fleet");
    const ns = uniqueName("fb-bb");
    const flags = [
      `--hostname=${bb.url}`,
      "--owner=FLUX",
      "--username=jdoe",
      `--repository=${name}`,
      "--group=platform",
      "--token-auth",
    ];
    const res = await bootstrap("bitbucket-server", ns, `FLUX/${name}`, flags, { BITBUCKET_TOKEN: BB_TOKEN });
    expect(res.stderr).toContain(`✔ repository "https://${new URL(bb.url).host}/FLUX/${name}" created`);
    expect(res.code).toBe(0);
    expect(res.output).not.toContain(BB_TOKEN);
    expect(bb.repo("FLUX", name)?.groups).toEqual([{ name: "platform", permission: "REPO_WRITE" }]);
    expect(await secretStrings(kc, ns, "flux-system")).toEqual({ username: "jdoe", password: BB_TOKEN });
    expect(bbGit.listFiles(`FLUX/${name}`, "main").sort()).toEqual([
      `clusters/edge/${ns}/gotk-components.yaml`,
      `clusters/edge/${ns}/gotk-sync.yaml`,
      `clusters/edge/${ns}/kustomization.yaml`,
    ]);
    const again = await bootstrap("bitbucket-server", ns, `FLUX/${name}`, flags, { BITBUCKET_TOKEN: BB_TOKEN });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("✔ bootstrap is up to date: nothing changed in the repository or the cluster");
  });

  it("registers an access key with the ssh:// URL upstream uses (project key and slug)", async () => {
    const name = uniqueName("fleet");
    const ns = uniqueName("fb-bb");
    const setup: ProviderSetup = {
      kind: "bitbucket-server",
      provider: new BitbucketServerProvider({ token: BB_TOKEN, hostname: bb.url }),
      token: BB_TOKEN,
      gitUsername: "jdoe",
      secretUsername: "jdoe",
    };
    await bootstrapSsh(setup, ns, `FLUX/${name}`, [
      "--owner=FLUX",
      "--username=jdoe",
      `--repository=${name}`,
      "--ssh-hostname=127.0.0.1:1",
    ]);
    const { keys } = must(bb.repo("FLUX", name), "the Bitbucket repository");
    expect(keys).toHaveLength(1);
    expect(keys[0]?.permission).toBe("REPO_READ");
    const gitRepo = await tryGetObject(kc, fluxRef("GitRepository", ns, ns));
    expect((must(gitRepo, "the GitRepository").spec as { url: string }).url).toBe(`ssh://git@127.0.0.1:1/FLUX/${name}`);
  });

  it("requires --hostname, as upstream", async () => {
    const res = await bootstrap("bitbucket-server", uniqueName("fb-bb"), "x/y", ["--owner=FLUX", "--repository=x"], {
      BITBUCKET_TOKEN: BB_TOKEN,
    });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('✗ invalid hostname ""');
  });

  it("fails on a wrong token with Bitbucket's message and creates nothing", async () => {
    const name = uniqueName("nope");
    const ns = uniqueName("fb-bb");
    const res = await bootstrap(
      "bitbucket-server",
      ns,
      `FLUX/${name}`,
      [`--hostname=${bb.url}`, "--owner=FLUX", `--repository=${name}`],
      { BITBUCKET_TOKEN: "wrong-token" },
    );
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("Authentication failed. Please check your credentials and try again. (HTTP 401)");
    expect(res.output).not.toContain("wrong-token");
    expect(bb.repo("FLUX", name)).toBeUndefined();
  });
});
