// GiteaProvider and BitbucketServerProvider (small typed REST clients) against the local
// contract servers: pagination, error bodies, retries, idempotent keys and permissions.
import { beforeAll, describe, expect, it } from "vitest";
import { BitbucketServerProvider, bitbucketServerUrl } from "../../../src/providers/bitbucket-server.js";
import { GiteaProvider, giteaHostUrl } from "../../../src/providers/gitea.js";
import { ProviderError } from "../../../src/providers/types.js";
import { generateKeyPair } from "../../../src/create/sshkeys.js";
import { startGitServer, type GitServer } from "../../env/git-server.js";
import { BitbucketServer } from "../../providers/bitbucket-server.js";
import { GiteaServer } from "../../providers/gitea-server.js";
import { must } from "../../support/must.js";
import { stopAfterAll } from "../../support/teardown.js";

const TOKEN = "contract-TOKEN";
const fast = { attempts: 3, baseDelayMs: 1 };
let git: GitServer;
let gitea: GiteaServer;
let bb: BitbucketServer;

const stopLater = stopAfterAll();
beforeAll(async () => {
  git = stopLater(await startGitServer({ username: "git", password: TOKEN }));
  gitea = stopLater(
    await GiteaServer.start({
      git,
      token: TOKEN,
      username: "jdoe",
      orgs: { acme: { platform: "write" } },
      tokens: { "read-only": ["read:repository"] },
    }),
  );
  bb = stopLater(
    await BitbucketServer.start({ git, token: TOKEN, username: "jdoe", projects: ["FLUX"], groups: ["ops"] }),
  );
});

async function publicKey(): Promise<string> {
  return Promise.resolve(generateKeyPair({ algorithm: "ed25519", rsaBits: 2048, ecdsaCurve: "p384" }).publicKey);
}

describe("GiteaProvider", () => {
  const provider = (token = TOKEN) => new GiteaProvider({ token, hostname: gitea.url, retry: fast });

  it("maps hosts", () => {
    expect(giteaHostUrl()).toBe("https://gitea.com");
    expect(giteaHostUrl("git.example.com")).toBe("https://git.example.com");
    expect(new GiteaProvider({ token: "x" }).domain).toBe("gitea.com");
  });

  it("creates organization and personal repositories, private unless asked, with an initial commit", async () => {
    const p = provider();
    const org = await p.createRepository({ owner: "acme", name: "fleet", personal: false }, { visibility: "private" });
    expect(org).toMatchObject({ fullPath: "acme/fleet", visibility: "private", httpUrl: git.url("acme/fleet") });
    expect(git.listFiles("acme/fleet", "main")).toEqual(["README.md"]);
    const mine = await p.createRepository({ owner: "jdoe", name: "home", personal: true }, { visibility: "public" });
    expect(mine.visibility).toBe("public");
    expect(await p.currentUser()).toBe("jdoe");
    const dup = await p
      .createRepository({ owner: "acme", name: "fleet", personal: false }, { visibility: "private" })
      .catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(ProviderError);
    expect((dup as ProviderError).status).toBe(409);
    expect((dup as Error).message).toBe(
      'failed to create new Git repository "acme/fleet": The repository with the same name already exists. (HTTP 409)',
    );
    expect(await p.getRepository({ owner: "acme", name: "missing", personal: false })).toBeUndefined();
  });

  // Each test makes its own repository: the file's order is shuffled in CI.
  it("lists deploy keys across pages (Link rel=next, 50 a page)", async () => {
    const p = provider();
    const repo = await p.createRepository({ owner: "acme", name: "keys", personal: false }, { visibility: "private" });
    const state = must(gitea.repo("acme/keys"), "repository acme/keys on the server");
    for (let i = 0; i < 60; i++)
      state.keys.push({ id: 1000 + i, title: `k${i}`, key: `ssh-ed25519 AAAA${i}`, read_only: true, created_at: "" });
    const before = gitea.http.requests.length;
    const keys = await p.listDeployKeys(repo);
    expect(keys).toHaveLength(60);
    expect(gitea.http.requests.slice(before).map((r) => r.path)).toEqual([
      "/repos/acme/keys/keys?page=1&limit=50",
      "/repos/acme/keys/keys?page=2&limit=50",
    ]);
    const key = await publicKey();
    const added = await p.addDeployKey(repo, { title: "flux", key, readOnly: false });
    expect(added.readOnly).toBe(false);
    const again = await p.addDeployKey(repo, { title: "flux-2", key, readOnly: true }).catch((e: unknown) => e);
    expect((again as ProviderError).status).toBe(422);
  });

  it("adds a team to a repository and reads its permission", async () => {
    const p = provider();
    const repo = await p.createRepository({ owner: "acme", name: "teams", personal: false }, { visibility: "private" });
    expect(await p.getTeamPermission(repo, "acme", "platform")).toBeUndefined();
    await p.setTeamPermission(repo, "acme", "platform", "maintain");
    expect(await p.getTeamPermission(repo, "acme", "platform")).toBe("push");
    const missing = await p.setTeamPermission(repo, "acme", "nobody", "push").catch((e: unknown) => e);
    expect((missing as ProviderError).status).toBe(404);
  });

  it("words a missing scope and a bad token, and retries a 5xx", async () => {
    const denied = await provider("read-only")
      .createRepository({ owner: "acme", name: "x", personal: false }, { visibility: "private" })
      .catch((e: unknown) => e);
    expect((denied as Error).message).toContain(
      "token does not have at least one of required scope(s): [write:organization] (HTTP 403)",
    );
    const bad = await provider("nope")
      .currentUser()
      .catch((e: unknown) => e);
    expect((bad as Error).message).toContain("(HTTP 401) (check GITEA_TOKEN");
    gitea.http.failNext(2, 502);
    expect(await provider().currentUser()).toBe("jdoe");
  });
});

describe("BitbucketServerProvider", () => {
  const provider = (token = TOKEN) => new BitbucketServerProvider({ token, hostname: bb.url, retry: fast });

  it("maps hosts and personal project keys", () => {
    expect(bitbucketServerUrl("bitbucket.example.com")).toBe("https://bitbucket.example.com");
    expect(BitbucketServerProvider.projectKey({ owner: "jdoe", personal: true })).toBe("~jdoe");
    expect(BitbucketServerProvider.projectKey({ owner: "FLUX", personal: false })).toBe("FLUX");
  });

  it("creates project and personal repositories (empty) and names the token's user", async () => {
    const p = provider();
    const repo = await p.createRepository({ owner: "FLUX", name: "fleet", personal: false }, { visibility: "private" });
    expect(repo).toMatchObject({ fullPath: "FLUX/fleet", visibility: "private", httpUrl: git.url("FLUX/fleet") });
    expect(git.listFiles("FLUX/fleet", "main")).toEqual([]);
    const mine = await p.createRepository({ owner: "jdoe", name: "home", personal: true }, { visibility: "public" });
    expect(mine).toMatchObject({ fullPath: "~jdoe/home", visibility: "public" });
    expect(await p.currentUser()).toBe("jdoe");
    const dup = await p
      .createRepository({ owner: "FLUX", name: "fleet", personal: false }, { visibility: "private" })
      .catch((e: unknown) => e);
    expect((dup as Error).message).toBe(
      `failed to create new Git repository "FLUX/fleet": This repository URL is already taken by 'fleet' in 'FLUX' (HTTP 409)`,
    );
    expect(await p.getRepository({ owner: "FLUX", name: "missing", personal: false })).toBeUndefined();
    const noProject = await p
      .createRepository({ owner: "NOPE", name: "x", personal: false }, { visibility: "private" })
      .catch((e: unknown) => e);
    expect((noProject as Error).message).toContain("Project NOPE does not exist. (HTTP 404)");
    const updated = await p.updateRepository(repo, { visibility: "public" });
    expect(updated.visibility).toBe("public");
  });

  it("lists access keys across pages (start/limit until isLastPage) and adds read-only keys", async () => {
    const p = provider();
    const repo = await p.createRepository({ owner: "FLUX", name: "keys", personal: false }, { visibility: "private" });
    const state = must(bb.repo("FLUX", "keys"), "repository FLUX/keys on the server");
    for (let i = 0; i < 120; i++)
      state.keys.push({ id: 5000 + i, text: `ssh-ed25519 AAAA${i}`, label: `k${i}`, permission: "REPO_READ" });
    const before = bb.http.requests.length;
    expect(await p.listDeployKeys(repo)).toHaveLength(120);
    expect(bb.http.requests.slice(before).map((r) => r.path)).toEqual([
      "/keys/1.0/projects/FLUX/repos/keys/ssh?start=0&limit=100",
      "/keys/1.0/projects/FLUX/repos/keys/ssh?start=100&limit=100",
    ]);
    const added = await p.addDeployKey(repo, { title: "flux", key: await publicKey(), readOnly: true });
    expect(added).toMatchObject({ title: "flux", readOnly: true });
  });

  it("grants a group, reads it back, and refuses an unknown permission", async () => {
    const p = provider();
    const repo = await p.createRepository(
      { owner: "FLUX", name: "groups", personal: false },
      { visibility: "private" },
    );
    expect(await p.getTeamPermission(repo, "FLUX", "ops")).toBeUndefined();
    await p.setTeamPermission(repo, "FLUX", "ops", "push");
    expect(await p.getTeamPermission(repo, "FLUX", "ops")).toBe("push");
    await expect(p.setTeamPermission(repo, "FLUX", "ops", "maintain")).rejects.toThrow(
      'invalid permission "maintain" for group "ops"',
    );
  });

  it("words Bitbucket's errors for a bad or read-only token and retries a 5xx", async () => {
    const bad = await provider("nope")
      .currentUser()
      .catch((e: unknown) => e);
    expect((bad as Error).message).toBe(
      "failed to get the authenticated user: Authentication failed. Please check your credentials and try again. (HTTP 401) (check BITBUCKET_TOKEN: it is missing, expired or revoked)",
    );
    bb.http.failNext(2, 503);
    expect(await provider().currentUser()).toBe("jdoe");
  });
});
