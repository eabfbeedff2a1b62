// A local server following GitLab's documented REST contract (docs.gitlab.com/api:
// projects, groups, deploy keys, deploy tokens, merge requests): /api/v4 prefix,
// PRIVATE-TOKEN auth, url-encoded project paths, {"message": ...} error bodies,
// offset pagination with Link and X-Next-Page headers. Projects are backed by
// real bare repositories on the test git server.
//
// Tokens carry scopes (api, read_api, read_user, ...): a token lacking the scope an
// endpoint needs gets GitLab's 403 insufficient_scope (body and WWW-Authenticate).
// Rate limits answer 429 "Retry later" with Retry-After and the RateLimit-* headers.
import path from "node:path";
import type { GitServer } from "../env/git-server.js";
import type { SshGitServer } from "../env/ssh-server.js";
import { must } from "../support/must.js";
import { bodyText, ContractServer, paginate, type AuthResult, type Req, type Res, type Route } from "./http.js";

const INSUFFICIENT_SCOPE = "The request requires higher privileges than provided by the access token.";
import { mergeBranches } from "./merge.js";

export interface GlProjectState {
  id: number;
  fullPath: string;
  visibility: string;
  description: string | null;
  keys: { id: number; title: string; key: string; can_push: boolean; created_at: string }[];
  tokens: {
    id: number;
    name: string;
    username: string;
    token: string;
    scopes: string[];
    revoked: boolean;
    expired: boolean;
  }[];
  mrs: {
    iid: number;
    title: string;
    description: string;
    source_branch: string;
    target_branch: string;
    state: "opened" | "merged" | "closed";
  }[];
  shares?: { group_id: number; group_full_path: string; group_access_level: number }[];
}

export interface GitLabServerOptions {
  git: GitServer;
  /** Serves the repositories over SSH too: ssh clone URLs point at it, deploy keys are let in. */
  ssh?: SshGitServer;
  /** The main token, with the api scope. */
  token: string;
  /** More tokens with their scopes, e.g. { "glpat-readonly": ["read_api"] }. */
  tokens?: Record<string, string[]>;
  username?: string;
  /** Existing groups by full path ("org", "org/sub/team"). */
  groups?: string[];
}

export class GitLabServer extends ContractServer {
  readonly projects = new Map<string, GlProjectState>();
  readonly groups = new Map<string, number>();
  readonly username: string;
  private nextId = 100;

  constructor(private readonly opts: GitLabServerOptions) {
    super("/api/v4", () => ({ status: 404, body: { error: "404 Not Found" } }));
    this.username = opts.username ?? "gitlab-user";
    for (const g of opts.groups ?? []) this.groups.set(g, this.nextId++);
    this.routes();
  }

  protected override auth(req: Req, route: Route | undefined): AuthResult {
    const token =
      (req.headers["private-token"] as string | undefined) ??
      (req.headers.authorization ?? "").replace(/^bearer\s+/i, "");
    const scopes = token === this.opts.token ? ["api"] : token ? this.opts.tokens?.[token] : undefined;
    if (!scopes) return { deny: { status: 401, body: { message: "401 Unauthorized" } } };
    // Reads accept read_api (GET /user also read_user); everything else needs api.
    const accepted =
      req.method !== "GET"
        ? ["api"]
        : route?.pattern.join("/") === "user"
          ? ["api", "read_api", "read_user"]
          : ["api", "read_api"];
    if (scopes.some((s) => accepted.includes(s))) return {};
    const scope = accepted.join(" ");
    return {
      deny: {
        status: 403,
        body: { error: "insufficient_scope", error_description: INSUFFICIENT_SCOPE, scope },
        headers: {
          "WWW-Authenticate": `Bearer realm="Protected by OAuth 2.0", error="insufficient_scope", error_description="${INSUFFICIENT_SCOPE}", scope="${scope}"`,
        },
      },
    };
  }

  /** The next `count` requests (optionally only method + path) are throttled: 429 with Retry-After. */
  rateLimit(count: number, retryAfterSeconds: number, match?: { method: string; path: RegExp }): void {
    const reset = Math.ceil(Date.now() / 1000) + retryAfterSeconds;
    this.http.answerNext(
      count,
      {
        status: 429,
        body: "Retry later\n",
        headers: {
          "Retry-After": String(retryAfterSeconds),
          "RateLimit-Name": "throttle_authenticated_api",
          "RateLimit-Limit": "60",
          "RateLimit-Observed": "61",
          "RateLimit-Remaining": "0",
          "RateLimit-Reset": String(reset),
          "RateLimit-ResetTime": new Date(reset * 1000).toUTCString(),
        },
      },
      match,
    );
  }

  project(fullPath: string): GlProjectState | undefined {
    return this.projects.get(fullPath.toLowerCase());
  }

  async addProject(fullPath: string, files?: Record<string, string>): Promise<GlProjectState> {
    const p: GlProjectState = {
      id: this.nextId++,
      fullPath,
      visibility: "private",
      description: null,
      keys: [],
      tokens: [],
      mrs: [],
    };
    this.projects.set(fullPath.toLowerCase(), p);
    await this.opts.git.createRepo(fullPath, files ? { files } : undefined);
    return p;
  }

  private find(id: string): GlProjectState | undefined {
    if (/^\d+$/.test(id)) return [...this.projects.values()].find((p) => p.id === Number(id));
    return this.project(id);
  }

  private projectJson(p: GlProjectState) {
    const parts = p.fullPath.split("/");
    const name = parts[parts.length - 1];
    return {
      id: p.id,
      name,
      path: name,
      path_with_namespace: p.fullPath,
      name_with_namespace: parts.join(" / "),
      namespace: {
        full_path: parts.slice(0, -1).join("/"),
        kind: this.groups.has(parts.slice(0, -1).join("/")) ? "group" : "user",
      },
      visibility: p.visibility,
      description: p.description,
      default_branch: "main",
      shared_with_groups: (p.shares ?? []).map((g) => ({ ...g, group_name: g.group_full_path.split("/").pop() })),
      web_url: `https://gitlab.example/${p.fullPath}`,
      http_url_to_repo: this.opts.git.url(p.fullPath),
      ssh_url_to_repo: this.opts.ssh?.url(p.fullPath) ?? `git@gitlab.example:${p.fullPath}.git`,
    };
  }

  private withProject(params: { id: string }, fn: (p: GlProjectState) => Res | Promise<Res>): Res | Promise<Res> {
    const p = this.find(params.id);
    return p ? fn(p) : { status: 404, body: { message: "404 Project Not Found" } };
  }

  mergeMr(fullPath: string, iid: number): void {
    const p = must(this.project(fullPath), `project ${fullPath}`);
    const mr = must(
      p.mrs.find((m) => m.iid === iid),
      `merge request !${iid} of ${fullPath}`,
    );
    const bare = path.join(this.opts.git.root, `${fullPath}.git`);
    mergeBranches(bare, mr.target_branch, mr.source_branch, { name: "GitLab", email: "gitlab@example.com" });
    mr.state = "merged";
  }

  private mrJson(p: GlProjectState, m: GlProjectState["mrs"][number]) {
    return {
      iid: m.iid,
      id: p.id * 1000 + m.iid,
      project_id: p.id,
      title: m.title,
      description: m.description,
      state: m.state,
      source_branch: m.source_branch,
      target_branch: m.target_branch,
      web_url: `https://gitlab.example/${p.fullPath}/-/merge_requests/${m.iid}`,
    };
  }

  private routes(): void {
    const h = this.http;
    h.route("GET", "/user", () => ({ status: 200, body: { id: 1, username: this.username } }));
    h.route("GET", "/groups/:id", (_req, p) => {
      const id = this.groups.get(p.id) ?? ([...this.groups.values()].includes(Number(p.id)) ? Number(p.id) : undefined);
      if (id === undefined) return { status: 404, body: { message: "404 Group Not Found" } };
      const full = must(
        [...this.groups.entries()].find(([, v]) => v === id),
        `group ${id}`,
      )[0];
      return { status: 200, body: { id, full_path: full, path: full.split("/").pop() } };
    });
    h.route("GET", "/projects/:id", (_req, p) =>
      this.withProject(p, (pr) => ({ status: 200, body: this.projectJson(pr) })),
    );
    h.route("PUT", "/projects/:id", (req, p) =>
      this.withProject(p, (pr) => {
        if (req.body.visibility !== undefined) {
          const v = bodyText(req.body.visibility);
          if (!["public", "private", "internal"].includes(v))
            return { status: 400, body: { error: "visibility does not have a valid value" } };
          pr.visibility = v;
        }
        if (typeof req.body.description === "string") pr.description = req.body.description;
        return { status: 200, body: this.projectJson(pr) };
      }),
    );
    h.route("POST", "/projects", async (req) => {
      const name = bodyText(req.body.path ?? req.body.name);
      const nsId = req.body.namespace_id;
      let ns = this.username;
      if (nsId !== undefined) {
        const g = [...this.groups.entries()].find(([, v]) => v === Number(nsId));
        if (!g) return { status: 404, body: { message: "404 Namespace Not Found" } };
        ns = g[0];
      }
      const full = `${ns}/${name}`;
      if (this.project(full)) {
        return {
          status: 400,
          body: { message: { name: ["has already been taken"], path: ["has already been taken"] } },
        };
      }
      const pr: GlProjectState = {
        id: this.nextId++,
        fullPath: full,
        visibility: bodyText(req.body.visibility, "private"),
        description: typeof req.body.description === "string" ? req.body.description : null,
        keys: [],
        tokens: [],
        mrs: [],
      };
      this.projects.set(full.toLowerCase(), pr);
      await this.opts.git.createRepo(
        full,
        req.body.initialize_with_readme ? { files: { "README.md": `# ${name}\n` } } : undefined,
      );
      return { status: 201, body: this.projectJson(pr) };
    });
    h.route("POST", "/projects/:id/share", (req, p) =>
      this.withProject(p, (pr) => {
        const gid = Number(req.body.group_id);
        const access = Number(req.body.group_access);
        const g = [...this.groups.entries()].find(([, v]) => v === gid);
        if (!g) return { status: 404, body: { message: "404 Group Not Found" } };
        if (![10, 20, 30, 40, 50].includes(access))
          return { status: 400, body: { error: "group_access does not have a valid value" } };
        pr.shares ??= [];
        if (pr.shares.some((x) => x.group_id === gid))
          return { status: 409, body: { message: "Group already shared with this group" } };
        pr.shares.push({ group_id: gid, group_full_path: g[0], group_access_level: access });
        return {
          status: 201,
          body: { id: pr.shares.length, project_id: pr.id, group_id: gid, group_access: access, expires_at: null },
        };
      }),
    );
    h.route("GET", "/projects/:id/deploy_keys", (req, p) =>
      this.withProject(p, (pr) => paginate(req, `${this.url}/api/v4`, pr.keys, true)),
    );
    h.route("POST", "/projects/:id/deploy_keys", (req, p) =>
      this.withProject(p, (pr) => {
        const key = bodyText(req.body.key).trim().split(/\s+/).slice(0, 2).join(" ");
        if (!req.body.title) return { status: 400, body: { error: "title is missing" } };
        if (!/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+$/.test(key)) {
          return {
            status: 400,
            body: { message: { key: ["is invalid"], fingerprint_sha256: ["cannot be generated"] } },
          };
        }
        if (pr.keys.some((k) => k.key === key)) {
          return { status: 400, body: { message: { "deploy_key.fingerprint_sha256": ["has already been taken"] } } };
        }
        const k = {
          id: this.nextId++,
          title: bodyText(req.body.title),
          key,
          can_push: req.body.can_push === true,
          created_at: new Date().toISOString(),
        };
        pr.keys.push(k);
        this.opts.ssh?.authorize(pr.fullPath, key, k.can_push ? "write" : "read");
        return { status: 201, body: k };
      }),
    );
    h.route("GET", "/projects/:id/deploy_tokens", (req, p) =>
      this.withProject(p, (pr) =>
        paginate(
          req,
          `${this.url}/api/v4`,
          pr.tokens.map(({ token: _t, ...rest }) => rest),
          true,
        ),
      ),
    );
    h.route("POST", "/projects/:id/deploy_tokens", (req, p) =>
      this.withProject(p, (pr) => {
        const scopes = (req.body.scopes as string[] | undefined) ?? [];
        if (!req.body.name || scopes.length === 0) return { status: 400, body: { error: "name, scopes are missing" } };
        const t = {
          id: this.nextId++,
          name: bodyText(req.body.name),
          username: `gitlab+deploy-token-${this.nextId}`,
          token: `gldt-${Math.random().toString(36).slice(2)}`,
          scopes,
          revoked: false,
          expired: false,
        };
        pr.tokens.push(t);
        return { status: 201, body: { ...t, expires_at: null } };
      }),
    );
    h.route("GET", "/projects/:id/merge_requests", (req, p) =>
      this.withProject(p, (pr) => {
        const state = req.query.get("state");
        const list = pr.mrs
          .filter((m) => !state || state === "all" || m.state === state)
          .filter((m) => !req.query.get("source_branch") || m.source_branch === req.query.get("source_branch"))
          .filter((m) => !req.query.get("target_branch") || m.target_branch === req.query.get("target_branch"))
          .map((m) => this.mrJson(pr, m));
        return paginate(req, `${this.url}/api/v4`, list, true);
      }),
    );
    h.route("POST", "/projects/:id/merge_requests", (req, p) =>
      this.withProject(p, (pr) => {
        const source = bodyText(req.body.source_branch);
        const target = bodyText(req.body.target_branch);
        if (!this.opts.git.revParse(pr.fullPath, `refs/heads/${source}`))
          return { status: 400, body: { message: ["Source branch does not exist"] } };
        if (pr.mrs.some((m) => m.state === "opened" && m.source_branch === source && m.target_branch === target)) {
          return {
            status: 409,
            body: { message: [`Another open merge request already exists for this source branch: !1`] },
          };
        }
        const m = {
          iid: pr.mrs.length + 1,
          title: bodyText(req.body.title),
          description: bodyText(req.body.description),
          source_branch: source,
          target_branch: target,
          state: "opened" as const,
        };
        pr.mrs.push(m);
        return { status: 201, body: this.mrJson(pr, m) };
      }),
    );
    h.route("GET", "/projects/:id/merge_requests/:iid", (_req, p) =>
      this.withProject(p, (pr) => {
        const m = pr.mrs.find((x) => x.iid === Number(p.iid));
        return m ? { status: 200, body: this.mrJson(pr, m) } : { status: 404, body: { message: "404 Not found" } };
      }),
    );
  }
}
