// Bitbucket Server / Data Center over its REST API 1.0 (no well-kept npm SDK: a small
// typed client): repositories in projects (or a user's personal project "~user"),
// access keys (the SSH keys REST API), group permissions on a repository. Bearer
// HTTP access tokens, start/limit paged lists, {"errors": [{message}]} error bodies.
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

export interface BitbucketServerOptions {
  token: string;
  /** The server's host name, or a full base URL like http://127.0.0.1:7990. */
  hostname: string;
  retry?: RetryOptions;
  /** A request unanswered this long fails (--timeout). */
  timeoutMs?: number | undefined;
}

export function bitbucketServerUrl(hostname: string): string {
  if (/^https?:\/\//i.test(hostname)) return hostname.replace(/\/+$/, "");
  return `https://${hostname}`;
}

interface BbLink {
  href: string;
  name?: string;
}

interface BbRepository {
  id: number;
  slug: string;
  name: string;
  description?: string;
  public?: boolean;
  project: { key: string };
  links?: { clone?: BbLink[]; self?: BbLink[] };
}

interface BbPage<T> {
  values: T[];
  isLastPage: boolean;
  nextPageStart?: number;
}

interface BbAccessKey {
  key: { id: number; text: string; label?: string };
  permission: string;
}

/** Repository permissions by upstream's names (pull, push, admin). */
export const BITBUCKET_PERMISSIONS: Record<string, string> = {
  pull: "REPO_READ",
  push: "REPO_WRITE",
  admin: "REPO_ADMIN",
};

const PAGE_LIMIT = 100;

export class BitbucketServerProvider implements GitProvider {
  readonly kind = "bitbucket-server" as const;
  readonly domain: string;
  private readonly rest: RestClient;

  constructor(opts: BitbucketServerOptions) {
    const base = bitbucketServerUrl(opts.hostname);
    this.domain = new URL(base).host;
    this.rest = new RestClient({
      baseUrl: base,
      headers: { Authorization: `Bearer ${opts.token}` },
      retry: opts.retry,
      timeoutMs: opts.timeoutMs,
    });
  }

  /** The project key of an owner: a personal project is "~user". */
  static projectKey(ref: Pick<RepositoryRef, "owner" | "personal">): string {
    return ref.personal ? `~${ref.owner}` : ref.owner;
  }

  private static repoPath(fullPath: string, api = "api"): string {
    const [key = "", slug = ""] = fullPath.split("/");
    return `/rest/${api}/1.0/projects/${encodeURIComponent(key)}/repos/${encodeURIComponent(slug)}`;
  }

  private failed(what: string, err: unknown): ProviderError {
    const e = httpErrorOf(err);
    if (!e) return new ProviderError(`${what}: ${unansweredMessage("Bitbucket Server API", err)}`);
    const body = e.body as { errors?: { message?: string }[] } | undefined;
    const message =
      body?.errors
        ?.map((x) => x.message)
        .filter(Boolean)
        .join("; ") || e.message;
    let hint = "";
    if (e.status === 401) hint = " (check BITBUCKET_TOKEN: it is missing, expired or revoked)";
    else if (e.status === 403) hint = " (the token lacks the permission needed: project or repository admin)";
    else if (e.status === 429) hint = " (Bitbucket Server's rate limit)";
    return new ProviderError(`${what}: ${message} (HTTP ${e.status})${hint}`, e.status);
  }

  /** One request; the caller says which shape of Bitbucket's JSON it reads from body. */
  private async call(
    what: string,
    method: string,
    path: string,
    opts?: { query?: Record<string, string | number | undefined>; body?: unknown },
  ): Promise<{ body: unknown; headers: Headers }> {
    try {
      return await this.rest.request<unknown>(method, path, opts);
    } catch (err) {
      throw this.failed(what, err);
    }
  }

  /** Every page of a paged list (start/limit, until isLastPage). */
  private async all<T>(what: string, path: string, query: Record<string, string> = {}): Promise<T[]> {
    const out: T[] = [];
    let start = 0;
    for (;;) {
      const page = await this.call(what, "GET", path, { query: { ...query, start, limit: PAGE_LIMIT } });
      const body = page.body as BbPage<T>;
      out.push(...body.values);
      if (body.isLastPage || body.nextPageStart === undefined) return out;
      start = body.nextPageStart;
    }
  }

  private toRepo(r: BbRepository): Repository {
    const http = r.links?.clone?.find((l) => l.name === "http")?.href;
    return {
      fullPath: `${r.project.key}/${r.slug}`,
      id: r.id,
      httpUrl: http ?? `https://${this.domain}/scm/${r.project.key.toLowerCase()}/${r.slug}.git`,
      webUrl: r.links?.self?.[0]?.href ?? `https://${this.domain}/projects/${r.project.key}/repos/${r.slug}`,
      visibility: r.public ? "public" : "private",
      description: r.description || undefined,
    };
  }

  /** Bitbucket Server names the authenticated user in the X-AUSERNAME header of every answer. */
  async currentUser(): Promise<string> {
    const { headers } = await this.call(
      "failed to get the authenticated user",
      "GET",
      "/rest/api/1.0/application-properties",
    );
    const user = headers.get("x-ausername");
    if (!user) throw new ProviderError("failed to get the authenticated user: the server did not name it");
    return user;
  }

  async getRepository(ref: RepositoryRef): Promise<Repository | undefined> {
    const full = `${BitbucketServerProvider.projectKey(ref)}/${ref.name}`;
    try {
      const found = await this.rest.find<BbRepository>(BitbucketServerProvider.repoPath(full));
      return found && this.toRepo(found);
    } catch (err) {
      throw this.failed(`failed to get Git repository "${full}"`, err);
    }
  }

  async createRepository(ref: RepositoryRef, opts: CreateRepositoryOptions): Promise<Repository> {
    const key = BitbucketServerProvider.projectKey(ref);
    const body = (
      await this.call(
        `failed to create new Git repository "${key}/${ref.name}"`,
        "POST",
        `/rest/api/1.0/projects/${encodeURIComponent(key)}/repos`,
        { body: { name: ref.name, scmId: "git", forkable: true, public: opts.visibility === "public" } },
      )
    ).body as BbRepository;
    return this.toRepo(body);
  }

  async updateRepository(
    repo: Repository,
    opts: { visibility: Visibility; description?: string },
  ): Promise<Repository> {
    const body = (
      await this.call(
        `failed to reconcile Git repository "${repo.fullPath}"`,
        "PUT",
        BitbucketServerProvider.repoPath(repo.fullPath),
        {
          body: {
            public: opts.visibility === "public",
            ...(opts.description ? { description: opts.description } : {}),
          },
        },
      )
    ).body as BbRepository;
    return this.toRepo(body);
  }

  async getTeamPermission(repo: Repository, _org: string, group: string): Promise<string | undefined> {
    const list = await this.all<{ group: { name: string }; permission: string }>(
      `failed to get the permissions of group "${group}"`,
      `${BitbucketServerProvider.repoPath(repo.fullPath)}/permissions/groups`,
      { filter: group },
    );
    const found = list.find((g) => g.group.name === group);
    if (!found) return undefined;
    return Object.entries(BITBUCKET_PERMISSIONS).find(([, p]) => p === found.permission)?.[0] ?? found.permission;
  }

  async setTeamPermission(repo: Repository, _org: string, group: string, permission: string): Promise<void> {
    const p = BITBUCKET_PERMISSIONS[permission];
    if (!p) throw new ProviderError(`invalid permission "${permission}" for group "${group}"`);
    await this.call(
      `failed to grant "${permission}" permissions to group "${group}"`,
      "PUT",
      `${BitbucketServerProvider.repoPath(repo.fullPath)}/permissions/groups`,
      { query: { permission: p, name: group } },
    );
  }

  async listDeployKeys(repo: Repository): Promise<DeployKey[]> {
    const keys = await this.all<BbAccessKey>(
      `failed to list access keys of "${repo.fullPath}"`,
      `${BitbucketServerProvider.repoPath(repo.fullPath, "keys")}/ssh`,
    );
    return keys.map((k) => ({
      id: k.key.id,
      title: k.key.label ?? "",
      key: k.key.text,
      readOnly: k.permission === "REPO_READ",
    }));
  }

  async addDeployKey(repo: Repository, key: { title: string; key: string; readOnly: boolean }): Promise<DeployKey> {
    const body = (
      await this.call(
        `failed to add access key "${key.title}" to "${repo.fullPath}"`,
        "POST",
        `${BitbucketServerProvider.repoPath(repo.fullPath, "keys")}/ssh`,
        { body: { key: { text: key.key, label: key.title }, permission: key.readOnly ? "REPO_READ" : "REPO_WRITE" } },
      )
    ).body as BbAccessKey;
    return {
      id: body.key.id,
      title: body.key.label ?? key.title,
      key: body.key.text,
      readOnly: body.permission === "REPO_READ",
    };
  }
}
