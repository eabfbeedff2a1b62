// Token scopes, SAML SSO and rate limits against the GitHub and GitLab contract
// servers: tsflux waits as the server says (bounded) or fails with a message that
// names what is missing, and never prints the token.
import { beforeAll, describe, expect, it } from "vitest";
import { GitHubProvider, GitLabProvider, ProviderError, type RetryOptions } from "../../../src/providers/index.js";
import { startGitServer, type GitServer } from "../../env/git-server.js";
import { GitHubServer, SECONDARY_RATE_LIMIT_MESSAGE } from "../../providers/github-server.js";
import { GitLabServer } from "../../providers/gitlab-server.js";
import { recordScenario } from "../../support/reliability.js";
import { must } from "../../support/must.js";
import { stopAfterAll } from "../../support/teardown.js";

const GH_TOKEN = "ghp_limitsMAINtoken0001";
const GH_READ_ORG = "ghp_limitsREADORGonly02";
const GH_FINE = "github_pat_limitsFINEgrained03";
const GH_SSO = "ghp_limitsNOTssoAUTHORIZED4";
const GL_TOKEN = "glpat-limitsMAINtoken05";
const GL_READ = "glpat-limitsREADapi0006";

let git: GitServer;
let gh: GitHubServer;
let gl: GitLabServer;

const stopLater = stopAfterAll();
beforeAll(async () => {
  git = stopLater(await startGitServer({ username: "git", password: GH_TOKEN }));
  gh = stopLater(
    await GitHubServer.start({
      git,
      token: GH_TOKEN,
      orgs: { acme: ["platform"], sso: [] },
      tokens: {
        [GH_READ_ORG]: { scopes: ["read:org"] },
        [GH_FINE]: { permissions: { metadata: "read", administration: "read" } },
        [GH_SSO]: { scopes: ["repo"], ssoUnauthorized: ["sso"] },
      },
    }),
  );
  gl = stopLater(
    await GitLabServer.start({ git, token: GL_TOKEN, groups: ["fleet"], tokens: { [GL_READ]: ["read_api"] } }),
  );
  await gh.addRepo("acme", "limits");
  await gh.addRepo("sso", "locked");
  await gl.addProject("fleet/limits");
});

/** Records the waits instead of sleeping them. */
function recorder(extra: RetryOptions = {}) {
  const waits: number[] = [];
  const retry: RetryOptions = {
    attempts: 4,
    baseDelayMs: 1,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    ...extra,
  };
  return { waits, retry };
}

const failure = async (p: Promise<unknown>): Promise<ProviderError> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
};

const ghRepo = { owner: "acme", name: "limits", personal: false };
// Each test adds its own key (the tests of this file may run in any order).
const key = (n: number) => ({ title: `flux-${n}`, key: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5limits${n}`, readOnly: true });
const titled = (keys: { title: string }[], title: string) => keys.filter((k) => k.title === title);

describe("GitHub token scopes", () => {
  it("answers with the token's scopes and the endpoint's accepted scopes", async () => {
    const res = await fetch(`${gh.url}/repos/acme/limits`, { headers: { authorization: `token ${GH_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-oauth-scopes")).toBe("repo, admin:org, admin:public_key");
    expect(res.headers.get("x-accepted-oauth-scopes")).toBe("repo");
  });

  it("names the missing classic scope and the ones the token has", async (ctx) => {
    recordScenario(ctx, {
      family: "GitHub API",
      server: "GitHub contract server",
      fault: "token without the repo scope (403)",
      expected: "clear failure",
      injected: 1,
    });
    const p = new GitHubProvider({ token: GH_READ_ORG, hostname: gh.url, retry: recorder().retry });
    const err = await failure(p.getRepository(ghRepo));
    expect(err.status).toBe(403);
    expect(err.message).toBe(
      `failed to get Git repository "acme/limits": Resource not accessible by personal access token (HTTP 403) (the token lacks the 'repo' scope; it has 'read:org')`,
    );
    expect(err.message).not.toContain(GH_READ_ORG);
  });

  it("names the missing fine-grained permission", async (ctx) => {
    recordScenario(ctx, {
      family: "GitHub API",
      server: "GitHub contract server",
      fault: "fine-grained token without administration=write (403)",
      expected: "clear failure",
      injected: 1,
    });
    const p = new GitHubProvider({ token: GH_FINE, hostname: gh.url, retry: recorder().retry });
    const repo = must(await p.getRepository(ghRepo), "the ghRepo repository");
    expect(repo.fullPath).toBe("acme/limits");
    const err = await failure(p.addDeployKey(repo, key(1)));
    expect(err.message).toBe(
      `failed to add deploy key "flux-1" to "acme/limits": Resource not accessible by personal access token (HTTP 403) (the token lacks the permission administration=write)`,
    );
    expect(titled(must(gh.repo("acme", "limits"), "repository acme/limits on the server").keys, "flux-1")).toHaveLength(
      0,
    );
  });

  it("says the token needs SAML SSO authorization, with GitHub's link", async (ctx) => {
    recordScenario(ctx, {
      family: "GitHub API",
      server: "GitHub contract server",
      fault: "SAML SSO required (403 X-GitHub-SSO)",
      expected: "clear failure",
      injected: 1,
    });
    const p = new GitHubProvider({ token: GH_SSO, hostname: gh.url, retry: recorder().retry });
    const err = await failure(p.getRepository({ owner: "sso", name: "locked", personal: false }));
    expect(err.status).toBe(403);
    expect(err.message).toContain("Resource protected by organization SAML enforcement.");
    expect(err.message).toContain(
      "(the token is not authorized for the organization's SAML single sign-on: authorize it at https://github.example/orgs/sso/sso?authorization_request=",
    );
    // The same token works where no SSO is enforced.
    expect((await p.getRepository(ghRepo))?.fullPath).toBe("acme/limits");
  });

  it("a refused scope is never retried", async () => {
    const { waits, retry } = recorder();
    const repo = await mainRepo();
    const before = gh.http.requests.length;
    await failure(new GitHubProvider({ token: GH_READ_ORG, hostname: gh.url, retry }).listDeployKeys(repo));
    expect(gh.http.requests.length - before).toBe(1);
    expect(waits).toEqual([]);
  });
});

async function mainRepo() {
  return must(await new GitHubProvider({ token: GH_TOKEN, hostname: gh.url }).getRepository(ghRepo), "acme/limits");
}

describe("GitHub rate limits", () => {
  it("waits out a secondary rate limit (403 with Retry-After) as told, then succeeds", async (ctx) => {
    recordScenario(ctx, {
      family: "GitHub API",
      server: "GitHub contract server",
      fault: "secondary rate limit 403 Retry-After 3s ×2",
      expected: "waited, succeeded",
      injected: 2,
    });
    const { waits, retry } = recorder();
    const p = new GitHubProvider({ token: GH_TOKEN, hostname: gh.url, retry });
    gh.secondaryRateLimit(2, 3);
    expect((await p.getRepository(ghRepo))?.fullPath).toBe("acme/limits");
    expect(waits).toEqual([3000, 3000]);
  });

  it("waits out a 429 with Retry-After on a write, and the write happens once", async (ctx) => {
    recordScenario(ctx, {
      family: "GitHub API",
      server: "GitHub contract server",
      fault: "429 Retry-After 2s on a deploy key write",
      expected: "waited, succeeded",
      injected: 1,
    });
    const { waits, retry } = recorder();
    const repo = await mainRepo();
    gh.secondaryRateLimit(1, 2, 429, { method: "POST", path: /\/keys$/ });
    const added = await new GitHubProvider({ token: GH_TOKEN, hostname: gh.url, retry }).addDeployKey(repo, key(2));
    expect(added.title).toBe("flux-2");
    expect(waits).toEqual([2000]);
    expect(titled(must(gh.repo("acme", "limits"), "repository acme/limits on the server").keys, "flux-2")).toHaveLength(
      1,
    );
  });

  it("waits until the primary limit resets", async (ctx) => {
    recordScenario(ctx, {
      family: "GitHub API",
      server: "GitHub contract server",
      fault: "primary rate limit (x-ratelimit-reset in 5s)",
      expected: "waited, succeeded",
      injected: 1,
    });
    const { waits, retry } = recorder();
    gh.primaryRateLimit(1, 5);
    expect(await new GitHubProvider({ token: GH_TOKEN, hostname: gh.url, retry }).currentUser()).toBe("octocat");
    expect(waits).toHaveLength(1);
    // x-ratelimit-reset is in whole seconds: 5s from the answer, rounded up.
    expect(waits[0]).toBeGreaterThan(3000);
    expect(waits[0]).toBeLessThanOrEqual(6000);
  });

  it("does not wait longer than allowed: fails at once and says when to try again", async (ctx) => {
    recordScenario(ctx, {
      family: "GitHub API",
      server: "GitHub contract server",
      fault: "secondary rate limit Retry-After 3600s",
      expected: "clear failure",
      injected: 1,
    });
    const { waits, retry } = recorder({ maxWaitMs: 10_000 });
    const before = gh.http.requests.length;
    gh.secondaryRateLimit(1, 3600);
    const err = await failure(new GitHubProvider({ token: GH_TOKEN, hostname: gh.url, retry }).getRepository(ghRepo));
    expect(waits).toEqual([]);
    expect(gh.http.requests.length - before).toBe(1);
    expect(err.status).toBe(403);
    expect(err.message).toBe(
      `failed to get Git repository "acme/limits": ${SECONDARY_RATE_LIMIT_MESSAGE} (HTTP 403) (GitHub's rate limit; try again in 3600s)`,
    );
  });

  it("gives up after the bounded number of attempts", async (ctx) => {
    recordScenario(ctx, {
      family: "GitHub API",
      server: "GitHub contract server",
      fault: "429 Retry-After 1s beyond the retry budget",
      expected: "clear failure",
      injected: 3,
    });
    const { waits, retry } = recorder({ attempts: 3 });
    gh.secondaryRateLimit(5, 1, 429);
    const err = await failure(new GitHubProvider({ token: GH_TOKEN, hostname: gh.url, retry }).currentUser());
    expect(waits).toEqual([1000, 1000]);
    expect(err.status).toBe(429);
    expect(err.message).toContain("(GitHub's rate limit; try again in 1s)");
    expect(gh.http.clearFaults()).toBe(2);
  });
});

describe("GitLab token scopes", () => {
  it("answers insufficient_scope with GitLab's body and challenge", async () => {
    const res = await fetch(`${gl.url}/api/v4/projects/${encodeURIComponent("fleet/limits")}/deploy_keys`, {
      method: "POST",
      headers: { "private-token": GL_READ, "content-type": "application/json" },
      body: JSON.stringify(key(3)),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: "insufficient_scope",
      error_description: "The request requires higher privileges than provided by the access token.",
      scope: "api",
    });
    expect(res.headers.get("www-authenticate")).toMatch(
      /^Bearer realm="Protected by OAuth 2.0", error="insufficient_scope"/,
    );
  });

  it("reads with read_api, and a write names the missing api scope", async (ctx) => {
    recordScenario(ctx, {
      family: "GitLab API",
      server: "GitLab contract server",
      fault: "token with read_api only, on a write (403 insufficient_scope)",
      expected: "clear failure",
      injected: 1,
    });
    const p = new GitLabProvider({ token: GL_READ, hostname: gl.url, retry: recorder().retry });
    const repo = must(
      await p.getRepository({ owner: "fleet", name: "limits", personal: false }),
      "the limits repository",
    );
    expect(repo.fullPath).toBe("fleet/limits");
    const err = await failure(p.addDeployKey(repo, key(4)));
    expect(err.status).toBe(403);
    expect(err.message).toBe(
      `failed to add deploy key "flux-4" to "fleet/limits": The request requires higher privileges than provided by the access token. (HTTP 403) (the token lacks the 'api' scope)`,
    );
    expect(err.message).not.toContain(GL_READ);
    expect(titled(must(gl.project("fleet/limits"), "project fleet/limits on the server").keys, "flux-4")).toHaveLength(
      0,
    );
  });
});

describe("GitLab rate limits", () => {
  it("waits out a 429 with Retry-After, once per throttled answer", async (ctx) => {
    recordScenario(ctx, {
      family: "GitLab API",
      server: "GitLab contract server",
      fault: "429 Retry-After 2s ×2",
      expected: "waited, succeeded",
      injected: 2,
    });
    const { waits, retry } = recorder();
    const before = gl.http.requests.length;
    gl.rateLimit(2, 2);
    const p = new GitLabProvider({ token: GL_TOKEN, hostname: gl.url, retry });
    expect((await p.getRepository({ owner: "fleet", name: "limits", personal: false }))?.fullPath).toBe("fleet/limits");
    expect(waits).toEqual([2000, 2000]);
    // gitbeaker's own loop (ten quick retries) is not in the way: three requests in all.
    expect(gl.http.requests.length - before).toBe(3);
  });

  it("a throttled write happens once", async (ctx) => {
    recordScenario(ctx, {
      family: "GitLab API",
      server: "GitLab contract server",
      fault: "429 Retry-After 1s on a deploy key write",
      expected: "waited, succeeded",
      injected: 1,
    });
    const { waits, retry } = recorder();
    const p = new GitLabProvider({ token: GL_TOKEN, hostname: gl.url, retry });
    const repo = must(
      await p.getRepository({ owner: "fleet", name: "limits", personal: false }),
      "the limits repository",
    );
    gl.rateLimit(1, 1, { method: "POST", path: /deploy_keys$/ });
    await p.addDeployKey(repo, key(5));
    expect(waits).toEqual([1000]);
    expect(titled(must(gl.project("fleet/limits"), "project fleet/limits on the server").keys, "flux-5")).toHaveLength(
      1,
    );
  });

  it("fails at once with the wait when it is longer than allowed", async (ctx) => {
    recordScenario(ctx, {
      family: "GitLab API",
      server: "GitLab contract server",
      fault: "429 Retry-After 600s",
      expected: "clear failure",
      injected: 1,
    });
    const { waits, retry } = recorder({ maxWaitMs: 30_000 });
    gl.rateLimit(1, 600);
    const err = await failure(new GitLabProvider({ token: GL_TOKEN, hostname: gl.url, retry }).currentUser());
    expect(waits).toEqual([]);
    expect(err.status).toBe(429);
    expect(err.message).toBe(
      "failed to get the authenticated user: Retry later (HTTP 429) (GitLab's rate limit; try again in 600s)",
    );
  });
});
