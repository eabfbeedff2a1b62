// A local server following GitHub's documented REST contract for the endpoints
// bootstrap uses (docs.github.com/rest: repos, deploy keys, teams, pulls): status
// codes, error bodies ({message, documentation_url, errors[]}), Link pagination.
// Repositories are backed by real bare repositories on the test git server, so
// clone_url works for git.
//
// Tokens carry classic scopes (X-OAuth-Scopes on every answer, X-Accepted-OAuth-Scopes
// naming what the endpoint accepts) or fine-grained permissions
// (X-Accepted-GitHub-Permissions); a token lacking them gets GitHub's 403. Organizations
// may enforce SAML SSO for a token (403 with X-GitHub-SSO). Rate limits: the secondary
// limit (403 or 429 with Retry-After) and the primary one (403 with x-ratelimit-*).
import path from "node:path";
import type { GitServer } from "../env/git-server.js";
import type { SshGitServer } from "../env/ssh-server.js";
import { must } from "../support/must.js";
import {
  bodyText,
  ContractServer,
  paginate,
  type AuthResult,
  type Req,
  type Res,
  type Route,
  type RouteNeeds,
} from "./http.js";
import { mergeBranches } from "./merge.js";

const DOCS = "https://docs.github.com/rest";

export interface GhRepoState {
  id: number;
  owner: string;
  name: string;
  private: boolean;
  visibility: string;
  description: string | null;
  keys: { id: number; title: string; key: string; read_only: boolean; created_at: string; verified: boolean }[];
  teams: Map<string, string>;
  pulls: {
    number: number;
    title: string;
    body: string;
    head: string;
    base: string;
    state: "open" | "closed";
    merged: boolean;
  }[];
}

/** What a token may do. The main token is classic with the scopes repo, admin:org and admin:public_key. */
export interface GhTokenGrant {
  /** A classic token's scopes. */
  scopes?: string[];
  /** A fine-grained token's permissions, e.g. { administration: "write", contents: "write" }. */
  permissions?: Record<string, "read" | "write">;
  /** Organizations enforcing SAML SSO for which this token is not authorized. */
  ssoUnauthorized?: string[];
}

export const MAIN_TOKEN_SCOPES = ["repo", "admin:org", "admin:public_key"];

// Classic scopes that include others.
const IMPLIED: Record<string, string[]> = {
  repo: ["public_repo"],
  "admin:org": ["write:org", "read:org"],
  "write:org": ["read:org"],
  "admin:public_key": ["write:public_key", "read:public_key"],
};

/** What each endpoint accepts (docs.github.com: scopes for OAuth apps; permissions for fine-grained tokens). */
function needsOf(route: Route | undefined): RouteNeeds {
  if (!route) return {};
  const path = "/" + route.pattern.join("/");
  const write = route.method !== "GET";
  if (path === "/user") return { scopes: [] };
  if (path.startsWith("/orgs/:org/teams/"))
    return {
      scopes: write ? ["admin:org"] : ["read:org", "admin:org"],
      permission: `members=${write ? "write" : "read"}`,
    };
  if (path.includes("/pulls")) return { scopes: ["repo"], permission: `pull_requests=${write ? "write" : "read"}` };
  if (path.endsWith("/keys")) return { scopes: ["repo"], permission: `administration=${write ? "write" : "read"}` };
  if (path === "/repos/:owner/:repo" && !write) return { scopes: ["repo"], permission: "metadata=read" };
  return { scopes: ["repo"], permission: "administration=write" };
}

export const SECONDARY_RATE_LIMIT_MESSAGE =
  "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0400:2B4D:5E2A1C:6C1F3E:66A0B1C2.";

export interface GitHubServerOptions {
  git: GitServer;
  /** Serves the repositories over SSH too: ssh clone URLs point at it, deploy keys are let in. */
  ssh?: SshGitServer;
  token: string;
  /** More tokens, each with its own grant. */
  tokens?: Record<string, GhTokenGrant>;
  /** The authenticated user's login. */
  login?: string;
  /** Organizations that exist, with their team slugs. */
  orgs?: Record<string, string[]>;
}

export class GitHubServer extends ContractServer {
  readonly repos = new Map<string, GhRepoState>();
  private nextId = 1000;
  readonly login: string;
  readonly orgs: Record<string, string[]>;

  constructor(private readonly opts: GitHubServerOptions) {
    super("", () => ({ status: 404, body: { message: "Not Found", documentation_url: DOCS } }));
    this.login = opts.login ?? "octocat";
    this.orgs = opts.orgs ?? {};
    this.routes();
  }

  private grantOf(token: string): GhTokenGrant | undefined {
    if (token === this.opts.token) return { scopes: MAIN_TOKEN_SCOPES };
    return this.opts.tokens?.[token];
  }

  protected override auth(req: Req, route: Route | undefined, params: Record<string, string>): AuthResult {
    const h = req.headers.authorization ?? "";
    const token = h.replace(/^(token|bearer)\s+/i, "");
    const grant = token ? this.grantOf(token) : undefined;
    if (!grant) {
      return { deny: { status: 401, body: { message: "Bad credentials", documentation_url: DOCS, status: "401" } } };
    }
    const needs = needsOf(route);
    const headers: Record<string, string> = {};
    if (grant.scopes) {
      headers["X-OAuth-Scopes"] = grant.scopes.join(", ");
      headers["X-Accepted-OAuth-Scopes"] = (needs.scopes ?? []).join(", ");
    }
    const org = params.org ?? params.owner;
    if (org && grant.ssoUnauthorized?.includes(org)) {
      headers["X-GitHub-SSO"] =
        `required; url=https://github.example/orgs/${org}/sso?authorization_request=A3JZQ7Y5KXTOKENREQUEST`;
      return {
        headers,
        deny: {
          status: 403,
          body: {
            message:
              "Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.",
            documentation_url:
              "https://docs.github.com/articles/authenticating-to-a-github-organization-with-saml-single-sign-on/",
            status: "403",
          },
        },
      };
    }
    const refused: Res = {
      status: 403,
      body: { message: "Resource not accessible by personal access token", documentation_url: DOCS, status: "403" },
    };
    if (grant.scopes && needs.scopes?.length) {
      const granted = new Set(grant.scopes.flatMap((x) => [x, ...(IMPLIED[x] ?? [])]));
      if (!needs.scopes.some((x) => granted.has(x))) return { headers, deny: refused };
    }
    if (grant.permissions && needs.permission) {
      const [name, level] = needs.permission.split("=") as [string, "read" | "write"];
      const has = grant.permissions[name];
      if (!has || (level === "write" && has !== "write")) {
        headers["X-Accepted-GitHub-Permissions"] = needs.permission;
        return { headers, deny: refused };
      }
    }
    return { headers };
  }

  /** The next `count` requests (optionally only method + path) hit the secondary rate limit: 403 (or 429) with Retry-After. */
  secondaryRateLimit(
    count: number,
    retryAfterSeconds: number,
    status: 403 | 429 = 403,
    match?: { method: string; path: RegExp },
  ): void {
    this.http.answerNext(
      count,
      {
        status,
        body: {
          message: SECONDARY_RATE_LIMIT_MESSAGE,
          documentation_url:
            "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits",
          status: String(status),
        },
        headers: { "Retry-After": String(retryAfterSeconds) },
      },
      match,
    );
  }

  /** The next `count` requests find the primary rate limit used up until `resetInSeconds` from now. */
  primaryRateLimit(count: number, resetInSeconds: number): void {
    this.http.answerNext(count, {
      status: 403,
      body: {
        message:
          "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID 0400:2B4D:5E2A1C:6C1F3E:66A0B1C3.",
        documentation_url: "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api",
        status: "403",
      },
      headers: {
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-used": "5000",
        "x-ratelimit-resource": "core",
        "x-ratelimit-reset": String(Math.ceil(Date.now() / 1000) + resetInSeconds),
      },
    });
  }

  private key(owner: string, name: string): string {
    return `${owner}/${name}`.toLowerCase();
  }

  /** Seeds an existing repository (with files, on the git server). */
  async addRepo(
    owner: string,
    name: string,
    files?: Record<string, string>,
    visibility = "private",
  ): Promise<GhRepoState> {
    return this.createRepo(owner, name, visibility, null, files);
  }

  /** A new repository's state, registered, and its bare repository on the git server. */
  private async createRepo(
    owner: string,
    name: string,
    visibility: string,
    description: string | null,
    files: Record<string, string> | undefined,
  ): Promise<GhRepoState> {
    const state: GhRepoState = {
      id: this.nextId++,
      owner,
      name,
      private: visibility !== "public",
      visibility,
      description,
      keys: [],
      teams: new Map(),
      pulls: [],
    };
    this.repos.set(this.key(owner, name), state);
    await this.opts.git.createRepo(`${owner}/${name}`, files ? { files } : undefined);
    return state;
  }

  repo(owner: string, name: string): GhRepoState | undefined {
    return this.repos.get(this.key(owner, name));
  }

  private repoJson(r: GhRepoState, withPermissions?: string) {
    const full = `${r.owner}/${r.name}`;
    const json: Record<string, unknown> = {
      id: r.id,
      node_id: `R_${r.id}`,
      name: r.name,
      full_name: full,
      owner: { login: r.owner, type: r.owner === this.login ? "User" : "Organization" },
      private: r.private,
      visibility: r.visibility,
      description: r.description,
      html_url: `https://github.example/${full}`,
      clone_url: this.opts.git.url(full),
      ssh_url: this.opts.ssh?.url(full) ?? `git@github.example:${full}.git`,
      default_branch: "main",
    };
    if (withPermissions) {
      const order = ["pull", "triage", "push", "maintain", "admin"];
      const level = order.indexOf(withPermissions);
      json.permissions = Object.fromEntries(order.map((p, i) => [p, i <= level]));
      json.role_name = withPermissions === "pull" ? "read" : withPermissions === "push" ? "write" : withPermissions;
    }
    return json;
  }

  private getRepo(params: { owner: string; repo: string }): GhRepoState | Res {
    return (
      this.repo(params.owner, params.repo) ?? { status: 404, body: { message: "Not Found", documentation_url: DOCS } }
    );
  }

  /** Merges a pull request: fast-forwards (or merges) base to head in the git repository. */
  mergePull(owner: string, name: string, number: number): void {
    const r = must(this.repo(owner, name), `repository ${owner}/${name}`);
    const pr = must(
      r.pulls.find((p) => p.number === number),
      `pull request #${number} of ${owner}/${name}`,
    );
    const bare = path.join(this.opts.git.root, `${owner}/${name}.git`);
    mergeBranches(bare, pr.base, pr.head, { name: "GitHub", email: "noreply@github.com" });
    pr.state = "closed";
    pr.merged = true;
  }

  private pullJson(r: GhRepoState, p: GhRepoState["pulls"][number]) {
    return {
      number: p.number,
      title: p.title,
      body: p.body,
      state: p.state,
      merged: p.merged,
      merged_at: p.merged ? "2026-01-01T00:00:00Z" : null,
      html_url: `https://github.example/${r.owner}/${r.name}/pull/${p.number}`,
      head: { ref: p.head, label: `${r.owner}:${p.head}` },
      base: { ref: p.base, label: `${r.owner}:${p.base}` },
    };
  }

  private routes(): void {
    const h = this.http;
    h.route("GET", "/user", () => ({ status: 200, body: { login: this.login, id: 1, type: "User" } }));

    h.route("GET", "/repos/:owner/:repo", (_req, p) => {
      const r = this.getRepo(p);
      return "status" in r ? r : { status: 200, body: this.repoJson(r) };
    });

    h.route("PATCH", "/repos/:owner/:repo", (req, p) => {
      const r = this.getRepo(p);
      if ("status" in r) return r;
      if (req.body.visibility !== undefined || req.body.private !== undefined) {
        const visibility = bodyText(req.body.visibility, req.body.private ? "private" : "public");
        if (!["public", "private", "internal"].includes(visibility)) {
          return {
            status: 422,
            body: {
              message: "Validation Failed",
              errors: [{ resource: "Repository", code: "invalid", field: "visibility" }],
              documentation_url: DOCS,
            },
          };
        }
        r.visibility = visibility;
        r.private = visibility !== "public";
      }
      if (typeof req.body.description === "string") r.description = req.body.description;
      return { status: 200, body: this.repoJson(r) };
    });

    const create = async (owner: string, req: Req): Promise<Res> => {
      const name = bodyText(req.body.name);
      if (!name)
        return {
          status: 422,
          body: {
            message: "Validation Failed",
            errors: [{ resource: "Repository", code: "missing_field", field: "name" }],
            documentation_url: DOCS,
          },
        };
      if (this.repo(owner, name)) {
        return {
          status: 422,
          body: {
            message: "Repository creation failed.",
            errors: [
              { resource: "Repository", code: "custom", field: "name", message: "name already exists on this account" },
            ],
            documentation_url: DOCS,
          },
        };
      }
      const visibility = bodyText(req.body.visibility, req.body.private ? "private" : "public");
      const r = await this.createRepo(
        owner,
        name,
        visibility,
        typeof req.body.description === "string" ? req.body.description : null,
        req.body.auto_init ? { "README.md": `# ${name}\n` } : undefined,
      );
      return { status: 201, body: this.repoJson(r) };
    };
    h.route("POST", "/user/repos", (req) => create(this.login, req));
    h.route("POST", "/orgs/:org/repos", (req, p) => {
      if (!this.orgs[p.org]) return { status: 404, body: { message: "Not Found", documentation_url: DOCS } };
      return create(p.org, req);
    });

    h.route("GET", "/repos/:owner/:repo/keys", (req, p) => {
      const r = this.getRepo(p);
      return "status" in r ? r : paginate(req, this.url, r.keys);
    });
    h.route("POST", "/repos/:owner/:repo/keys", (req, p) => {
      const r = this.getRepo(p);
      if ("status" in r) return r;
      const key = bodyText(req.body.key).trim();
      if (!/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+/.test(key)) {
        return {
          status: 422,
          body: {
            message: "Validation Failed",
            errors: [
              {
                resource: "PublicKey",
                code: "custom",
                field: "key",
                message: "key is invalid. You must supply a key in OpenSSH public key format",
              },
            ],
            documentation_url: DOCS,
          },
        };
      }
      const body = key.split(/\s+/).slice(0, 2).join(" ");
      if (r.keys.some((k) => k.key === body)) {
        return {
          status: 422,
          body: {
            message: "Validation Failed",
            errors: [{ resource: "PublicKey", code: "custom", field: "key", message: "key is already in use" }],
            documentation_url: DOCS,
          },
        };
      }
      const k = {
        id: this.nextId++,
        title: bodyText(req.body.title),
        key: body,
        read_only: req.body.read_only !== false,
        created_at: new Date().toISOString(),
        verified: true,
      };
      r.keys.push(k);
      this.opts.ssh?.authorize(`${r.owner}/${r.name}`, k.key, k.read_only ? "read" : "write");
      return { status: 201, body: k };
    });

    const team = (p: { org: string; team: string }): Res | undefined =>
      this.orgs[p.org]?.includes(p.team)
        ? undefined
        : { status: 404, body: { message: "Not Found", documentation_url: DOCS } };
    h.route("GET", "/orgs/:org/teams/:team/repos/:owner/:repo", (req, p) => {
      const t = team(p);
      if (t) return t;
      const r = this.getRepo(p);
      if ("status" in r) return r;
      const perm = r.teams.get(p.team);
      if (!perm) return { status: 404, body: { message: "Not Found", documentation_url: DOCS } };
      if ((req.headers.accept ?? "").includes("application/vnd.github.v3.repository+json")) {
        return { status: 200, body: this.repoJson(r, perm) };
      }
      return { status: 204 };
    });
    h.route("PUT", "/orgs/:org/teams/:team/repos/:owner/:repo", (req, p) => {
      const t = team(p);
      if (t) return t;
      const r = this.getRepo(p);
      if ("status" in r) return r;
      const perm = bodyText(req.body.permission, "push");
      if (!["pull", "triage", "push", "maintain", "admin"].includes(perm)) {
        return {
          status: 422,
          body: {
            message: "Validation Failed",
            errors: [{ resource: "Team", code: "invalid", field: "permission" }],
            documentation_url: DOCS,
          },
        };
      }
      r.teams.set(p.team, perm);
      return { status: 204 };
    });

    h.route("GET", "/repos/:owner/:repo/pulls", (req, p) => {
      const r = this.getRepo(p);
      if ("status" in r) return r;
      const state = req.query.get("state") ?? "open";
      const head = req.query.get("head");
      const base = req.query.get("base");
      const list = r.pulls
        .filter((x) => state === "all" || x.state === state)
        .filter((x) => !head || `${r.owner}:${x.head}` === head)
        .filter((x) => !base || x.base === base)
        .map((x) => this.pullJson(r, x));
      return paginate(req, this.url, list);
    });
    h.route("POST", "/repos/:owner/:repo/pulls", (req, p) => {
      const r = this.getRepo(p);
      if ("status" in r) return r;
      const head = bodyText(req.body.head);
      const base = bodyText(req.body.base);
      const full = `${r.owner}/${r.name}`;
      if (!this.opts.git.revParse(full, `refs/heads/${head}`) || !this.opts.git.revParse(full, `refs/heads/${base}`)) {
        return {
          status: 422,
          body: {
            message: "Validation Failed",
            errors: [{ resource: "PullRequest", code: "invalid", field: "head" }],
            documentation_url: DOCS,
          },
        };
      }
      if (r.pulls.some((x) => x.state === "open" && x.head === head && x.base === base)) {
        return {
          status: 422,
          body: {
            message: "Validation Failed",
            errors: [
              {
                resource: "PullRequest",
                code: "custom",
                message: `A pull request already exists for ${r.owner}:${head}.`,
              },
            ],
            documentation_url: DOCS,
          },
        };
      }
      const pr = {
        number: r.pulls.length + 1,
        title: bodyText(req.body.title),
        body: bodyText(req.body.body),
        head,
        base,
        state: "open" as const,
        merged: false,
      };
      r.pulls.push(pr);
      return { status: 201, body: this.pullJson(r, pr) };
    });
    h.route("GET", "/repos/:owner/:repo/pulls/:number", (_req, p) => {
      const r = this.getRepo(p);
      if ("status" in r) return r;
      const pr = r.pulls.find((x) => x.number === Number(p.number));
      return pr
        ? { status: 200, body: this.pullJson(r, pr) }
        : { status: 404, body: { message: "Not Found", documentation_url: DOCS } };
    });
  }
}
