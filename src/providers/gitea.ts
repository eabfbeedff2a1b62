// Gitea (gitea.com and self-hosted) over its REST API v1 (no well-kept npm SDK: a small
// typed client): repositories of users and organizations, deploy keys, organization
// teams on a repository. Token auth ("Authorization: token …"), page/limit pagination
// followed through the Link header, {"message": …} error bodies worded for the user.
import { httpErrorOf, RestClient, unansweredMessage } from "./rest.js";
import type { RetryOptions } from "./retry.js";
import {
  ProviderError,
  type CreateRepositoryOptions,
  type DeployKey,
  type GitProvider,
  type Repository,
  type RepositoryRef,
  type Visibility,
} from "./types.js";

export interface GiteaOptions {
  token: string;
  /** gitea.com (default), a host name, or a full base URL like http://127.0.0.1:3000. */
  hostname?: string;
  retry?: RetryOptions;
  /** A request unanswered this long fails (--timeout). */
  timeoutMs?: number | undefined;
}

/** The web root of a Gitea host: https://<hostname>, or the URL as given. */
export function giteaHostUrl(hostname = "gitea.com"): string {
  if (/^https?:\/\//i.test(hostname)) return hostname.replace(/\/+$/, "");
  return `https://${hostname}`;
}

interface GtRepository {
  id: number;
  full_name: string;
  description?: string;
  private: boolean;
  html_url: string;
  clone_url: string;
  default_branch?: string;
}

interface GtDeployKey {
  id: number;
  title: string;
  key: string;
  read_only: boolean;
}

/** Gitea's page size limit (MAX_RESPONSE_ITEMS defaults to 50). */
const PAGE_LIMIT = 50;

/** Gitea's access modes as upstream's provider reads them: read → pull, write → push, admin/owner → admin. */
const TEAM_PERMISSIONS: Record<string, string> = { read: "pull", write: "push", admin: "admin", owner: "admin" };

function nextPage(link: string | null): boolean {
  return !!link && /rel="next"/.test(link);
}

export class GiteaProvider implements GitProvider {
  readonly kind = "gitea" as const;
  readonly domain: string;
  private readonly rest: RestClient;

  constructor(opts: GiteaOptions) {
    const base = giteaHostUrl(opts.hostname);
    this.domain = new URL(base).host;
    this.rest = new RestClient({
      baseUrl: `${base}/api/v1`,
      headers: { Authorization: `token ${opts.token}` },
      retry: opts.retry,
      timeoutMs: opts.timeoutMs,
    });
  }

  private failed(what: string, err: unknown): ProviderError {
    const e = httpErrorOf(err);
    if (!e) return new ProviderError(`${what}: ${unansweredMessage("Gitea API", err)}`);
    const body = e.body as { message?: unknown } | undefined;
    const message = typeof body?.message === "string" && body.message ? body.message : e.message;
    let hint = "";
    if (e.status === 401) hint = " (check GITEA_TOKEN: it is missing, expired or revoked)";
    else if (e.status === 403 && /scope/.test(message)) hint = " (create a token with the scopes named above)";
    else if (e.status === 429) hint = " (Gitea's rate limit)";
    return new ProviderError(`${what}: ${message} (HTTP ${e.status})${hint}`, e.status);
  }

  private async call<T>(
    what: string,
    method: string,
    path: string,
    opts?: { query?: Record<string, string | number | undefined>; body?: unknown },
  ): Promise<T> {
    try {
      return (await this.rest.request<T>(method, path, opts)).body;
    } catch (err) {
      throw this.failed(what, err);
    }
  }

  /** Every page of a list, following rel="next". */
  private async all<T>(what: string, path: string): Promise<T[]> {
    const out: T[] = [];
    for (let page = 1; ; page++) {
      try {
        // an empty answer's body is null
        const res = await this.rest.request<T[] | null>("GET", path, { query: { page, limit: PAGE_LIMIT } });
        out.push(...(res.body ?? []));
        if (!nextPage(res.headers.get("link"))) return out;
      } catch (err) {
        throw this.failed(what, err);
      }
    }
  }

  private static path(fullPath: string): string {
    const [owner = "", name = ""] = fullPath.split("/");
    return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
  }

  private toRepo(r: GtRepository): Repository {
    return {
      fullPath: r.full_name,
      id: r.id,
      httpUrl: r.clone_url,
      webUrl: r.html_url,
      defaultBranch: r.default_branch,
      visibility: r.private ? "private" : "public",
      description: r.description || undefined,
    };
  }

  async currentUser(): Promise<string> {
    const u = await this.call<{ login: string }>("failed to get the authenticated user", "GET", "/user");
    return u.login;
  }

  async getRepository(ref: RepositoryRef): Promise<Repository | undefined> {
    const full = `${ref.owner}/${ref.name}`;
    try {
      const found = await this.rest.find<GtRepository>(GiteaProvider.path(full));
      return found && this.toRepo(found);
    } catch (err) {
      throw this.failed(`failed to get Git repository "${full}"`, err);
    }
  }

  async createRepository(ref: RepositoryRef, opts: CreateRepositoryOptions): Promise<Repository> {
    const full = `${ref.owner}/${ref.name}`;
    const path = ref.personal ? "/user/repos" : `/orgs/${encodeURIComponent(ref.owner)}/repos`;
    const r = await this.call<GtRepository>(`failed to create new Git repository "${full}"`, "POST", path, {
      body: {
        name: ref.name,
        private: opts.visibility !== "public",
        description: opts.description || undefined,
        auto_init: opts.autoInit ?? true,
      },
    });
    return this.toRepo(r);
  }

  async updateRepository(
    repo: Repository,
    opts: { visibility: Visibility; description?: string },
  ): Promise<Repository> {
    const r = await this.call<GtRepository>(
      `failed to reconcile Git repository "${repo.fullPath}"`,
      "PATCH",
      GiteaProvider.path(repo.fullPath),
      { body: { private: opts.visibility !== "public", description: opts.description } },
    );
    return this.toRepo(r);
  }

  async getTeamPermission(repo: Repository, _org: string, team: string): Promise<string | undefined> {
    try {
      const t = await this.rest.find<{ permission: string }>(
        `${GiteaProvider.path(repo.fullPath)}/teams/${encodeURIComponent(team)}`,
      );
      return t && (TEAM_PERMISSIONS[t.permission] ?? t.permission);
    } catch (err) {
      throw this.failed(`failed to get the access of team "${team}"`, err);
    }
  }

  /** Gitea grants access per team (the team's own permission): the repository is added to the team. */
  async setTeamPermission(repo: Repository, _org: string, team: string, permission: string): Promise<void> {
    await this.call(
      `failed to grant "${permission}" permissions to team "${team}"`,
      "PUT",
      `${GiteaProvider.path(repo.fullPath)}/teams/${encodeURIComponent(team)}`,
    );
  }

  async listDeployKeys(repo: Repository): Promise<DeployKey[]> {
    const keys = await this.all<GtDeployKey>(
      `failed to list deploy keys of "${repo.fullPath}"`,
      `${GiteaProvider.path(repo.fullPath)}/keys`,
    );
    return keys.map((k) => ({ id: k.id, title: k.title, key: k.key, readOnly: k.read_only }));
  }

  async addDeployKey(repo: Repository, key: { title: string; key: string; readOnly: boolean }): Promise<DeployKey> {
    const k = await this.call<GtDeployKey>(
      `failed to add deploy key "${key.title}" to "${repo.fullPath}"`,
      "POST",
      `${GiteaProvider.path(repo.fullPath)}/keys`,
      { body: { title: key.title, key: key.key, read_only: key.readOnly } },
    );
    return { id: k.id, title: k.title, key: k.key, readOnly: k.read_only };
  }
}
