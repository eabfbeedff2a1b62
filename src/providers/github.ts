// GitHub (and GitHub Enterprise Server) through @octokit/rest. Every call goes through
// bounded retries for 5xx; errors become ProviderError with GitHub's message and never
// the token.
import { redactUrls } from "../errors.js";
import {
  fetchWithTimeout,
  parseRetryAfter,
  RateLimitWaitTooLong,
  timeoutOf,
  withRetry,
  type Failure,
  type RetryOptions,
} from "./retry.js";
import {
  ProviderError,
  type ChangeRequest,
  type CreateRepositoryOptions,
  type DeployKey,
  type GitProvider,
  type Repository,
  type RepositoryRef,
  type Visibility,
} from "./types.js";

export interface GitHubOptions {
  token: string;
  /** github.com (default), a GHE host name, or a full base URL like http://127.0.0.1:8080 (tests, proxies). */
  hostname?: string;
  retry?: RetryOptions;
  userAgent?: string;
  /** A request unanswered this long fails (--timeout). */
  timeoutMs?: number;
}

export const GITHUB_PERMISSIONS = ["pull", "triage", "push", "maintain", "admin"] as const;

/** API base URL: api.github.com for github.com, https://HOST/api/v3 for Enterprise, or the URL as given. */
export function githubApiUrl(hostname = "github.com"): string {
  if (/^https?:\/\//i.test(hostname)) return hostname.replace(/\/+$/, "");
  if (hostname === "github.com" || hostname === "www.github.com") return "https://api.github.com";
  return `https://${hostname}/api/v3`;
}

/** The host part of --hostname ("127.0.0.1:8080" for "http://127.0.0.1:8080"). */
export function hostOf(hostname: string): string {
  return /^https?:\/\//i.test(hostname) ? new URL(hostname).host : hostname;
}

type Octo = InstanceType<typeof import("@octokit/rest").Octokit>;

interface GhRepo {
  id: number;
  full_name: string;
  clone_url: string;
  html_url: string;
  default_branch?: string;
  private?: boolean;
  visibility?: string;
  description?: string | null;
}

interface OctoError {
  status?: unknown;
  message?: string;
  response?: {
    headers?: Record<string, string | undefined>;
    data?: { message?: string; errors?: { message?: string; code?: string; field?: string }[] };
  };
}

/** What was thrown, read as Octokit's error shape: anything may have been thrown, null too. */
function octoErrorOf(err: unknown): OctoError | null | undefined {
  return (err instanceof RateLimitWaitTooLong ? err.original : err) as OctoError | null | undefined;
}

function statusOf(err: unknown): number | undefined {
  const e = octoErrorOf(err);
  return typeof e?.status === "number" ? e.status : undefined;
}

function headersOf(err: unknown): Record<string, string | undefined> {
  return octoErrorOf(err)?.response?.headers ?? {};
}

/**
 * GitHub's rate limits (docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api):
 * 429, or 403 with Retry-After, with x-ratelimit-remaining 0 (wait until x-ratelimit-reset),
 * or a secondary-limit message without headers (wait a minute).
 */
/**
 * The answer's data as JSON of the expected shape. A body cut short mid-answer reaches
 * here as its text (Octokit falls back to it when the JSON does not parse): retried like
 * a reset connection, never read as a pull request.
 */
function whole<T extends { data: unknown }>(shape: "object" | "array"): (res: T) => T {
  return (res) => {
    const d = res.data;
    const ok = shape === "array" ? Array.isArray(d) : typeof d === "object" && d !== null && !Array.isArray(d);
    if (!ok) throw Object.assign(new Error("the answer was cut short"), { code: "ECONNRESET" });
    return res;
  };
}

function failureOf(err: unknown): Failure {
  // Octokit reports a request that never answered as a 500: it is not one, and not retried.
  if (timeoutOf(err)) return {};
  const status = statusOf(err);
  if (status !== 403 && status !== 429) return { status };
  const h = headersOf(err);
  const message = (err as OctoError | null | undefined)?.response?.data?.message ?? "";
  let retryAfterMs = parseRetryAfter(h["retry-after"]);
  const exhausted = h["x-ratelimit-remaining"] === "0" && /^\d+$/.test(h["x-ratelimit-reset"] ?? "");
  if (retryAfterMs === undefined && exhausted)
    retryAfterMs = Math.max(0, Number(h["x-ratelimit-reset"]) * 1000 - Date.now());
  const secondary = /secondary rate limit/i.test(message);
  if (retryAfterMs === undefined && secondary) retryAfterMs = 60_000;
  const rateLimited = status === 429 || retryAfterMs !== undefined || exhausted || secondary;
  return { status, retryAfterMs, rateLimited };
}

// Classic scopes that include others (docs.github.com/apps/oauth-apps: scopes for OAuth apps).
const IMPLIED_SCOPES: Record<string, string[]> = {
  repo: ["public_repo", "repo:status", "repo_deployment", "repo:invite", "security_events"],
  "admin:org": ["write:org", "read:org"],
  "write:org": ["read:org"],
  "admin:public_key": ["write:public_key", "read:public_key"],
  "write:public_key": ["read:public_key"],
  "admin:repo_hook": ["write:repo_hook", "read:repo_hook"],
  "write:repo_hook": ["read:repo_hook"],
  user: ["read:user", "user:email", "user:follow"],
};

const scopeList = (v: string | undefined) =>
  (v ?? "")
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

/** Why a call was refused, from GitHub's headers: the missing scope or permission, SSO, a rate limit. */
function hintOf(err: unknown): string {
  const status = statusOf(err);
  const h = headersOf(err);
  if (status === 401) return " (check GITHUB_TOKEN: it is missing, expired or revoked)";
  const f = failureOf(err);
  if (f.rateLimited) {
    const wait = f.retryAfterMs !== undefined ? `; try again in ${Math.ceil(f.retryAfterMs / 1000)}s` : "";
    return ` (GitHub's rate limit${wait})`;
  }
  if (status !== 403 && status !== 404) return "";
  const sso = h["x-github-sso"];
  if (sso?.startsWith("required")) {
    const url = /url=(\S+)/.exec(sso)?.[1];
    return ` (the token is not authorized for the organization's SAML single sign-on${url ? `: authorize it at ${url}` : ""})`;
  }
  const accepted = scopeList(h["x-accepted-oauth-scopes"]);
  if (accepted.length && h["x-oauth-scopes"] !== undefined) {
    const has = scopeList(h["x-oauth-scopes"]);
    const granted = new Set(has.flatMap((s) => [s, ...(IMPLIED_SCOPES[s] ?? [])]));
    if (!accepted.some((s) => granted.has(s))) {
      return ` (the token lacks the ${accepted.map((s) => `'${s}'`).join(" or ")} scope; it has ${has.length ? has.map((s) => `'${s}'`).join(", ") : "no scopes"})`;
    }
  }
  const permissions = h["x-accepted-github-permissions"];
  if (status === 403 && permissions)
    return ` (the token lacks the permission ${permissions.split(/;\s*/).join(" or ")})`;
  return status === 403 ? " (the token lacks the permissions needed)" : "";
}

function messageOf(err: unknown): string {
  const e = (err instanceof RateLimitWaitTooLong ? err.original : err) as OctoError;
  const data = e.response?.data;
  let msg = data?.message ?? e.message ?? String(err);
  const details = (data?.errors ?? []).map((x) => x.message ?? `${x.field} ${x.code}`).filter(Boolean);
  if (details.length) msg += `: ${details.join(", ")}`;
  return redactUrls(msg);
}

export class GitHubProvider implements GitProvider {
  readonly kind = "github" as const;
  readonly domain: string;
  private readonly opts: GitHubOptions;
  private client?: Octo;

  constructor(opts: GitHubOptions) {
    this.opts = opts;
    this.domain = hostOf(opts.hostname ?? "github.com");
  }

  private async octo(): Promise<Octo> {
    if (!this.client) {
      // Lazy: bootstrap/run.ts serves git, github and gitlab; only github loads this SDK.
      const { Octokit } = await import("@octokit/rest");
      this.client = new Octokit({
        auth: this.opts.token,
        baseUrl: githubApiUrl(this.opts.hostname),
        userAgent: this.opts.userAgent ?? "tsflux",
        log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
        request: { fetch: fetchWithTimeout(this.opts.timeoutMs) },
      });
    }
    return this.client;
  }

  private async call<T>(what: string, fn: (o: Octo) => Promise<T>): Promise<T> {
    const o = await this.octo();
    try {
      return await withRetry(() => fn(o), failureOf, this.opts.retry);
    } catch (err) {
      throw this.failed(what, err);
    }
  }

  private failed(what: string, err: unknown): ProviderError {
    const timeout = timeoutOf(err);
    if (timeout) return new ProviderError(`${what}: the GitHub API at ${timeout.message}`);
    const status = statusOf(err);
    return new ProviderError(`${what}: ${messageOf(err)}${status ? ` (HTTP ${status})` : ""}${hintOf(err)}`, status);
  }

  private toRepo(r: GhRepo): Repository {
    return {
      fullPath: r.full_name,
      id: r.id,
      httpUrl: r.clone_url,
      webUrl: r.html_url,
      defaultBranch: r.default_branch,
      visibility: (r.visibility as Repository["visibility"]) ?? (r.private ? "private" : "public"),
      description: r.description ?? undefined,
    };
  }

  private split(repo: Repository): { owner: string; repo: string } {
    const i = repo.fullPath.indexOf("/");
    return { owner: repo.fullPath.slice(0, i), repo: repo.fullPath.slice(i + 1) };
  }

  async currentUser(): Promise<string> {
    const res = await this.call("failed to get the authenticated user", (o) => o.rest.users.getAuthenticated());
    return res.data.login;
  }

  async getRepository(ref: RepositoryRef): Promise<Repository | undefined> {
    const o = await this.octo();
    try {
      const res = await withRetry(
        () => o.rest.repos.get({ owner: ref.owner, repo: ref.name }),
        failureOf,
        this.opts.retry,
      );
      return this.toRepo(res.data);
    } catch (err) {
      // 404 is "no such repository", unless the headers say the token may not see it.
      if (statusOf(err) === 404 && !hintOf(err)) return undefined;
      throw this.failed(`failed to get Git repository "${ref.owner}/${ref.name}"`, err);
    }
  }

  async createRepository(ref: RepositoryRef, opts: CreateRepositoryOptions): Promise<Repository> {
    const body = {
      name: ref.name,
      ...(opts.description ? { description: opts.description } : {}),
      private: opts.visibility !== "public",
      visibility: opts.visibility as "public" | "private",
      auto_init: opts.autoInit ?? true,
    };
    const { visibility: _orgOnly, ...personal } = body;
    const res = await this.call(`failed to create new Git repository "${ref.owner}/${ref.name}"`, (o) =>
      ref.personal
        ? o.rest.repos.createForAuthenticatedUser(personal)
        : o.rest.repos.createInOrg({ org: ref.owner, ...body }),
    );
    return this.toRepo(res.data);
  }

  async updateRepository(
    repo: Repository,
    opts: { visibility: Visibility; description?: string },
  ): Promise<Repository> {
    const res = await this.call(`failed to reconcile Git repository "${repo.fullPath}"`, (o) =>
      o.rest.repos.update({
        ...this.split(repo),
        private: opts.visibility !== "public",
        visibility: opts.visibility as "public" | "private",
        ...(opts.description !== undefined ? { description: opts.description } : {}),
      }),
    );
    return this.toRepo(res.data);
  }

  async listDeployKeys(repo: Repository): Promise<DeployKey[]> {
    const keys = await this.call(`failed to list deploy keys of "${repo.fullPath}"`, (o) =>
      o.paginate(o.rest.repos.listDeployKeys, { ...this.split(repo), per_page: 100 }),
    );
    return keys.map((k) => ({ id: k.id, title: k.title, key: k.key, readOnly: k.read_only }));
  }

  async addDeployKey(repo: Repository, key: { title: string; key: string; readOnly: boolean }): Promise<DeployKey> {
    const res = await this.call(`failed to add deploy key "${key.title}" to "${repo.fullPath}"`, (o) =>
      o.rest.repos.createDeployKey({ ...this.split(repo), title: key.title, key: key.key, read_only: key.readOnly }),
    );
    return { id: res.data.id, title: res.data.title, key: res.data.key, readOnly: res.data.read_only };
  }

  async getTeamPermission(repo: Repository, org: string, team: string): Promise<string | undefined> {
    const o = await this.octo();
    try {
      const res = await withRetry(
        () =>
          o.rest.teams.checkPermissionsForRepoInOrg({
            org,
            team_slug: team,
            ...this.split(repo),
            headers: { accept: "application/vnd.github.v3.repository+json" },
          }),
        failureOf,
        this.opts.retry,
      );
      const data = res.data as { role_name?: string; permissions?: Record<string, boolean> } | undefined;
      if (data?.role_name)
        return data.role_name === "read" ? "pull" : data.role_name === "write" ? "push" : data.role_name;
      const perms = data?.permissions ?? {};
      for (const p of [...GITHUB_PERMISSIONS].reverse()) if (perms[p]) return p;
      return "pull";
    } catch (err) {
      if (statusOf(err) === 404 && !hintOf(err)) return undefined;
      throw this.failed(`failed to get permissions of team "${team}" on "${repo.fullPath}"`, err);
    }
  }

  async setTeamPermission(repo: Repository, org: string, team: string, permission: string): Promise<void> {
    await this.call(`failed to grant "${permission}" permissions to team "${team}"`, (o) =>
      o.rest.teams.addOrUpdateRepoPermissionsInOrg({ org, team_slug: team, ...this.split(repo), permission }),
    );
  }

  private toPr(p: {
    number: number;
    html_url: string;
    state: string;
    merged?: boolean | null;
    merged_at?: string | null;
  }): ChangeRequest {
    const merged = p.merged === true || (p.merged_at !== null && p.merged_at !== undefined);
    return { number: p.number, url: p.html_url, state: merged ? "merged" : p.state === "open" ? "open" : "closed" };
  }

  async findChangeRequest(repo: Repository, head: string, base: string): Promise<ChangeRequest | undefined> {
    const { owner } = this.split(repo);
    const res = await this.call(`failed to list pull requests of "${repo.fullPath}"`, (o) =>
      o.rest.pulls
        .list({ ...this.split(repo), head: `${owner}:${head}`, base, state: "open", per_page: 100 })
        .then(whole("array")),
    );
    const pr = res.data.find((p) => p.head.ref === head && p.base.ref === base);
    return pr ? this.toPr(pr) : undefined;
  }

  async createChangeRequest(
    repo: Repository,
    opts: { head: string; base: string; title: string; body: string },
  ): Promise<ChangeRequest> {
    const res = await this.call(`failed to create a pull request on "${repo.fullPath}"`, (o) =>
      o.rest.pulls
        .create({
          ...this.split(repo),
          head: opts.head,
          base: opts.base,
          title: opts.title,
          body: opts.body,
        })
        .then(whole("object")),
    );
    return this.toPr(res.data);
  }

  async getChangeRequest(repo: Repository, number: number): Promise<ChangeRequest> {
    const res = await this.call(`failed to get pull request #${number} of "${repo.fullPath}"`, (o) =>
      o.rest.pulls.get({ ...this.split(repo), pull_number: number }).then(whole("object")),
    );
    return this.toPr(res.data);
  }
}
