// A local server following Gitea's documented REST API v1 (gitea.com/api/swagger):
// /api/v1 prefix; "Authorization: token …" (also Bearer and Basic); repositories of
// users (POST /user/repos) and organizations (POST /orgs/{org}/repos); deploy keys;
// teams on a repository; page/limit pagination with Link and X-Total-Count headers;
// error bodies {"message": …, "url": …} (404 adds "errors"), 409 for a name taken,
// 422 for invalid input. Tokens carry scopes (Gitea ≥ 1.19): a token lacking one gets
// 403 "token does not have at least one of required scope(s): [...]".
// Repositories are backed by real bare repositories on the test git server.
import type { GitServer } from "../env/git-server.js";
import type { SshGitServer } from "../env/ssh-server.js";
import {
  authorizationToken,
  bodyText,
  ContractServer,
  type AuthResult,
  type Req,
  type Res,
  type Route,
} from "./http.js";

const SWAGGER = "https://gitea.example/api/swagger";

export interface GtRepoState {
  id: number;
  owner: string;
  name: string;
  private: boolean;
  description: string;
  keys: { id: number; title: string; key: string; read_only: boolean; created_at: string }[];
  teams: string[];
}

export interface GiteaServerOptions {
  git: GitServer;
  /** Serves the repositories over SSH too: ssh clone URLs point at it, deploy keys are let in. */
  ssh?: SshGitServer;
  /** The main token, with every scope. */
  token: string;
  /** More tokens with their scopes, e.g. { "read-only": ["read:repository"] }. */
  tokens?: Record<string, string[]>;
  username?: string;
  /** Organizations and their teams (name → permission: read, write, admin). */
  orgs?: Record<string, Record<string, string>>;
}

const ALL_SCOPES = ["write:repository", "write:user", "write:organization"];

/** The scope a route needs, as Gitea names it (reads accept read: or write:). */
function scopeOf(method: string, pattern: string[]): string {
  // /orgs/{org}/… is in Gitea's organization category, /user in the user category.
  const area = pattern[0] === "orgs" ? "organization" : pattern.join("/") === "user" ? "user" : "repository";
  return `${method === "GET" ? "read" : "write"}:${area}`;
}

const err = (status: number, message: string, extra: Record<string, unknown> = {}): Res => ({
  status,
  body: { message, url: SWAGGER, ...extra },
});
const notFound = (): Res => err(404, "The target couldn't be found.", { errors: [] });

export class GiteaServer extends ContractServer {
  readonly repos = new Map<string, GtRepoState>();
  readonly username: string;
  private nextId = 1;

  constructor(private readonly opts: GiteaServerOptions) {
    super("/api/v1", notFound);
    this.username = opts.username ?? "gitea-user";
    this.routes();
  }

  repo(fullName: string): GtRepoState | undefined {
    return this.repos.get(fullName.toLowerCase());
  }

  protected override auth(req: Req, route: Route | undefined): AuthResult {
    const token = authorizationToken(req, ["token", "bearer"]);
    const scopes = token === this.opts.token ? ALL_SCOPES : token ? this.opts.tokens?.[token] : undefined;
    if (!scopes) return { deny: err(401, "user does not exist [uid: 0, name: ]") };
    if (!route) return {};
    const need = scopeOf(req.method, route.pattern);
    const [level, area] = need.split(":");
    const ok = scopes.some((s) => s === need || (level === "read" && s === `write:${area}`));
    return ok ? {} : { deny: err(403, `token does not have at least one of required scope(s): [${need}]`) };
  }

  async addRepo(owner: string, name: string, files?: Record<string, string>): Promise<GtRepoState> {
    const r: GtRepoState = { id: this.nextId++, owner, name, private: true, description: "", keys: [], teams: [] };
    this.repos.set(`${owner}/${name}`.toLowerCase(), r);
    await this.opts.git.createRepo(`${owner}/${name}`, files ? { files } : undefined);
    return r;
  }

  private repoJson(r: GtRepoState) {
    const full = `${r.owner}/${r.name}`;
    return {
      id: r.id,
      owner: { login: r.owner },
      name: r.name,
      full_name: full,
      description: r.description,
      private: r.private,
      html_url: `https://gitea.example/${full}`,
      clone_url: this.opts.git.url(full),
      ssh_url: this.opts.ssh?.url(full) ?? `git@gitea.example:${full}.git`,
      default_branch: "main",
    };
  }

  /** Slices a list for page/limit (Gitea caps limit at 50) with Link and X-Total-Count. */
  private page(req: Req, items: readonly unknown[]): Res {
    const limit = Math.max(1, Math.min(50, Number(req.query.get("limit") ?? 30)));
    const page = Math.max(1, Number(req.query.get("page") ?? 1));
    const pages = Math.max(1, Math.ceil(items.length / limit));
    const link = (p: number) => `<${this.url}/api/v1${req.path}?limit=${limit}&page=${p}>`;
    const links: string[] = [];
    if (page < pages) links.push(`${link(page + 1)}; rel="next"`, `${link(pages)}; rel="last"`);
    if (page > 1) links.push(`${link(1)}; rel="first"`, `${link(page - 1)}; rel="prev"`);
    const headers: Record<string, string> = { "X-Total-Count": String(items.length) };
    if (links.length) headers.Link = links.join(",");
    return { status: 200, body: items.slice((page - 1) * limit, page * limit), headers };
  }

  private withRepo(p: Record<string, string>, fn: (r: GtRepoState) => Res | Promise<Res>): Res | Promise<Res> {
    const r = this.repo(`${p.owner}/${p.repo}`);
    return r ? fn(r) : notFound();
  }

  private async create(owner: string, body: Record<string, unknown>): Promise<Res> {
    const name = bodyText(body.name);
    if (!/^[\w.-]+$/.test(name)) return err(422, "[Name]: AlphaDashDot");
    if (this.repo(`${owner}/${name}`)) return err(409, "The repository with the same name already exists.");
    const r: GtRepoState = {
      id: this.nextId++,
      owner,
      name,
      private: body.private === true,
      description: typeof body.description === "string" ? body.description : "",
      keys: [],
      teams: [],
    };
    this.repos.set(`${owner}/${name}`.toLowerCase(), r);
    await this.opts.git.createRepo(
      `${owner}/${name}`,
      body.auto_init ? { files: { "README.md": `# ${name}\n` } } : undefined,
    );
    return { status: 201, body: this.repoJson(r) };
  }

  private routes(): void {
    const h = this.http;
    h.route("GET", "/user", () => ({ status: 200, body: { id: 1, login: this.username } }));
    h.route("POST", "/user/repos", (req) => this.create(this.username, req.body));
    h.route("POST", "/orgs/:org/repos", (req, p) =>
      this.opts.orgs?.[p.org] ? this.create(p.org, req.body) : notFound(),
    );
    h.route("GET", "/repos/:owner/:repo", (_req, p) =>
      this.withRepo(p, (r) => ({ status: 200, body: this.repoJson(r) })),
    );
    h.route("PATCH", "/repos/:owner/:repo", (req, p) =>
      this.withRepo(p, (r) => {
        if (typeof req.body.private === "boolean") r.private = req.body.private;
        if (typeof req.body.description === "string") r.description = req.body.description;
        return { status: 200, body: this.repoJson(r) };
      }),
    );
    h.route("GET", "/repos/:owner/:repo/keys", (req, p) => this.withRepo(p, (r) => this.page(req, r.keys)));
    h.route("POST", "/repos/:owner/:repo/keys", (req, p) =>
      this.withRepo(p, (r) => {
        const key = bodyText(req.body.key).trim().split(/\s+/).slice(0, 2).join(" ");
        if (!req.body.title) return err(422, "[Title]: Required");
        if (!/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+$/.test(key))
          return err(422, "Invalid key content");
        if (r.keys.some((k) => k.key === key)) return err(422, "Key content has been used as non-deploy key");
        if (r.keys.some((k) => k.title === req.body.title)) return err(422, "A key with the same name already exists");
        const k = {
          id: this.nextId++,
          title: bodyText(req.body.title),
          key,
          read_only: req.body.read_only !== false,
          created_at: new Date().toISOString(),
        };
        r.keys.push(k);
        this.opts.ssh?.authorize(`${r.owner}/${r.name}`, key, k.read_only ? "read" : "write");
        return { status: 201, body: k };
      }),
    );
    h.route("GET", "/repos/:owner/:repo/teams/:team", (_req, p) =>
      this.withRepo(p, (r) => {
        const permission = this.opts.orgs?.[r.owner]?.[p.team];
        if (!permission || !r.teams.includes(p.team)) return notFound();
        return { status: 200, body: { id: 1, name: p.team, permission } };
      }),
    );
    h.route("PUT", "/repos/:owner/:repo/teams/:team", (_req, p) =>
      this.withRepo(p, (r) => {
        const teams = this.opts.orgs?.[r.owner];
        if (!teams) return err(422, "repository is not owned by an organization");
        if (!teams[p.team]) return notFound();
        if (!r.teams.includes(p.team)) r.teams.push(p.team);
        return { status: 204 };
      }),
    );
  }
}
