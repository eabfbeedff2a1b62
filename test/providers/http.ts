// A tiny JSON HTTP server base for the provider contract servers: routing on
// method + path pattern (segments decoded, so GitLab's url-encoded project paths
// match), a request log, token checks (per route, for scopes) and fault injection
// (the next N requests answer with a 5xx, a rate limit, ...).
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Req {
  method: string;
  path: string;
  /** Decoded path segments. */
  segments: string[];
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface Res {
  status: number;
  body?: unknown;
  headers?: Record<string, string> | undefined;
}

export type Handler = (req: Req, params: Record<string, string>) => Res | Promise<Res>;

/** The names a route pattern captures: "/repos/:owner/:repo" gives "owner" | "repo". */
export type ParamNames<P extends string> = P extends `${infer Head}/${infer Rest}`
  ? ParamNames<Head> | ParamNames<Rest>
  : P extends `:${infer Name}`
    ? Name
    : never;

/** The path parameters of a route pattern, each one there (the pattern matched). */
export type Params<P extends string> = Record<ParamNames<P>, string>;

export interface Route {
  method: string;
  /** Segments; ":name" captures one segment. */
  pattern: string[];
  handler: Handler;
  /** What a token needs for this route, in the server's own terms (scopes, permissions). */
  needs?: RouteNeeds | undefined;
}

export interface RouteNeeds {
  /** Any one of these scopes (GitHub classic tokens, GitLab). */
  scopes?: string[];
  /** A fine-grained permission such as "administration=write" (GitHub). */
  permission?: string;
}

/** What the token check decides: refuse with `deny`, and/or add headers to the answer. */
export interface AuthResult {
  deny?: Res;
  headers?: Record<string, string>;
}

interface Fault {
  method?: string | undefined;
  path?: RegExp | undefined;
  count: number;
  res: Res;
}

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
  authorization?: string | undefined;
}

export class JsonServer {
  baseUrl = "";
  readonly requests: RecordedRequest[] = [];
  private readonly routes: Route[] = [];
  private readonly server: http.Server;
  private faults: Fault[] = [];
  /** Prefix stripped before routing (e.g. "/api/v4"). */
  constructor(
    private readonly prefix: string,
    private readonly authenticate: (req: Req, route: Route | undefined, params: Record<string, string>) => AuthResult,
  ) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  route<P extends string>(
    method: string,
    pattern: P,
    handler: (req: Req, params: Params<P>) => Res | Promise<Res>,
    needs?: RouteNeeds,
  ): void {
    // match() fills one entry per ":name" segment of this pattern, so the params are Params<P>.
    const typed: Handler = (req, params) => handler(req, params as Params<P>);
    this.routes.push({ method, pattern: pattern.split("/").filter(Boolean), handler: typed, needs });
  }

  /** The next `count` requests matching method + path fail with `status`. */
  failRoute(
    method: string,
    path: RegExp,
    count: number,
    status = 503,
    body: unknown = { message: "Service Unavailable" },
    headers?: Record<string, string>,
  ): void {
    this.faults.push({ method, path, count, res: { status, body, headers } });
  }

  /** The next `count` requests fail with `status` (default 502) before reaching a route. */
  failNext(
    count: number,
    status = 502,
    body: unknown = { message: "Server Error" },
    headers?: Record<string, string>,
  ): void {
    this.faults.push({ count, res: { status, body, headers } });
  }

  /** Answers the next `count` requests (optionally only method + path) with `res`. */
  answerNext(count: number, res: Res, match?: { method: string; path: RegExp }): void {
    this.faults.push({ count, res, method: match?.method, path: match?.path });
  }

  /** Drops the faults not served yet; returns how many answers they still had. */
  clearFaults(): number {
    const left = this.faults.reduce((n, f) => n + f.count, 0);
    this.faults = [];
    return left;
  }

  /** Requests answered by injected faults so far. */
  faultsServed = 0;

  async listen(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((r) => {
      this.server.closeAllConnections();
      this.server.close(() => r());
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://localhost");
    let pathname = url.pathname;
    let out: Res;
    let body: Record<string, unknown>;
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      body = {};
    }
    if (this.prefix && pathname.startsWith(this.prefix)) pathname = pathname.slice(this.prefix.length);
    const r: Req = {
      method: req.method ?? "GET",
      path: pathname,
      segments: pathname.split("/").filter(Boolean).map(decodeURIComponent),
      query: url.searchParams,
      headers: req.headers,
      body,
    };
    const fault = this.faults.find(
      (f) => f.count > 0 && (!f.method || f.method === r.method) && (!f.path || f.path.test(pathname)),
    );
    let extraHeaders: Record<string, string> = {};
    if (fault) {
      fault.count--;
      this.faults = this.faults.filter((f) => f.count > 0);
      this.faultsServed++;
      out = fault.res;
    } else {
      const match = this.match(r);
      const auth = this.authenticate(r, match?.route, match?.params ?? {});
      extraHeaders = auth.headers ?? {};
      out = auth.deny ?? (match ? await this.run(match.route, r, match.params) : this.notFound());
    }
    this.requests.push({
      method: r.method,
      path: pathname + url.search,
      status: out.status,
      authorization: req.headers.authorization,
    });
    const headers: Record<string, string> = { ...extraHeaders, ...(out.headers ?? {}) };
    const text = typeof out.body === "string";
    if (out.body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === "content-type"))
      headers["Content-Type"] = text ? "text/plain; charset=utf-8" : "application/json; charset=utf-8";
    res.writeHead(out.status, headers);
    res.end(out.body === undefined ? undefined : text ? (out.body as string) : JSON.stringify(out.body));
  }

  private match(r: Req): { route: Route; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== r.method) continue;
      const params = matchSegments(route.pattern, r.segments);
      if (params) return { route, params };
    }
    return undefined;
  }

  private async run(route: Route, r: Req, params: Record<string, string>): Promise<Res> {
    try {
      return await route.handler(r, params);
    } catch (err) {
      return { status: 500, body: { message: String(err) } };
    }
  }

  notFound: () => Res = () => ({ status: 404, body: { message: "Not Found" } });
}

/**
 * What the forge contract servers share: a JsonServer under the API's prefix that
 * answers unknown paths with the forge's own 404 and checks every request's token with
 * the forge's rules (`auth`), started on a free port and stopped with its connections.
 * A subclass registers its routes in its constructor.
 */
export abstract class ContractServer {
  readonly http: JsonServer;

  protected constructor(prefix: string, notFound: () => Res) {
    this.http = new JsonServer(prefix, (req, route, params) => this.auth(req, route, params));
    this.http.notFound = notFound;
  }

  /** A server of this class, listening. */
  static async start<S extends ContractServer, O>(this: new (opts: O) => S, opts: O): Promise<S> {
    const s = new this(opts);
    await s.http.listen();
    return s;
  }

  get url(): string {
    return this.http.baseUrl;
  }

  async stop(): Promise<void> {
    await this.http.close();
  }

  protected abstract auth(req: Req, route: Route | undefined, params: Record<string, string>): AuthResult;
}

/**
 * The token of an `Authorization: <scheme> <token>` header for one of `schemes`
 * (case-insensitive), else the password of a Basic one (the user name is not checked).
 */
export function authorizationToken(req: Req, schemes: readonly string[]): string | undefined {
  const h = req.headers.authorization ?? "";
  const m = new RegExp(`^(?:${schemes.join("|")})\\s+(.+)$`, "i").exec(h);
  if (m) return m[1];
  const basic = /^basic\s+(.+)$/i.exec(h)?.[1];
  return basic === undefined ? undefined : Buffer.from(basic, "base64").toString("utf8").split(":").slice(1).join(":");
}

/** The parameters of a pattern that matches the path segments, or undefined. */
function matchSegments(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, p] of pattern.entries()) {
    const segment = segments[i];
    if (segment === undefined) return undefined;
    if (p.startsWith(":")) params[p.slice(1)] = segment;
    else if (p !== segment) return undefined;
  }
  return params;
}

/** A JSON body field as text: strings, numbers and booleans as String() prints them, anything else as JSON; absent (undefined or null) gives the fallback. */
export function bodyText(value: unknown, fallback = ""): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** Slices a list for page/per_page and adds the Link header (rel="next"/"last"), as both GitHub and GitLab do. */
export function paginate(req: Req, baseUrl: string, items: readonly unknown[], extraHeaders = false): Res {
  const perPage = Math.max(1, Math.min(100, Number(req.query.get("per_page") ?? 30)));
  const page = Math.max(1, Number(req.query.get("page") ?? 1));
  const pages = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (p: number) => {
    const q = new URLSearchParams(req.query);
    q.set("page", String(p));
    q.set("per_page", String(perPage));
    return `${baseUrl}${req.path}?${q.toString()}`;
  };
  const links: string[] = [];
  if (page < pages) links.push(`<${link(page + 1)}>; rel="next"`);
  if (page > 1) links.push(`<${link(page - 1)}>; rel="prev"`);
  links.push(`<${link(1)}>; rel="first"`, `<${link(pages)}>; rel="last"`);
  const headers: Record<string, string> = { Link: links.join(", ") };
  if (extraHeaders) {
    headers["X-Page"] = String(page);
    headers["X-Per-Page"] = String(perPage);
    headers["X-Total"] = String(items.length);
    headers["X-Total-Pages"] = String(pages);
    headers["X-Next-Page"] = page < pages ? String(page + 1) : "";
    headers["X-Prev-Page"] = page > 1 ? String(page - 1) : "";
  }
  return { status: 200, body: slice, headers };
}
