// GitHubProvider (@octokit/rest) against the local GitHub contract server.
import { beforeAll, describe, expect, it } from "vitest";
import { GitHubProvider, githubApiUrl, ProviderError, sameKey } from "../../../src/providers/index.js";
import { startGitServer, type GitServer } from "../../env/git-server.js";
import { GitHubServer } from "../../providers/github-server.js";
import { must } from "../../support/must.js";
import { stopAfterAll } from "../../support/teardown.js";

const TOKEN = "ghp_contractTOKEN123";
let git: GitServer;
let gh: GitHubServer;
const fast = { attempts: 3, baseDelayMs: 1 };

const stopLater = stopAfterAll();
beforeAll(async () => {
  git = stopLater(await startGitServer({ username: "git", password: TOKEN }));
  gh = stopLater(
    await GitHubServer.start({ git, token: TOKEN, login: "octocat", orgs: { acme: ["platform", "devs"] } }),
  );
});

const provider = (token = TOKEN) => new GitHubProvider({ token, hostname: gh.url, retry: fast });

describe("GitHub API base URL", () => {
  it("maps github.com, Enterprise hosts and explicit URLs", () => {
    expect(githubApiUrl()).toBe("https://api.github.com");
    expect(githubApiUrl("github.com")).toBe("https://api.github.com");
    expect(githubApiUrl("ghe.example.com")).toBe("https://ghe.example.com/api/v3");
    expect(githubApiUrl("http://127.0.0.1:9/")).toBe("http://127.0.0.1:9");
  });
});

describe("GitHubProvider", () => {
  it("gets nothing for a missing repository and creates it in an organization", async () => {
    const p = provider();
    expect(await p.getRepository({ owner: "acme", name: "fleet", personal: false })).toBeUndefined();
    const repo = await p.createRepository(
      { owner: "acme", name: "fleet", personal: false },
      { visibility: "private", description: "Flux" },
    );
    expect(repo.fullPath).toBe("acme/fleet");
    expect(repo.httpUrl).toBe(git.url("acme/fleet"));
    expect(repo.visibility).toBe("private");
    expect(git.listFiles("acme/fleet", "main")).toEqual(["README.md"]);
    const again = await p.getRepository({ owner: "acme", name: "fleet", personal: false });
    expect(again?.id).toBe(repo.id);
    // Creating twice is GitHub's 422 with its error detail.
    const err = await p
      .createRepository({ owner: "acme", name: "fleet", personal: false }, { visibility: "private" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).status).toBe(422);
    expect((err as Error).message).toContain("name already exists on this account");
  });

  it("updates visibility and description", async () => {
    const p = provider();
    await gh.addRepo("acme", "upd");
    const repo = must(await p.getRepository({ owner: "acme", name: "upd", personal: false }), "the upd repository");
    expect(repo.visibility).toBe("private");
    const updated = await p.updateRepository(repo, { visibility: "public", description: "Fleet" });
    expect(updated).toMatchObject({ visibility: "public", description: "Fleet" });
    expect(must(gh.repo("acme", "upd"), "repository acme/upd on the server").private).toBe(false);
  });

  it("knows the token's user", async () => {
    expect(await provider().currentUser()).toBe("octocat");
  });

  it("creates personal repositories under the authenticated user", async () => {
    const repo = await provider().createRepository(
      { owner: "octocat", name: "mine", personal: true },
      { visibility: "public" },
    );
    expect(repo.fullPath).toBe("octocat/mine");
    expect(repo.visibility).toBe("public");
  });

  it("reports an unknown organization as not found", async () => {
    const err = await provider()
      .createRepository({ owner: "nope", name: "x", personal: false }, { visibility: "private" })
      .catch((e: unknown) => e);
    expect((err as ProviderError).status).toBe(404);
  });

  it("lists deploy keys across pages and adds read-only and read-write keys", async () => {
    const p = provider();
    const state = await gh.addRepo("acme", "keys");
    for (let i = 0; i < 130; i++)
      state.keys.push({
        id: 5000 + i,
        title: `k${i}`,
        key: `ssh-ed25519 AAAAkey${i}`,
        read_only: true,
        created_at: "",
        verified: true,
      });
    const repo = must(await p.getRepository({ owner: "acme", name: "keys", personal: false }), "the keys repository");
    const keys = await p.listDeployKeys(repo);
    expect(keys).toHaveLength(130);
    expect(gh.http.requests.filter((r) => r.path.startsWith("/repos/acme/keys/keys")).length).toBe(2);
    const ro = await p.addDeployKey(repo, {
      title: "flux-system-main",
      key: "ecdsa-sha2-nistp384 AAAAE2VjZHNh comment",
      readOnly: true,
    });
    expect(ro.readOnly).toBe(true);
    const rw = await p.addDeployKey(repo, { title: "rw", key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5", readOnly: false });
    expect(rw.readOnly).toBe(false);
    expect(sameKey(ro.key, "ecdsa-sha2-nistp384 AAAAE2VjZHNh other-comment")).toBe(true);
    const dup = await p
      .addDeployKey(repo, { title: "again", key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5", readOnly: true })
      .catch((e: unknown) => e);
    expect((dup as Error).message).toContain("key is already in use");
  });

  it("reads and sets team permissions", async () => {
    const p = provider();
    await gh.addRepo("acme", "teams");
    const repo = must(await p.getRepository({ owner: "acme", name: "teams", personal: false }), "the teams repository");
    expect(await p.getTeamPermission(repo, "acme", "platform")).toBeUndefined();
    await p.setTeamPermission(repo, "acme", "platform", "maintain");
    expect(await p.getTeamPermission(repo, "acme", "platform")).toBe("maintain");
    await p.setTeamPermission(repo, "acme", "devs", "pull");
    expect(await p.getTeamPermission(repo, "acme", "devs")).toBe("pull");
    const err = await p.setTeamPermission(repo, "acme", "ghosts", "push").catch((e: unknown) => e);
    expect((err as ProviderError).status).toBe(404);
  });

  it("fails with GitHub's message and no token on bad credentials", async () => {
    const err = await provider("ghp_wrongTOKEN")
      .getRepository({ owner: "acme", name: "fleet", personal: false })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as Error).message).toContain("Bad credentials");
    expect((err as Error).message).toContain("GITHUB_TOKEN");
    expect((err as Error).message).not.toContain("ghp_wrongTOKEN");
    expect((err as ProviderError).status).toBe(401);
  });

  it("retries 5xx with backoff, bounded", async () => {
    const delays: number[] = [];
    const p = new GitHubProvider({
      token: TOKEN,
      hostname: gh.url,
      retry: {
        attempts: 3,
        baseDelayMs: 10,
        sleep: (ms) => {
          delays.push(ms);
          return Promise.resolve();
        },
      },
    });
    // Its own repository: the tests of this file may run in any order.
    await gh.addRepo("acme", "retries");
    gh.http.failNext(2, 502);
    const repo = await p.getRepository({ owner: "acme", name: "retries", personal: false });
    expect(repo?.fullPath).toBe("acme/retries");
    expect(delays).toEqual([10, 20]);
    gh.http.failNext(3, 503);
    const err = await p.getRepository({ owner: "acme", name: "retries", personal: false }).catch((e: unknown) => e);
    expect((err as ProviderError).status).toBe(503);
    expect(delays).toEqual([10, 20, 10, 20]);
    // 4xx are not retried.
    const before = gh.http.requests.length;
    await provider("bad")
      .getRepository({ owner: "acme", name: "retries", personal: false })
      .catch(() => undefined);
    expect(gh.http.requests.length - before).toBe(1);
  });

  it("opens, finds and reads pull requests", async () => {
    const p = provider();
    await gh.addRepo("acme", "prs", { "README.md": "x\n" });
    git.commitFiles("acme/prs", "flux-bootstrap", { "a.txt": "a\n" });
    const repo = must(await p.getRepository({ owner: "acme", name: "prs", personal: false }), "the prs repository");
    expect(await p.findChangeRequest(repo, "flux-bootstrap", "main")).toBeUndefined();
    const pr = await p.createChangeRequest(repo, {
      head: "flux-bootstrap",
      base: "main",
      title: "Add Flux",
      body: "b",
    });
    expect(pr).toMatchObject({ number: 1, state: "open" });
    expect((await p.findChangeRequest(repo, "flux-bootstrap", "main"))?.number).toBe(1);
    gh.mergePull("acme", "prs", 1);
    expect((await p.getChangeRequest(repo, 1)).state).toBe("merged");
    expect(git.readFile("acme/prs", "main", "a.txt")).toBe("a\n");
  });
});
