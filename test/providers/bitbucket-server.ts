// A local server following Bitbucket Server's (Data Center's) documented REST APIs
// (developer.atlassian.com/server/bitbucket/rest): /rest/api/1.0 repositories in
// projects and personal projects (~user), repository group permissions, and
// /rest/keys/1.0 access keys. HTTP access tokens as Bearer (or Basic user:token); every
// authenticated answer names the user in X-AUSERNAME; paged lists with start/limit and
// {size, limit, isLastPage, start, nextPageStart, values}; errors as
// {"errors": [{"context", "message", "exceptionName"}]}. A read-only token gets 401 on
// writes, as Bitbucket answers a token without the permission. Repositories are created
// empty (Bitbucket has no auto-init), backed by real bare repositories on the git server.
import type { GitServer } from "../env/git-server.js";
import type { SshGitServer } from "../env/ssh-server.js";
import { authorizationToken, bodyText, ContractServer, type AuthResult, type Req, type Res } from "./http.js";

export interface BbRepoState {
  id: number;
  project: string;
  slug: string;
  public: boolean;
  keys: { id: number; text: string; label: string; permission: string }[];
  groups: { name: string; permission: string }[];
}

export interface BitbucketServerOptions {
  git: GitServer;
  /** Serves the repositories over SSH too: ssh clone URLs point at it, deploy keys are let in. */
  ssh?: SshGitServer;
  /** The main token (project admin). */
  token: string;
  /** The user the tokens belong to. */
  username: string;
  /** Tokens that may only read. */
  readOnlyTokens?: string[];
  /** Existing project keys. */
  projects?: string[];
  /** Existing groups. */
  groups?: string[];
}

const error = (status: number, message: string, exceptionName: string): Res => ({
  status,
  body: { errors: [{ context: null, message, exceptionName }] },
});

export class BitbucketServer extends ContractServer {
  readonly repos = new Map<string, BbRepoState>();
  private nextId = 1;

  constructor(private readonly opts: BitbucketServerOptions) {
    super("/rest", () => error(404, "Not Found", "com.atlassian.bitbucket.NoSuchEntityException"));
    this.routes();
  }

  repo(project: string, slug: string): BbRepoState | undefined {
    return this.repos.get(`${project}/${slug}`.toUpperCase());
  }

  protected override auth(req: Req): AuthResult {
    const token = authorizationToken(req, ["bearer"]);
    const readOnly = token !== undefined && (this.opts.readOnlyTokens ?? []).includes(token);
    if (token !== this.opts.token && !readOnly) {
      return {
        deny: error(
          401,
          "Authentication failed. Please check your credentials and try again.",
          "com.atlassian.bitbucket.auth.IncorrectPasswordAuthenticationException",
        ),
      };
    }
    if (readOnly && req.method !== "GET") {
      return {
        deny: error(
          401,
          "You are not permitted to access this resource",
          "com.atlassian.bitbucket.AuthorisationException",
        ),
      };
    }
    return { headers: { "X-AUSERNAME": this.opts.username } };
  }

  private projectExists(key: string): boolean {
    return key === `~${this.opts.username}`.toUpperCase() || (this.opts.projects ?? []).includes(key);
  }

  private repoJson(r: BbRepoState) {
    const personal = r.project.startsWith("~");
    return {
      id: r.id,
      slug: r.slug,
      name: r.slug,
      scmId: "git",
      state: "AVAILABLE",
      forkable: true,
      public: r.public,
      project: { key: personal ? `~${this.opts.username}` : r.project, type: personal ? "PERSONAL" : "NORMAL" },
      links: {
        clone: [
          { href: this.opts.git.url(`${r.project}/${r.slug}`), name: "http" },
          {
            href:
              this.opts.ssh?.url(`${r.project}/${r.slug}`) ??
              `ssh://git@bitbucket.example:7999/${r.project.toLowerCase()}/${r.slug}.git`,
            name: "ssh",
          },
        ],
        self: [{ href: `https://bitbucket.example/projects/${r.project}/repos/${r.slug}/browse` }],
      },
    };
  }

  /** Bitbucket's paged answer for start/limit. */
  private paged(req: Req, items: readonly unknown[]): Res {
    const limit = Math.max(1, Math.min(1000, Number(req.query.get("limit") ?? 25)));
    const start = Math.max(0, Number(req.query.get("start") ?? 0));
    const values = items.slice(start, start + limit);
    const isLastPage = start + limit >= items.length;
    return {
      status: 200,
      body: {
        size: values.length,
        limit,
        isLastPage,
        start,
        values,
        ...(isLastPage ? {} : { nextPageStart: start + limit }),
      },
    };
  }

  private withRepo(p: { key: string; slug: string }, fn: (r: BbRepoState) => Res | Promise<Res>): Res | Promise<Res> {
    const key = p.key.toUpperCase();
    if (!this.projectExists(key))
      return error(404, `Project ${p.key} does not exist.`, "com.atlassian.bitbucket.project.NoSuchProjectException");
    const r = this.repo(key, p.slug);
    return r
      ? fn(r)
      : error(
          404,
          `Repository ${p.key}/${p.slug} does not exist.`,
          "com.atlassian.bitbucket.repository.NoSuchRepositoryException",
        );
  }

  private routes(): void {
    const h = this.http;
    h.route("GET", "/api/1.0/application-properties", () => ({
      status: 200,
      body: { version: "8.19.0", buildNumber: "8019000", displayName: "Bitbucket" },
    }));
    h.route("POST", "/api/1.0/projects/:key/repos", async (req, p) => {
      const key = p.key.toUpperCase();
      if (!this.projectExists(key))
        return error(404, `Project ${p.key} does not exist.`, "com.atlassian.bitbucket.project.NoSuchProjectException");
      const name = bodyText(req.body.name);
      if (!name)
        return error(400, "The name is required.", "com.atlassian.bitbucket.validation.ArgumentValidationException");
      const slug = name.toLowerCase().replace(/[^a-z0-9._-]+/g, "-");
      if (this.repo(key, slug))
        return error(
          409,
          `This repository URL is already taken by '${name}' in '${p.key}'`,
          "com.atlassian.bitbucket.repository.DuplicateRepositoryNameException",
        );
      const r: BbRepoState = {
        id: this.nextId++,
        project: key,
        slug,
        public: req.body.public === true,
        keys: [],
        groups: [],
      };
      this.repos.set(`${key}/${slug}`.toUpperCase(), r);
      await this.opts.git.createRepo(`${key}/${slug}`);
      return { status: 201, body: this.repoJson(r) };
    });
    h.route("GET", "/api/1.0/projects/:key/repos/:slug", (_req, p) =>
      this.withRepo(p, (r) => ({ status: 200, body: this.repoJson(r) })),
    );
    h.route("PUT", "/api/1.0/projects/:key/repos/:slug", (req, p) =>
      this.withRepo(p, (r) => {
        if (typeof req.body.public === "boolean") r.public = req.body.public;
        return { status: 200, body: this.repoJson(r) };
      }),
    );
    h.route("GET", "/api/1.0/projects/:key/repos/:slug/permissions/groups", (req, p) =>
      this.withRepo(p, (r) => {
        const filter = req.query.get("filter") ?? "";
        return this.paged(
          req,
          r.groups
            .filter((g) => g.name.includes(filter))
            .map((g) => ({ group: { name: g.name }, permission: g.permission })),
        );
      }),
    );
    h.route("PUT", "/api/1.0/projects/:key/repos/:slug/permissions/groups", (req, p) =>
      this.withRepo(p, (r) => {
        const name = req.query.get("name") ?? "";
        const permission = req.query.get("permission") ?? "";
        if (!["REPO_READ", "REPO_WRITE", "REPO_ADMIN"].includes(permission))
          return error(
            400,
            `Invalid permission ${permission}`,
            "com.atlassian.bitbucket.validation.ArgumentValidationException",
          );
        if (!(this.opts.groups ?? []).includes(name))
          return error(404, `No such group ${name}`, "com.atlassian.bitbucket.user.NoSuchGroupException");
        r.groups = [...r.groups.filter((g) => g.name !== name), { name, permission }];
        return { status: 204 };
      }),
    );
    h.route("GET", "/keys/1.0/projects/:key/repos/:slug/ssh", (req, p) =>
      this.withRepo(p, (r) =>
        this.paged(
          req,
          r.keys.map((k) => ({
            key: { id: k.id, text: k.text, label: k.label },
            repository: this.repoJson(r),
            permission: k.permission,
          })),
        ),
      ),
    );
    h.route("POST", "/keys/1.0/projects/:key/repos/:slug/ssh", (req, p) =>
      this.withRepo(p, (r) => {
        const body = req.body as { key?: { text?: string; label?: string }; permission?: string };
        const text = (body.key?.text ?? "").trim().split(/\s+/).slice(0, 2).join(" ");
        if (!/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+$/.test(text))
          return error(
            400,
            "The key is not a valid SSH public key.",
            "com.atlassian.bitbucket.ssh.InvalidSshKeyException",
          );
        const permission = body.permission;
        if (permission === undefined || !["REPO_READ", "REPO_WRITE"].includes(permission))
          return error(
            400,
            "The permission is invalid.",
            "com.atlassian.bitbucket.validation.ArgumentValidationException",
          );
        if (r.keys.some((k) => k.text === text))
          return error(
            409,
            "This SSH key is already registered.",
            "com.atlassian.bitbucket.ssh.DuplicateSshKeyException",
          );
        const k = { id: this.nextId++, text, label: body.key?.label ?? "", permission };
        r.keys.push(k);
        this.opts.ssh?.authorize(`${r.project}/${r.slug}`, text, k.permission === "REPO_WRITE" ? "write" : "read");
        return {
          status: 201,
          body: {
            key: { id: k.id, text: k.text, label: k.label },
            repository: this.repoJson(r),
            permission: k.permission,
          },
        };
      }),
    );
  }
}
