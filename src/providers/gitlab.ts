// GitLab (gitlab.com and self-managed) through @gitbeaker/rest: projects in the user's
// namespace or in (nested) groups, deploy keys, deploy tokens and merge requests.
// Api below names the calls made here with their answers as unknown: the assertions say
// which fields of GitLab's JSON are read.
import { redactUrls } from "../errors.js";
import { parseRetryAfter, RateLimitWaitTooLong, withRetry, type Failure, type RetryOptions } from "./retry.js";
import {
  ProviderError,
  type ChangeRequest,
  type CreateRepositoryOptions,
  type DeployKey,
  type DeployToken,
  type GitProvider,
  type Repository,
  type RepositoryRef,
  type Visibility,
} from "./types.js";

export interface GitLabOptions {
  token: string;
  /** gitlab.com (default), a self-managed host name, or a full base URL like http://127.0.0.1:8080. */
  hostname?: string;
  retry?: RetryOptions;
  /** A request unanswered this long fails (--timeout). */
  timeoutMs?: number;
}

export function gitlabHostUrl(hostname = "gitlab.com"): string {
  if (/^https?:\/\//i.test(hostname)) return hostname.replace(/\/+$/, "");
  return `https://${hostname}`;
}

interface GlProject {
  id: number;
  path_with_namespace: string;
  http_url_to_repo: string;
  web_url: string;
  default_branch?: string | null;
  visibility?: string;
  description?: string | null;
}

/** The part of gitbeaker's client this provider calls (its own types are far wider). */
interface Api {
  Users: { showCurrentUser(): Promise<unknown> };
  Projects: {
    show(projectId: string | number): Promise<unknown>;
    create(options: {
      name: string;
      path: string;
      namespaceId?: number;
      visibility: Visibility;
      description?: string;
      initializeWithReadme: boolean;
    }): Promise<unknown>;
    edit(projectId: number, options: { visibility: Visibility; description?: string }): Promise<unknown>;
    share(projectId: number, groupId: number, groupAccess: number): Promise<unknown>;
  };
  Groups: { show(groupId: string): Promise<unknown> };
  DeployKeys: {
    all(options: { projectId: number; perPage: number }): Promise<unknown>;
    create(projectId: number, title: string, key: string, options: { canPush: boolean }): Promise<unknown>;
  };
  DeployTokens: {
    all(options: { projectId: number; perPage: number }): Promise<unknown>;
    create(name: string, scopes: string[], options: { projectId: number }): Promise<unknown>;
  };
  MergeRequests: {
    all(options: {
      projectId: number;
      sourceBranch: string;
      targetBranch: string;
      state: "opened";
      perPage: number;
    }): Promise<unknown>;
    create(
      projectId: number,
      sourceBranch: string,
      targetBranch: string,
      title: string,
      options: { description: string },
    ): Promise<unknown>;
    show(projectId: number, mergerequestIId: number): Promise<unknown>;
  };
}

interface GlError {
  cause?: { description?: unknown; body?: unknown; response?: { status?: number; headers?: Headers } };
  status?: number;
  message?: string;
}

// anything may have been thrown: read it as a possibly absent GlError
const unwrap = (err: unknown) =>
  (err instanceof RateLimitWaitTooLong ? err.original : err) as GlError | null | undefined;

function statusOf(err: unknown): number | undefined {
  const e = unwrap(err);
  return e?.cause?.response?.status ?? (typeof e?.status === "number" ? e.status : undefined);
}

/** GitLab's rate limits (docs.gitlab.com/security/rate_limits): 429 with Retry-After or RateLimit-Reset. */
function failureOf(err: unknown): Failure {
  const status = statusOf(err);
  if (status !== 429) return { status };
  const h = unwrap(err)?.cause?.response?.headers;
  let retryAfterMs = parseRetryAfter(h?.get("retry-after"));
  const reset = h?.get("ratelimit-reset");
  if (retryAfterMs === undefined && reset && /^\d+$/.test(reset))
    retryAfterMs = Math.max(0, Number(reset) * 1000 - Date.now());
  return { status, retryAfterMs, rateLimited: true };
}

function messageOf(err: unknown): string {
  const e = unwrap(err);
  const body = e?.cause?.body as { error_description?: unknown } | undefined;
  const d = typeof body?.error_description === "string" ? body.error_description : e?.cause?.description;
  const text = typeof d === "string" && d ? d : d ? JSON.stringify(d) : (e?.message ?? String(err));
  return redactUrls(text.trim());
}

/** Why a call was refused: a missing scope (GitLab names it), bad credentials, a rate limit. */
function hintOf(err: unknown): string {
  const status = statusOf(err);
  if (status === 401) return " (check GITLAB_TOKEN: it is missing, expired or revoked)";
  const f = failureOf(err);
  if (f.rateLimited) {
    const wait = f.retryAfterMs !== undefined ? `; try again in ${Math.ceil(f.retryAfterMs / 1000)}s` : "";
    return ` (GitLab's rate limit${wait})`;
  }
  if (status !== 403) return "";
  const e = unwrap(err);
  const body = e?.cause?.body as { error?: unknown; scope?: unknown } | undefined;
  const challenge = e?.cause?.response?.headers?.get("www-authenticate") ?? "";
  if (body?.error === "insufficient_scope" || /error="insufficient_scope"/.test(challenge)) {
    const scope = typeof body?.scope === "string" ? body.scope : /scope="([^"]+)"/.exec(challenge)?.[1];
    const scopes = (scope ?? "api").split(/\s+/).filter(Boolean);
    return ` (the token lacks the ${scopes.map((x) => `'${x}'`).join(" or ")} scope)`;
  }
  return " (the token lacks the api scope or the permissions needed)";
}

/**
 * gitbeaker's request handler without its retry loop (it retries 429 and 502 ten times
 * within a quarter of a second, ignoring Retry-After): one attempt, errors shaped like
 * gitbeaker's (cause.description, cause.response) plus the parsed body, so withRetry
 * decides when to try again.
 */
async function requestOnce(endpoint: string, options: Record<string, unknown> = {}) {
  const { rateLimiters: _limiters, agent: _agent, asStream, prefixUrl, searchParams, method, ...init } = options;
  const prefix = typeof prefixUrl === "string" ? (prefixUrl.endsWith("/") ? prefixUrl : `${prefixUrl}/`) : undefined;
  const url = new URL(endpoint, prefix);
  url.search = typeof searchParams === "string" ? searchParams : "";
  let response: Response;
  try {
    response = await fetch(url, { ...(init as RequestInit), method: method as string });
  } catch (err) {
    const name = (err as Error).name;
    if (name === "TimeoutError" || name === "AbortError")
      throw Object.assign(new Error("Query timeout was reached"), { name: "GitbeakerTimeoutError" });
    throw err;
  }
  const contentType = ((response.headers.get("content-type") ?? "").split(";")[0] ?? "").trim();
  if (response.ok) {
    const headers = Object.fromEntries(response.headers.entries());
    let body: unknown;
    if (asStream) body = response.body;
    else if (response.status === 204) body = null;
    else if (contentType === "application/json") body = (await response.json()) || {};
    else if (contentType.startsWith("text/")) body = (await response.text()) || "";
    else body = await response.blob();
    return { body, headers, status: response.status } as never;
  }
  const text = await response.text();
  let body: unknown = text;
  let description = text;
  if (contentType === "application/json") {
    try {
      body = JSON.parse(text);
      const b = body as { error?: unknown; message?: unknown } | null;
      const d = b?.error || b?.message || "";
      description = typeof d === "string" ? d : JSON.stringify(d);
    } catch {
      /* not JSON after all */
    }
  }
  throw Object.assign(new Error(description), {
    name: "GitbeakerRequestError",
    cause: { description, body, response },
  });
}

export class GitLabProvider implements GitProvider {
  readonly kind = "gitlab" as const;
  readonly domain: string;
  private readonly opts: GitLabOptions;
  private api?: Api;

  constructor(opts: GitLabOptions) {
    this.opts = opts;
    const h = opts.hostname ?? "gitlab.com";
    this.domain = /^https?:\/\//i.test(h) ? new URL(h).host : h;
  }

  private async client(): Promise<Api> {
    if (!this.api) {
      // Lazy: bootstrap/run.ts serves git, github and gitlab; only gitlab loads this SDK.
      const [{ Gitlab }, { createRequesterFn }] = await Promise.all([
        import("@gitbeaker/rest"),
        import("@gitbeaker/requester-utils"),
      ]);
      this.api = new Gitlab({
        host: gitlabHostUrl(this.opts.hostname),
        token: this.opts.token,
        // gitbeaker bounds each request with AbortSignal.timeout(queryTimeout); requestOnce reports it.
        ...(this.opts.timeoutMs ? { queryTimeout: this.opts.timeoutMs } : {}),
        requesterFn: createRequesterFn((_, o) => Promise.resolve(o), requestOnce),
      });
    }
    return this.api;
  }

  private async call<T>(what: string, fn: (api: Api) => Promise<T>): Promise<T> {
    const api = await this.client();
    try {
      return await withRetry(() => fn(api), failureOf, this.opts.retry);
    } catch (err) {
      throw this.failed(what, err);
    }
  }

  private failed(what: string, err: unknown): ProviderError {
    if ((err as { name?: unknown } | null | undefined)?.name === "GitbeakerTimeoutError") {
      const wait = this.opts.timeoutMs ? ` within ${Math.round(this.opts.timeoutMs / 100) / 10}s` : "";
      return new ProviderError(`${what}: the GitLab API at ${this.domain} did not answer${wait}`);
    }
    const status = statusOf(err);
    return new ProviderError(`${what}: ${messageOf(err)}${status ? ` (HTTP ${status})` : ""}${hintOf(err)}`, status);
  }

  private toRepo(p: GlProject): Repository {
    return {
      fullPath: p.path_with_namespace,
      id: p.id,
      httpUrl: p.http_url_to_repo,
      webUrl: p.web_url,
      defaultBranch: p.default_branch ?? undefined,
      visibility: p.visibility as Repository["visibility"],
      description: p.description ?? undefined,
    };
  }

  /** owner + name ("sub/repo") → the project's full path. */
  static fullPath(ref: RepositoryRef): string {
    return `${ref.owner}/${ref.name}`;
  }

  async currentUser(): Promise<string> {
    const u = (await this.call("failed to get the authenticated user", (api) => api.Users.showCurrentUser())) as {
      username: string;
    };
    return u.username;
  }

  async getRepository(ref: RepositoryRef): Promise<Repository | undefined> {
    const full = GitLabProvider.fullPath(ref);
    const api = await this.client();
    try {
      const p = await withRetry(() => api.Projects.show(full), failureOf, this.opts.retry);
      return this.toRepo(p as GlProject);
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw this.failed(`failed to get Git repository "${full}"`, err);
    }
  }

  async createRepository(ref: RepositoryRef, opts: CreateRepositoryOptions): Promise<Repository> {
    const full = GitLabProvider.fullPath(ref);
    const parts = full.split("/");
    const name = parts.pop() ?? "";
    const namespacePath = parts.join("/");
    const what = `failed to create new Git repository "${full}"`;
    let namespaceId: number | undefined;
    if (!ref.personal || parts.length > 1) {
      const group = await this.call(`${what}: group "${namespacePath}" not found or not accessible`, (api) =>
        api.Groups.show(namespacePath),
      );
      namespaceId = (group as { id: number }).id;
    }
    const p = await this.call(what, (api) =>
      api.Projects.create({
        name,
        path: name,
        ...(namespaceId === undefined ? {} : { namespaceId }),
        visibility: opts.visibility,
        ...(opts.description ? { description: opts.description } : {}),
        initializeWithReadme: opts.autoInit ?? true,
      }),
    );
    return this.toRepo(p as GlProject);
  }

  async updateRepository(
    repo: Repository,
    opts: { visibility: Visibility; description?: string },
  ): Promise<Repository> {
    const p = await this.call(`failed to reconcile Git repository "${repo.fullPath}"`, (api) =>
      api.Projects.edit(repo.id, {
        visibility: opts.visibility,
        ...(opts.description === undefined ? {} : { description: opts.description }),
      }),
    );
    return this.toRepo(p as GlProject);
  }

  /** GitLab "teams" are groups the project is shared with; permissions map to access levels. */
  static readonly ACCESS_LEVELS: Record<string, number> = { pull: 20, push: 30, maintain: 40, admin: 50 };

  private groupPath(org: string, team: string): string {
    return team.includes("/") ? team : `${org}/${team}`;
  }

  async getTeamPermission(repo: Repository, org: string, team: string): Promise<string | undefined> {
    const p = (await this.call(`failed to get Git repository "${repo.fullPath}"`, (api) =>
      api.Projects.show(repo.id),
    )) as {
      shared_with_groups?: { group_full_path: string; group_access_level: number }[];
    };
    const path = this.groupPath(org, team);
    const shared = (p.shared_with_groups ?? []).find((g) => g.group_full_path === path);
    if (!shared) return undefined;
    const entry = Object.entries(GitLabProvider.ACCESS_LEVELS).find(([, level]) => level === shared.group_access_level);
    return entry?.[0] ?? String(shared.group_access_level);
  }

  async setTeamPermission(repo: Repository, org: string, team: string, permission: string): Promise<void> {
    const level = GitLabProvider.ACCESS_LEVELS[permission];
    if (level === undefined) throw new ProviderError(`invalid permission "${permission}" for team "${team}"`);
    const path = this.groupPath(org, team);
    const group = (await this.call(
      `failed to grant permissions to team "${team}": group "${path}" not found or not accessible`,
      (api) => api.Groups.show(path),
    )) as { id: number };
    await this.call(`failed to grant "${permission}" permissions to team "${team}"`, (api) =>
      api.Projects.share(repo.id, group.id, level),
    );
  }

  async listDeployKeys(repo: Repository): Promise<DeployKey[]> {
    const keys = (await this.call(`failed to list deploy keys of "${repo.fullPath}"`, (api) =>
      api.DeployKeys.all({ projectId: repo.id, perPage: 100 }),
    )) as { id: number; title: string; key: string; can_push?: boolean }[];
    return keys.map((k) => ({ id: k.id, title: k.title, key: k.key, readOnly: !k.can_push }));
  }

  async addDeployKey(repo: Repository, key: { title: string; key: string; readOnly: boolean }): Promise<DeployKey> {
    const k = (await this.call(`failed to add deploy key "${key.title}" to "${repo.fullPath}"`, (api) =>
      api.DeployKeys.create(repo.id, key.title, key.key, { canPush: !key.readOnly }),
    )) as { id: number; title: string; key: string; can_push?: boolean };
    return { id: k.id, title: k.title, key: k.key, readOnly: !k.can_push };
  }

  async listDeployTokens(repo: Repository): Promise<DeployToken[]> {
    const list = (await this.call(`failed to list deploy tokens of "${repo.fullPath}"`, (api) =>
      api.DeployTokens.all({ projectId: repo.id, perPage: 100 }),
    )) as { id: number; name: string; username: string; revoked?: boolean; expired?: boolean }[];
    return list.filter((t) => !t.revoked && !t.expired).map((t) => ({ id: t.id, name: t.name, username: t.username }));
  }

  async createDeployToken(repo: Repository, name: string): Promise<DeployToken> {
    const t = (await this.call(`failed to create deploy token "${name}" on "${repo.fullPath}"`, (api) =>
      api.DeployTokens.create(name, ["read_repository"], { projectId: repo.id }),
    )) as { id: number; name: string; username: string; token: string };
    return { id: t.id, name: t.name, username: t.username, token: t.token };
  }

  private toMr(m: { iid: number; web_url: string; state: string }): ChangeRequest {
    return {
      number: m.iid,
      url: m.web_url,
      state: m.state === "merged" ? "merged" : m.state === "opened" ? "open" : "closed",
    };
  }

  async findChangeRequest(repo: Repository, head: string, base: string): Promise<ChangeRequest | undefined> {
    const list = (await this.call(`failed to list merge requests of "${repo.fullPath}"`, (api) =>
      api.MergeRequests.all({
        projectId: repo.id,
        sourceBranch: head,
        targetBranch: base,
        state: "opened",
        perPage: 100,
      }),
    )) as { iid: number; web_url: string; state: string; source_branch: string; target_branch: string }[];
    const mr = list.find((m) => m.source_branch === head && m.target_branch === base);
    return mr ? this.toMr(mr) : undefined;
  }

  async createChangeRequest(
    repo: Repository,
    opts: { head: string; base: string; title: string; body: string },
  ): Promise<ChangeRequest> {
    const m = await this.call(`failed to create a merge request on "${repo.fullPath}"`, (api) =>
      api.MergeRequests.create(repo.id, opts.head, opts.base, opts.title, { description: opts.body }),
    );
    return this.toMr(m as { iid: number; web_url: string; state: string });
  }

  async getChangeRequest(repo: Repository, number: number): Promise<ChangeRequest> {
    const m = await this.call(`failed to get merge request !${number} of "${repo.fullPath}"`, (api) =>
      api.MergeRequests.show(repo.id, number),
    );
    return this.toMr(m as { iid: number; web_url: string; state: string });
  }
}
