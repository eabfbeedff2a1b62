// A small OCI distribution client on node:http/https: the /v2/ ping, the auth
// challenge (Basic, or Bearer with the token flow), blobs, manifests and tags.
// TLS is verified unless --insecure-registry is given, which (as crane.Insecure)
// skips verification and falls back to plain HTTP; loopback and private addresses
// are not downgraded silently as go-containerregistry does.
import { createHash } from "node:crypto";
import http from "node:http";
import https from "node:https";
import tls from "node:tls";
import { redactUrls } from "../errors.js";
import type { Credentials } from "./auth.js";
import { hasCredentials } from "./auth.js";
import { proxyAuthorization, proxyFor, tunnel } from "./proxy.js";
import {
  DOCKER_MANIFEST_LIST_MEDIA_TYPE,
  DOCKER_MANIFEST_MEDIA_TYPE,
  INDEX_MEDIA_TYPE,
  MANIFEST_MEDIA_TYPE,
  MAX_MANIFEST_BYTES,
  USER_AGENT,
} from "./constants.js";

export class RegistryError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
    /** The connection broke mid-exchange (reset, cut-off answer): worth another try when the request is repeatable. */
    readonly transient = false,
  ) {
    super(redactUrls(message));
    this.name = "RegistryError";
  }
}

// Retries (bounded, like go-containerregistry's transport): a repeatable request
// (GET, HEAD, a manifest PUT) whose connection broke, or that got 502/503/504, is sent
// again with backoff; 429 (and a 5xx with Retry-After) waits as the registry says, at
// most 30s, for any request: the registry did not process it.
const RETRY = { attempts: 4, baseDelayMs: 250, maxWaitMs: 30_000 };

function retryAfterMs(res: HttpResponse): number | undefined {
  const v = headerValue(res.headers["retry-after"])?.trim();
  return v && /^\d+$/.test(v) ? Number(v) * 1000 : undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!signal) {
      setTimeout(resolve, ms);
      return;
    }
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason as Error);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

export interface RegistryClientOptions {
  /** host[:port] */
  registry: string;
  credentials?: Credentials | undefined;
  /** Plain HTTP (--insecure-registry). */
  insecure?: boolean | undefined;
  /** Extra trusted CA certificates (PEM). */
  ca?: string | Buffer | Array<string | Buffer> | undefined;
  /** Aborts every request (the --timeout deadline). */
  signal?: AbortSignal | undefined;
  userAgent?: string;
  /** Verbose trace (method, URL, status); never headers. */
  debug?: ((line: string) => void) | undefined;
  /** Environment for HTTPS_PROXY / HTTP_PROXY / NO_PROXY (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

interface RequestOptions {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** Repository scope actions needed, e.g. ["pull"] or ["pull", "push"]. */
  repository?: string;
  actions?: string[];
  /** Maximum body size read; larger bodies fail. */
  maxBytes?: number;
  /** Absolute URL instead of path (upload locations). */
  url?: string | undefined;
}

interface Challenge {
  scheme: "basic" | "bearer" | "none";
  params: Record<string, string>;
}

export const MANIFEST_ACCEPT = [
  MANIFEST_MEDIA_TYPE,
  INDEX_MEDIA_TYPE,
  DOCKER_MANIFEST_MEDIA_TYPE,
  DOCKER_MANIFEST_LIST_MEDIA_TYPE,
].join(", ");

/** Parses `Bearer realm="...",service="...",scope="..."`. */
export function parseChallenge(header: string | undefined): Challenge {
  if (!header) return { scheme: "none", params: {} };
  const [, schemeText, rest] = /^\s*(\w+)\s*(.*)$/s.exec(header) ?? [];
  if (schemeText === undefined || rest === undefined) return { scheme: "none", params: {} };
  const scheme = schemeText.toLowerCase();
  const params: Record<string, string> = {};
  const re = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?/g;
  let p: RegExpExecArray | null;
  while ((p = re.exec(rest))) {
    // group 3 takes part whenever the quoted group 2 does not
    const [, key = "", quoted, bare = ""] = p;
    params[key.toLowerCase()] = quoted !== undefined ? quoted.replace(/\\(.)/g, "$1") : bare;
  }
  if (scheme === "bearer") return { scheme: "bearer", params };
  if (scheme === "basic") return { scheme: "basic", params };
  return { scheme: "none", params };
}

function networkMessage(err: NodeJS.ErrnoException, registry: string): string {
  const code = err.code ?? "";
  if (err.name === "AbortError" || code === "ABORT_ERR") return `request to ${registry} timed out`;
  const reasons: Record<string, string> = {
    ECONNREFUSED: "connection refused",
    ENOTFOUND: "no such host",
    EAI_AGAIN: "temporary DNS failure",
    ECONNRESET: "connection reset",
    ETIMEDOUT: "connection timed out",
    EHOSTUNREACH: "host unreachable",
    ENETUNREACH: "network unreachable",
    DEPTH_ZERO_SELF_SIGNED_CERT: "TLS certificate verification failed: self-signed certificate",
    SELF_SIGNED_CERT_IN_CHAIN: "TLS certificate verification failed: self-signed certificate in chain",
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: "TLS certificate verification failed: unknown certificate authority",
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "TLS certificate verification failed: unknown certificate authority",
    CERT_HAS_EXPIRED: "TLS certificate verification failed: certificate has expired",
    ERR_TLS_CERT_ALTNAME_INVALID: "TLS certificate verification failed: certificate is not valid for this host",
  };
  const reason =
    reasons[code] ?? (code.startsWith("ERR_SSL") || code === "EPROTO" ? `TLS handshake failed (${code})` : err.message);
  return `cannot reach registry ${registry}: ${reason}`;
}

function isPlainHttpServerError(err: NodeJS.ErrnoException): boolean {
  return (
    err.code === "EPROTO" ||
    (err.code ?? "").startsWith("ERR_SSL") ||
    /wrong version number|packet length too long/i.test(err.message)
  );
}

/** Registry error bodies: {"errors":[{"code":"...","message":"..."}]}. */
function registryErrorText(body: Buffer): { code?: string | undefined; text?: string } {
  try {
    const parsed = JSON.parse(body.toString("utf8")) as { errors?: Array<{ code?: string; message?: string }> };
    const first = parsed.errors?.[0];
    if (first) return { code: first.code, text: `${first.code ?? "ERROR"}: ${first.message ?? ""}`.trim() };
  } catch {
    /* not JSON */
  }
  return {};
}

export class RegistryClient {
  readonly registry: string;
  private readonly creds?: Credentials | undefined;
  private readonly insecure: boolean;
  private readonly ca?: RegistryClientOptions["ca"];
  private readonly signal?: AbortSignal | undefined;
  private readonly userAgent: string;
  private readonly debug: (line: string) => void;
  private readonly env: NodeJS.ProcessEnv;
  private base?: string | undefined;
  private challenge?: Challenge;
  private readonly tokens = new Map<string, string>();
  private readonly agents: { http: http.Agent; https: https.Agent };

  constructor(opts: RegistryClientOptions) {
    this.registry = opts.registry;
    this.creds = opts.credentials;
    this.insecure = opts.insecure === true;
    this.ca = opts.ca;
    this.signal = opts.signal;
    this.userAgent = opts.userAgent ?? USER_AGENT;
    this.debug = opts.debug ?? (() => {});
    this.env = opts.env ?? process.env;
    this.agents = {
      http: new http.Agent({ keepAlive: true }),
      // --insecure-registry as crane.Insecure: HTTPS without verification, then plain HTTP.
      https: new https.Agent({
        keepAlive: true,
        rejectUnauthorized: !this.insecure,
        ...(this.ca ? { ca: this.mergedCa(this.ca) } : {}),
      }),
    };
  }

  private mergedCa(ca: string | Buffer | Array<string | Buffer>): Array<string | Buffer> {
    const extra = Array.isArray(ca) ? ca : [ca];
    // Keep the system roots: extra CAs add to them.
    return [...tls.rootCertificates, ...extra];
  }

  private traceUrl(u: URL): string {
    return traceUrl(u, this.registry);
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  /**
   * scheme://host, checked once by pinging /v2/. HTTPS with verification; with
   * --insecure-registry, HTTPS without verification and then plain HTTP when the
   * registry does not speak TLS (as go-containerregistry's crane.Insecure).
   */
  async baseUrl(): Promise<string> {
    if (this.base) return this.base;
    const attempt = async (base: string) => {
      this.base = base;
      try {
        await this.ping();
      } catch (err) {
        this.base = undefined;
        throw err;
      }
      return base;
    };
    try {
      return await attempt(`https://${this.registry}`);
    } catch (err) {
      if (err instanceof RegistryError) throw err;
      const e = err as NodeJS.ErrnoException;
      if (this.insecure && e.name !== "AbortError") {
        // As go-containerregistry's ping: with insecure, any HTTPS failure tries plain HTTP.
        this.debug(
          `HTTPS to ${this.registry} failed (${e.code ?? e.message}); trying plain HTTP (--insecure-registry)`,
        );
        try {
          return await attempt(`http://${this.registry}`);
        } catch (err2) {
          if (err2 instanceof RegistryError) throw err2;
          throw new RegistryError(networkMessage(err2 as NodeJS.ErrnoException, this.registry));
        }
      }
      let msg = networkMessage(e, this.registry);
      if (!this.insecure && isPlainHttpServerError(e))
        msg += "; the registry may serve plain HTTP: use --insecure-registry";
      throw new RegistryError(msg);
    }
  }

  private async ping(): Promise<void> {
    const res = await this.raw("GET", `${this.base}/v2/`, {}, undefined, 64 * 1024);
    if (res.status === 401) {
      this.challenge = parseChallenge(headerValue(res.headers["www-authenticate"]));
    } else if (res.status >= 200 && res.status < 300) {
      this.challenge = { scheme: "none", params: {} };
    } else if (res.status === 404) {
      throw new RegistryError(`${this.registry} is not an OCI registry: GET /v2/ returned 404`, 404);
    } else {
      this.challenge = { scheme: "none", params: {} };
    }
  }

  /** One HTTP exchange, following redirects (Authorization is dropped when the host changes). */
  private raw(
    method: string,
    url: string,
    headers: Record<string, string>,
    body: Buffer | undefined,
    maxBytes: number,
    redirects = 0,
  ): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const u = new URL(url);
      const isHttps = u.protocol === "https:";
      const h: Record<string, string> = { "User-Agent": this.userAgent, ...headers };
      if (body) h["Content-Length"] = String(body.length);
      const proxy = proxyFor(u, this.env);
      this.debug(`${method} ${this.traceUrl(u)}${proxy ? ` via proxy ${proxy.host}` : ""}`);
      const onResponse = (res: http.IncomingMessage) => {
        const status = res.statusCode ?? 0;
        if ([301, 302, 303, 307, 308].includes(status) && res.headers.location && redirects < 5) {
          res.resume();
          const next = new URL(res.headers.location, u);
          const nh = { ...headers };
          if (next.host !== u.host) delete nh.Authorization;
          const nextMethod = status === 303 ? "GET" : method;
          this.raw(
            nextMethod,
            next.toString(),
            nh,
            nextMethod === "GET" ? undefined : body,
            maxBytes,
            redirects + 1,
          ).then(resolve, reject);
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            res.destroy(new RegistryError(`response from ${this.registry} exceeds ${maxBytes} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on("error", reject);
        res.on("end", () => {
          this.debug(`${method} ${this.traceUrl(u)} -> ${status}`);
          resolve({ status, headers: res.headers, body: Buffer.concat(chunks) });
        });
      };
      const send = (req: http.ClientRequest) => {
        req.on("error", reject);
        req.end(body);
      };
      if (!proxy) {
        const mod = isHttps ? https : http;
        send(
          mod.request(
            u,
            { method, headers: h, agent: isHttps ? this.agents.https : this.agents.http, signal: this.signal },
            onResponse,
          ),
        );
      } else if (isHttps) {
        tunnel(
          proxy,
          u,
          { rejectUnauthorized: !this.insecure, ...(this.ca ? { ca: this.mergedCa(this.ca) } : {}) },
          this.signal,
        ).then(
          (socket) =>
            send(
              https.request(u, { method, headers: h, createConnection: () => socket, signal: this.signal }, onResponse),
            ),
          reject,
        );
      } else {
        const ph: Record<string, string> = { ...h, Host: u.host };
        const auth = proxyAuthorization(proxy);
        if (auth) ph["Proxy-Authorization"] = auth;
        send(
          http.request(
            {
              host: proxy.hostname,
              port: Number(proxy.port || 80),
              path: u.toString(),
              method,
              headers: ph,
              agent: this.agents.http,
              signal: this.signal,
            },
            onResponse,
          ),
        );
      }
    });
  }

  private async authHeader(
    repository: string | undefined,
    actions: string[],
    force = false,
    challenge?: Challenge,
  ): Promise<string | undefined> {
    const ch = challenge ?? this.challenge;
    if (!ch || ch.scheme === "none") return undefined;
    if (ch.scheme === "basic") {
      if (this.creds?.username !== undefined || this.creds?.password !== undefined) {
        return `Basic ${Buffer.from(`${this.creds.username ?? ""}:${this.creds.password ?? ""}`).toString("base64")}`;
      }
      if (this.creds?.registryToken) return `Bearer ${this.creds.registryToken}`;
      return undefined;
    }
    if (this.creds?.registryToken) return `Bearer ${this.creds.registryToken}`;
    const scopes: string[] = [];
    if (repository) scopes.push(`repository:${repository}:${actions.join(",")}`);
    if (ch.params.scope) for (const s of ch.params.scope.split(" ")) if (!scopes.includes(s)) scopes.push(s);
    const key = scopes.join(" ");
    if (!force && this.tokens.has(key)) return `Bearer ${this.tokens.get(key)}`;
    const token = await this.fetchToken(ch, scopes);
    this.tokens.set(key, token);
    return `Bearer ${token}`;
  }

  /** The Docker registry token flow: GET realm?service&scope (Basic auth), or OAuth2 POST for refresh tokens. */
  private async fetchToken(ch: Challenge, scopes: string[]): Promise<string> {
    const realm = ch.params.realm;
    if (!realm) throw new RegistryError(`${this.registry} sent a Bearer challenge without a realm`);
    let realmUrl: URL;
    try {
      realmUrl = new URL(realm);
    } catch {
      throw new RegistryError(`${this.registry} sent an invalid token realm`);
    }
    if (realmUrl.protocol !== "https:" && realmUrl.protocol !== "http:")
      throw new RegistryError(`${this.registry} sent an invalid token realm`);
    let res: HttpResponse;
    try {
      if (this.creds?.identityToken) {
        const form = new URLSearchParams();
        form.set("grant_type", "refresh_token");
        form.set("refresh_token", this.creds.identityToken);
        if (ch.params.service) form.set("service", ch.params.service);
        form.set("client_id", "flux");
        if (scopes.length) form.set("scope", scopes.join(" "));
        res = await this.raw(
          "POST",
          realmUrl.toString(),
          { "Content-Type": "application/x-www-form-urlencoded" },
          Buffer.from(form.toString()),
          1024 * 1024,
        );
      } else {
        if (ch.params.service) realmUrl.searchParams.set("service", ch.params.service);
        for (const s of scopes) realmUrl.searchParams.append("scope", s);
        const headers: Record<string, string> = {};
        if (hasCredentials(this.creds) && (this.creds.username !== undefined || this.creds.password !== undefined)) {
          headers.Authorization = `Basic ${Buffer.from(`${this.creds.username ?? ""}:${this.creds.password ?? ""}`).toString("base64")}`;
        }
        res = await this.raw("GET", realmUrl.toString(), headers, undefined, 1024 * 1024);
      }
    } catch (err) {
      if (err instanceof RegistryError) throw err;
      throw new RegistryError(networkMessage(err as NodeJS.ErrnoException, realmUrl.host));
    }
    if (res.status === 401 || res.status === 403) {
      throw new RegistryError(
        `${this.registry}: UNAUTHORIZED: the token server at ${realmUrl.host} rejected the ${hasCredentials(this.creds) ? "credentials" : "anonymous request"} (HTTP ${res.status})`,
        res.status,
        "UNAUTHORIZED",
      );
    }
    if (res.status < 200 || res.status >= 300) {
      throw new RegistryError(`token request to ${realmUrl.host} failed with HTTP ${res.status}`, res.status);
    }
    let parsed: { token?: string; access_token?: string };
    try {
      parsed = JSON.parse(res.body.toString("utf8")) as { token?: string; access_token?: string };
    } catch {
      throw new RegistryError(`token server at ${realmUrl.host} returned invalid JSON`);
    }
    const token = parsed.token || parsed.access_token;
    if (!token) throw new RegistryError(`token server at ${realmUrl.host} returned no token`);
    return token;
  }

  /** An authenticated request, retried as above. */
  async request(opts: RequestOptions): Promise<HttpResponse> {
    const repeatable =
      opts.method === "GET" || opts.method === "HEAD" || (opts.method === "PUT" && opts.path.includes("/manifests/"));
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= RETRY.attempts;
      const backoff = RETRY.baseDelayMs * 2 ** (attempt - 1);
      let res: HttpResponse;
      try {
        res = await this.requestOnce(opts);
      } catch (err) {
        if (last || !repeatable || !(err instanceof RegistryError && err.transient)) throw err;
        this.debug(`${opts.method} ${opts.path || opts.url}: ${err.message}; retrying`);
        await sleep(backoff, this.signal);
        continue;
      }
      const ra = retryAfterMs(res);
      const wait =
        res.status === 429 || (res.status >= 500 && ra !== undefined)
          ? (ra ?? backoff)
          : repeatable && [502, 503, 504].includes(res.status)
            ? backoff
            : undefined;
      if (last || wait === undefined || wait > RETRY.maxWaitMs) return res;
      this.debug(`${opts.method} ${opts.path || opts.url} -> ${res.status}; retrying in ${wait}ms`);
      await sleep(wait, this.signal);
    }
  }

  /** One authenticated exchange; retries once with a fresh token on a 401 challenge. */
  private async requestOnce(opts: RequestOptions): Promise<HttpResponse> {
    const base = await this.baseUrl();
    const url = opts.url ?? `${base}${opts.path}`;
    const actions = opts.actions ?? ["pull"];
    const maxBytes = opts.maxBytes ?? MAX_MANIFEST_BYTES;
    const send = async (auth: string | undefined) => {
      const headers = { ...(opts.headers ?? {}) };
      if (auth) headers.Authorization = auth;
      try {
        return await this.raw(opts.method, url, headers, opts.body, maxBytes);
      } catch (err) {
        if (err instanceof RegistryError) throw err;
        const e = err as NodeJS.ErrnoException;
        const broken =
          e.name !== "AbortError" && (e.code === "ECONNRESET" || e.code === "EPIPE" || e.message === "aborted");
        throw new RegistryError(networkMessage(e, this.registry), undefined, undefined, broken);
      }
    };
    let res = await send(await this.authHeader(opts.repository, actions));
    if (res.status === 401) {
      const ch = parseChallenge(headerValue(res.headers["www-authenticate"]));
      if (ch.scheme !== "none") {
        this.challenge = ch.scheme === "bearer" ? { scheme: "bearer", params: { ...ch.params, scope: "" } } : ch;
        const auth = await this.authHeader(opts.repository, actions, true, ch);
        if (auth) res = await send(auth);
      }
    }
    return res;
  }

  /** Turns a non-success response into one clear line. */
  fail(res: HttpResponse, what: string): never {
    const { code, text } = registryErrorText(res.body);
    let msg: string;
    if (res.status === 401) msg = text ?? "UNAUTHORIZED: authentication required";
    else if (res.status === 403) msg = text ?? "DENIED: requested access to the resource is denied";
    else if (res.status === 404) msg = text ?? "NOT_FOUND";
    else msg = text ?? `unexpected HTTP status ${res.status}`;
    throw new RegistryError(`${what}: ${msg}`, res.status, code);
  }

  // ------------------------------------------------------------------ API

  async getManifest(
    repository: string,
    reference: string,
  ): Promise<{ body: Buffer; mediaType: string; digest: string }> {
    const res = await this.request({
      method: "GET",
      path: `/v2/${repository}/manifests/${reference}`,
      headers: { Accept: MANIFEST_ACCEPT },
      repository,
      actions: ["pull"],
      maxBytes: MAX_MANIFEST_BYTES,
    });
    if (res.status !== 200)
      this.fail(res, `GET ${this.registry}/${repository}:${reference}`.replace(/:sha256:/, "@sha256:"));
    const digest = sha256(res.body);
    if (/^sha(256|512):/.test(reference) && digestOf(res.body, reference) !== reference) {
      throw new RegistryError(
        `manifest digest mismatch for ${this.registry}/${repository}@${reference}: got ${digestOf(res.body, reference)}`,
      );
    }
    const mediaType = headerValue(res.headers["content-type"])?.split(";")[0]?.trim() ?? MANIFEST_MEDIA_TYPE;
    return { body: res.body, mediaType, digest };
  }

  async putManifest(repository: string, reference: string, body: Buffer, mediaType: string): Promise<string> {
    const res = await this.request({
      method: "PUT",
      path: `/v2/${repository}/manifests/${reference}`,
      headers: { "Content-Type": mediaType },
      body,
      repository,
      actions: ["pull", "push"],
    });
    if (res.status !== 201 && res.status !== 200) this.fail(res, `PUT ${this.registry}/${repository}:${reference}`);
    return sha256(body);
  }

  async blobExists(repository: string, digest: string): Promise<boolean> {
    const res = await this.request({
      method: "HEAD",
      path: `/v2/${repository}/blobs/${digest}`,
      repository,
      actions: ["pull", "push"],
    });
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    return this.fail(res, `HEAD ${this.registry}/${repository}@${digest}`);
  }

  /**
   * Monolithic upload: POST an upload session, PUT the bytes with ?digest=. A session
   * that fails on the way (a broken connection, 502/503/504) is started over: the
   * registry only keeps a blob whose bytes match the digest.
   */
  async uploadBlob(repository: string, data: Buffer, digest = sha256(data)): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.uploadBlobOnce(repository, data, digest);
      } catch (err) {
        const again = err instanceof RegistryError && (err.transient || [502, 503, 504].includes(err.status ?? 0));
        if (!again || attempt >= RETRY.attempts) throw err;
        this.debug(`blob upload of ${digest} failed (${err.message}); starting it over`);
        await sleep(RETRY.baseDelayMs * 2 ** (attempt - 1), this.signal);
      }
    }
  }

  private async uploadBlobOnce(repository: string, data: Buffer, digest: string): Promise<string> {
    if (await this.blobExists(repository, digest)) {
      this.debug(`blob ${digest} already exists`);
      return digest;
    }
    const start = await this.request({
      method: "POST",
      path: `/v2/${repository}/blobs/uploads/`,
      repository,
      actions: ["pull", "push"],
    });
    if (start.status !== 202) this.fail(start, `POST ${this.registry}/${repository} blob upload`);
    const location = headerValue(start.headers.location);
    if (!location) throw new RegistryError(`${this.registry} started a blob upload without a Location`);
    const base = await this.baseUrl();
    const target = new URL(location, `${base}/`);
    target.searchParams.set("digest", digest);
    const res = await this.request({
      method: "PUT",
      path: "",
      url: target.toString(),
      headers: { "Content-Type": "application/octet-stream" },
      body: data,
      repository,
      actions: ["pull", "push"],
    });
    if (res.status !== 201 && res.status !== 204) this.fail(res, `PUT ${this.registry}/${repository}@${digest}`);
    return digest;
  }

  /** Downloads a blob and verifies its size and digest before returning it. */
  async getBlob(repository: string, digest: string, expectedSize: number): Promise<Buffer> {
    const res = await this.request({
      method: "GET",
      path: `/v2/${repository}/blobs/${digest}`,
      repository,
      actions: ["pull"],
      maxBytes: expectedSize + 1,
    }).catch((err: unknown) => {
      if (err instanceof RegistryError && /exceeds/.test(err.message)) {
        throw new RegistryError(`blob ${digest} is bigger than its descriptor size of ${expectedSize} bytes`);
      }
      throw err;
    });
    if (res.status !== 200) this.fail(res, `GET ${this.registry}/${repository}@${digest}`);
    if (res.body.length !== expectedSize) {
      throw new RegistryError(`blob ${digest} size mismatch: got ${res.body.length} bytes, want ${expectedSize}`);
    }
    const got = digestOf(res.body, digest);
    if (got !== digest)
      throw new RegistryError(
        `digest mismatch for blob ${digest}: got ${got}; the registry content was modified or corrupted`,
      );
    return res.body;
  }

  /** All tags, following the Link header pagination. */
  async listTags(repository: string, pageSize = 1000): Promise<string[]> {
    const tags: string[] = [];
    let path: string | undefined = `/v2/${repository}/tags/list?n=${pageSize}`;
    let url: string | undefined;
    for (let page = 0; page < 1000 && (path !== undefined || url !== undefined); page++) {
      const res: HttpResponse = await this.request({
        method: "GET",
        path: path ?? "",
        url,
        repository,
        actions: ["pull"],
        maxBytes: 64 * 1024 * 1024,
      });
      if (res.status !== 200) this.fail(res, `listing tags of ${this.registry}/${repository}`);
      let parsed: { tags?: string[] | null };
      try {
        parsed = JSON.parse(res.body.toString("utf8")) as { tags?: string[] | null };
      } catch {
        throw new RegistryError(`${this.registry} returned an invalid tag list`);
      }
      tags.push(...(parsed.tags ?? []));
      const link = headerValue(res.headers.link);
      const next = link ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(link)?.[1] : undefined;
      if (!next) break;
      url = new URL(next, `${await this.baseUrl()}/`).toString();
      path = undefined;
    }
    return tags;
  }
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** URLs for the trace: query strings of other hosts (presigned storage URLs, token realms) are hidden. */
export function traceUrl(u: URL, registry: string): string {
  const clean = `${u.protocol}//${u.host}${u.pathname}`;
  if (u.host === registry) return redactUrls(clean + u.search);
  return u.search ? `${clean}?…` : clean;
}

export function sha256(data: Buffer): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

/** The digest of data with the algorithm of `like` (sha256 or sha512). */
export function digestOf(data: Buffer, like: string): string {
  const algo = like.startsWith("sha512:") ? "sha512" : "sha256";
  return `${algo}:${createHash(algo).update(data).digest("hex")}`;
}
