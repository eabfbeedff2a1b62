// The one HTTP path to the Kubernetes API server: node:https over one keep-alive agent
// per kubeconfig identity, authenticated by src/kube/config.ts (certificates, tokens;
// exec plugins through client-node). Full control over paths, subresources, patch
// content types, paging and watch streams; one error type, one object type.
import http from "node:http";
import https from "node:https";
import type { Readable } from "node:stream";
import { createSecureContext, type SecureContext } from "node:tls";
import { createGunzip } from "node:zlib";
import type { KubeConfigSource } from "./config.js";
import type { TokenBucket } from "./ratelimit.js";

export const ContentType = {
  JSON: "application/json",
  MergePatch: "application/merge-patch+json",
  JsonPatch: "application/json-patch+json",
  ApplyPatch: "application/apply-patch+yaml",
} as const;

/** A Kubernetes API error: HTTP status plus the server's Status message. */
export class KubeApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly reason?: string,
    readonly body?: unknown,
    /** The server's Retry-After, in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "KubeApiError";
  }
}

export function isNotFound(err: unknown): boolean {
  return err instanceof KubeApiError && err.statusCode === 404;
}

export function isConflict(err: unknown): boolean {
  return err instanceof KubeApiError && err.statusCode === 409;
}

/** A connection-level failure (refused, DNS, TLS): not an API answer. */
export class KubeConnectionError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = "KubeConnectionError";
  }
}

export interface RestOptions {
  body?: unknown;
  contentType?: string;
  query?: Record<string, string | number | boolean | undefined>;
  timeoutMs?: number;
  signal?: AbortSignal | undefined;
  /**
   * A POST that creates an object with a fixed name: repeating it cannot make a second
   * one (the API server answers 409 AlreadyExists), so it is retried like a read. The
   * caller reads a 409 as "it exists now", maybe made by the attempt whose answer was lost.
   */
  namedCreate?: boolean;
}

/** Identity to impersonate (--as, --as-group, --as-uid, --as-user-extra). */
export interface Impersonation {
  user?: string;
  groups?: string[] | undefined;
  uid?: string | undefined;
  /** Extra user information, values per key. */
  extra?: Record<string, string[]> | undefined;
}

/** What REST calls need: a kubeconfig and optional impersonation. */
export interface RestTarget {
  config: KubeConfigSource;
  impersonate?: Impersonation | undefined;
  /** No single request outlives this (the command's --timeout); default 60s. */
  requestTimeoutMs?: number | undefined;
  /** --kube-api-qps/--kube-api-burst: every request (retries and watches too) takes a token first. */
  rateLimiter?: TokenBucket | undefined;
  /** --disable-compression: no `Accept-Encoding: gzip` (the API server gzips answers over 128 KiB). */
  disableCompression?: boolean | undefined;
}

export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  kind: string;
  /** Defaults to true. */
  namespaced?: boolean;
}

export function apiVersionOf(t: { group: string; version: string }): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

/** Path of a collection or object; namespace "" or undefined means all namespaces / cluster scope. */
export function resourcePath(
  t: { group: string; version: string; plural: string },
  namespace?: string,
  name?: string,
  subresource?: string,
): string {
  let p = t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`;
  if (namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${t.plural}`;
  if (name) p += `/${encodeURIComponent(name)}`;
  if (subresource) p += `/${subresource}`;
  return p;
}

// One keep-alive agent per kubeconfig and TLS identity: verbs that issue many requests
// (get all, paging, --all, diff's dry-runs) reuse connections instead of paying a TLS
// handshake each (client-node's own agents open one connection per request).
// Each keeps one TLS context too: without it every new connection builds its own
// from the CA, certificate and key (several milliseconds each for diff's 16 at a time).
const agents = new WeakMap<object, Map<string, { agent: http.Agent; secureContext?: SecureContext }>>();

function keepAliveAgent(config: object, o: https.RequestOptions, protocol: string): http.Agent {
  let byKey = agents.get(config);
  if (!byKey) agents.set(config, (byKey = new Map<string, { agent: http.Agent; secureContext?: SecureContext }>()));
  const tls = {
    ca: o.ca,
    cert: o.cert,
    key: o.key,
    pfx: o.pfx,
    passphrase: o.passphrase,
    rejectUnauthorized: o.rejectUnauthorized,
    servername: o.servername,
  };
  const key = `${protocol}|${JSON.stringify(tls)}`;
  let entry = byKey.get(key);
  if (!entry) {
    if (protocol === "http:") entry = { agent: new http.Agent({ keepAlive: true }) };
    else {
      const secureContext = createSecureContext({
        ca: tls.ca,
        cert: tls.cert,
        key: tls.key,
        pfx: tls.pfx,
        passphrase: tls.passphrase,
      });
      entry = { agent: new https.Agent({ ...tls, secureContext, keepAlive: true, maxSockets: 32 }), secureContext };
    }
    byKey.set(key, entry);
  }
  // tls.connect uses a given context instead of building one from ca/cert/key
  if (entry.secureContext) (o as { secureContext?: SecureContext }).secureContext = entry.secureContext;
  return entry.agent;
}

async function prepare(
  target: RestTarget,
  method: string,
  path: string,
  opts: RestOptions,
): Promise<{ url: URL; reqOpts: https.RequestOptions; payload: string | undefined }> {
  const cluster = target.config.getCurrentCluster();
  if (!cluster) throw new KubeConnectionError("no current cluster in the kubeconfig");
  const url = new URL(cluster.server.replace(/\/$/, "") + path);
  for (const [k, v] of Object.entries(opts.query ?? {})) {
    if (v !== undefined) url.searchParams.set(k, String(v));
  }
  const headers: Record<string, string | string[]> = { Accept: "application/json" };
  if (!target.disableCompression) headers["Accept-Encoding"] = "gzip";
  const reqOpts: https.RequestOptions = { method, headers };
  await target.config.applyToHTTPSOptions(reqOpts);
  if (!(cluster as { proxyUrl?: string }).proxyUrl)
    reqOpts.agent = keepAliveAgent(target.config, reqOpts, url.protocol);
  const h = (reqOpts.headers ?? {}) as Record<string, string | string[]>;
  if (target.impersonate?.user) h["Impersonate-User"] = target.impersonate.user;
  if (target.impersonate?.groups?.length) h["Impersonate-Group"] = target.impersonate.groups;
  if (target.impersonate?.uid) h["Impersonate-Uid"] = target.impersonate.uid;
  for (const [key, values] of Object.entries(target.impersonate?.extra ?? {})) {
    h[`Impersonate-Extra-${headerKeyEscape(key)}`] = values;
  }
  let payload: string | undefined;
  if (opts.body !== undefined) {
    payload = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
    h["Content-Type"] = opts.contentType ?? ContentType.JSON;
    h["Content-Length"] = String(Buffer.byteLength(payload));
  }
  reqOpts.headers = h;
  if (opts.signal) reqOpts.signal = opts.signal;
  await target.rateLimiter?.wait(opts.signal);
  return { url, reqOpts, payload };
}

/** client-go's headerKeyEscape: bytes outside RFC 7230's token characters, and '%', become %XX. */
function headerKeyEscape(key: string): string {
  let out = "";
  for (const b of Buffer.from(key, "utf8")) {
    const c = String.fromCharCode(b);
    out += /^[A-Za-z0-9!#$&'*+\-.^_`|~]$/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** The answer's body, gunzipped when the server compressed it; errors of the answer reach the returned stream. */
function bodyOf(res: http.IncomingMessage): Readable {
  if (!/^\s*gzip\s*$/i.test(res.headers["content-encoding"] ?? "")) return res;
  // 256 KiB output chunks: with the default 16 KiB, a 7 MB list spends more time in
  // zlib's per-chunk callbacks than in inflating
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  res.on("error", (e) => gunzip.destroy(e));
  res.on("close", () => {
    if (!res.complete) gunzip.destroy(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
  });
  return res.pipe(gunzip);
}

function apiError(code: number, text: string, retryAfter?: string | string[]): KubeApiError {
  const ra = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter;
  const retryAfterMs = ra && /^\d+$/.test(ra.trim()) ? Number(ra.trim()) * 1000 : undefined;
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  if (body && typeof body === "object" && "message" in body) {
    const b = body as { message: string; reason?: string };
    return new KubeApiError(code, b.message, b.reason, body, retryAfterMs);
  }
  const reason = http.STATUS_CODES[code] ?? "error";
  return new KubeApiError(
    code,
    `the server responded with ${code} ${reason}${text ? `: ${text.trim().slice(0, 200)}` : ""}`,
    undefined,
    body,
    retryAfterMs,
  );
}

function connectionError(err: NodeJS.ErrnoException, url: URL): KubeConnectionError {
  const code = err.code;
  if (code === "ECONNRESET" || err.message === "aborted") {
    return new KubeConnectionError(
      `the connection to the Kubernetes API server at ${url.origin} was reset before the answer was complete`,
      "ECONNRESET",
    );
  }
  if (
    code === "ECONNREFUSED" ||
    code === "ENOTFOUND" ||
    code === "EHOSTUNREACH" ||
    code === "ETIMEDOUT" ||
    code === "EAI_AGAIN"
  ) {
    return new KubeConnectionError(
      `unable to connect to the Kubernetes API server at ${url.origin} (${code}): check that the cluster is running and --kubeconfig/--context point at it`,
      code,
    );
  }
  return new KubeConnectionError(
    `request to the Kubernetes API server at ${url.origin} failed: ${err.message.split("\n")[0]}`,
    code,
  );
}

// Retries, as client-go does them and bounded: an answer with Retry-After (429, or a
// 5xx that says when to come back) was not processed, so any request waits and tries
// again; requests that are safe to repeat (reads, apply and merge patches) also retry a
// connection reset or a cut-off answer, and 502/503/504, with exponential backoff.
// Nothing else is retried: a 500 or a refused connection fails at once.
const RETRY = { attempts: 5, baseDelayMs: 250, maxWaitMs: 30_000 };
const MID_FLIGHT = new Set(["ECONNRESET", "EPIPE", "ERR_STREAM_PREMATURE_CLOSE", "ETRUNCATED"]);

/** Requests whose repetition changes nothing more: reads, server-side apply and JSON merge patches (RFC 7386). */
function repeatable(method: string, opts: RestOptions): boolean {
  if (method === "GET" || method === "HEAD") return true;
  if (method === "POST" && opts.namedCreate) return true;
  return (
    method === "PATCH" && (opts.contentType === ContentType.ApplyPatch || opts.contentType === ContentType.MergePatch)
  );
}

function retryDelay(err: unknown, method: string, opts: RestOptions, attempt: number): number | undefined {
  const backoff = RETRY.baseDelayMs * 2 ** (attempt - 1);
  if (err instanceof KubeApiError) {
    const code = err.statusCode;
    if ((code === 429 || code >= 500) && err.retryAfterMs !== undefined)
      return err.retryAfterMs <= RETRY.maxWaitMs ? Math.max(err.retryAfterMs, 100) : undefined;
    if (code === 429) return backoff;
    if ((code === 502 || code === 503 || code === 504) && repeatable(method, opts)) return backoff;
    return undefined;
  }
  if (err instanceof KubeConnectionError && MID_FLIGHT.has(err.code ?? "") && repeatable(method, opts)) return backoff;
  return undefined;
}

/** One API call, retried as above; resolves with the parsed JSON body, rejects with KubeApiError/KubeConnectionError. */
export async function kubeRest<T = unknown>(
  target: RestTarget,
  method: string,
  path: string,
  opts: RestOptions = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await kubeRestOnce<T>(target, method, path, opts);
    } catch (err) {
      const delay = attempt < RETRY.attempts ? retryDelay(err, method, opts, attempt) : undefined;
      if (delay === undefined || opts.signal?.aborted) throw err;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

async function kubeRestOnce<T>(target: RestTarget, method: string, path: string, opts: RestOptions): Promise<T> {
  const { url, reqOpts, payload } = await prepare(target, method, path, opts);
  const mod = url.protocol === "http:" ? http : https;
  const timeoutMs = opts.timeoutMs ?? target.requestTimeoutMs ?? 60_000;
  return await new Promise<T>((resolve, reject) => {
    const req = mod.request(url, reqOpts, (res) => {
      const chunks: Buffer[] = [];
      const body = bodyOf(res);
      body.on("data", (c: Buffer) => chunks.push(c));
      body.on("error", (e) => reject(connectionError(e, url)));
      body.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const code = res.statusCode ?? 0;
        if (code < 200 || code >= 300) {
          reject(apiError(code, text, res.headers["retry-after"]));
          return;
        }
        if (!text) {
          resolve(undefined as T);
          return;
        }
        try {
          resolve(JSON.parse(text) as T);
        } catch {
          // A JSON answer cut short is a broken connection, not a string.
          if (/json/.test(String(res.headers["content-type"]))) {
            reject(
              new KubeConnectionError(
                `the Kubernetes API server at ${url.origin} sent an incomplete answer to ${method} ${url.pathname}`,
                "ETRUNCATED",
              ),
            );
            return;
          }
          resolve(text as T);
        }
      });
    });
    if (timeoutMs > 0)
      req.setTimeout(timeoutMs, () =>
        req.destroy(
          new KubeConnectionError(
            `the Kubernetes API server at ${url.origin} did not answer ${method} ${url.pathname} within ${Math.round(timeoutMs / 100) / 10}s`,
            "ETIMEDOUT",
          ),
        ),
      );
    req.on("error", (e: NodeJS.ErrnoException) => {
      if (e.name === "AbortError") reject(e);
      else if (e instanceof KubeConnectionError) reject(e);
      else reject(connectionError(e, url));
    });
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** Opens a streaming GET and hands each line of the body to onLine; resolves when the stream ends. */
export async function kubeStream(
  target: RestTarget,
  path: string,
  opts: RestOptions & { onLine: (line: string) => void },
): Promise<void> {
  const { url, reqOpts } = await prepare(target, "GET", path, opts);
  const mod = url.protocol === "http:" ? http : https;
  await new Promise<void>((resolve, reject) => {
    const req = mod.request(url, reqOpts, (res) => {
      const code = res.statusCode ?? 0;
      const body = bodyOf(res);
      if (code < 200 || code >= 300) {
        const chunks: Buffer[] = [];
        body.on("data", (c: Buffer) => chunks.push(c));
        body.on("end", () => reject(apiError(code, Buffer.concat(chunks).toString("utf8"))));
        body.on("error", (e) => reject(connectionError(e, url)));
        return;
      }
      let buf = "";
      body.setEncoding("utf8");
      body.on("data", (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (line.trim()) opts.onLine(line);
        }
      });
      body.on("end", () => {
        if (buf.trim()) opts.onLine(buf);
        resolve();
      });
      body.on("error", (e: NodeJS.ErrnoException) =>
        e.name === "AbortError" ? resolve() : reject(connectionError(e, url)),
      );
      body.on("close", () => resolve());
    });
    req.on("error", (e: NodeJS.ErrnoException) => {
      if (e.name === "AbortError") resolve();
      else reject(connectionError(e, url));
    });
    req.end();
  });
}

export interface WatchEvent<T = KubeObject> {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: T;
}

/** The generic shape of a Kubernetes object. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    managedFields?: unknown[];
    [k: string]: unknown;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [k: string]: unknown;
}

export interface KubeList<T = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string };
  items: T[];
}

/**
 * Watches a collection from resourceVersion; each event goes to onEvent. Resolves
 * when the server closes the stream (callers re-watch from the last resourceVersion).
 * A watch ERROR event (e.g. 410 Gone) rejects with a KubeApiError.
 */
export async function watchCollection(
  target: RestTarget,
  path: string,
  query: Record<string, string | number | boolean | undefined>,
  onEvent: (ev: WatchEvent) => void,
  signal?: AbortSignal,
): Promise<void> {
  let failure: KubeApiError | undefined;
  await kubeStream(target, path, {
    query: { ...query, watch: true, allowWatchBookmarks: true },
    signal,
    timeoutMs: 0,
    onLine: (line) => {
      let ev: WatchEvent;
      try {
        ev = JSON.parse(line) as WatchEvent;
      } catch {
        return;
      }
      if (ev.type === "ERROR") {
        const st = ev.object as unknown as { code?: number; message?: string; reason?: string };
        failure = new KubeApiError(st.code ?? 500, st.message ?? "watch error", st.reason, st);
        return;
      }
      if (!failure) onEvent(ev);
    },
  });
  if (failure) throw failure;
}

/** Objects per page of a paginated list (limit and continue). */
export const LIST_PAGE_SIZE = 500;

/**
 * Lists a collection page by page (limit and continue), handing each page's items to
 * onPage; resolves with the list's metadata.
 */
export async function listPages<T = KubeObject>(
  target: RestTarget,
  path: string,
  query: Record<string, string | number | boolean | undefined>,
  onPage: (items: T[]) => void,
): Promise<KubeList<T>["metadata"]> {
  let cont: string | undefined;
  let metadata: KubeList<T>["metadata"];
  do {
    // JSON from the server: an empty list may come with "items": null
    const page = await kubeRest<{ metadata?: KubeList<T>["metadata"]; items?: T[] | null }>(target, "GET", path, {
      query: { ...query, limit: LIST_PAGE_SIZE, continue: cont },
    });
    onPage(page.items ?? []);
    metadata = page.metadata ?? {};
    cont = metadata.continue || undefined;
  } while (cont);
  return metadata;
}

/**
 * Splits the top-level "items" array of a List response into one JSON text per item as
 * the bytes arrive, so each item is parsed (plain JSON.parse) and dropped while the
 * rest is still on the wire.
 */
export class ListItemScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private inItems = false;
  /** The last string seen directly in the top-level object (the key before "items"). */
  private key = "";
  private keyStart = -1;
  private keyPart = "";
  private item = "";
  private itemStart = -1;

  constructor(private readonly onItem: (json: string) => void) {}

  /** The whole top-level object has been read. */
  get complete(): boolean {
    return this.started && this.depth === 0;
  }
  private started = false;

  push(chunk: string): void {
    const n = chunk.length;
    // Most of a list is string content: inside a string, jump to its closing quote with
    // indexOf (native) instead of looking at each character; `backslash` is the next
    // escape at or after the cursor (-1: none left in this chunk).
    let backslash = chunk.indexOf("\\");
    for (let i = 0; i < n; i++) {
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          continue;
        }
        if (backslash !== -1 && backslash < i) backslash = chunk.indexOf("\\", i);
        const quote = chunk.indexOf('"', i);
        if (backslash !== -1 && (quote === -1 || backslash < quote)) {
          // the character after the backslash is escaped (possibly in the next chunk)
          if (backslash + 1 >= n) this.escaped = true;
          i = backslash + 1;
          continue;
        }
        if (quote === -1) break; // the string goes on in the next chunk
        i = quote;
        this.inString = false;
        if (this.depth === 1 && this.keyStart >= 0) {
          this.key = this.keyPart + chunk.slice(this.keyStart, i);
          this.keyStart = -1;
          this.keyPart = "";
        }
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (c === 34) {
        this.inString = true;
        if (this.depth === 1) this.keyStart = i + 1;
      } else if (c === 123 /* { */ || c === 91 /* [ */) {
        this.started = true;
        if (this.depth === 1 && c === 91 && this.key === "items") this.inItems = true;
        else if (this.inItems && this.depth === 2 && c === 123) this.itemStart = i;
        this.depth++;
      } else if (c === 125 /* } */ || c === 93 /* ] */) {
        this.depth--;
        if (this.inItems && this.depth === 2 && c === 125) {
          this.onItem(this.item + chunk.slice(this.itemStart < 0 ? 0 : this.itemStart, i + 1));
          this.item = "";
          this.itemStart = -1;
        } else if (this.inItems && this.depth === 1) this.inItems = false;
      }
    }
    // A key or an item cut by the chunk boundary continues in the next chunk.
    if (this.keyStart >= 0) {
      this.keyPart += chunk.slice(this.keyStart);
      this.keyStart = 0;
    }
    if (this.inItems && this.depth > 2) {
      this.item += chunk.slice(this.itemStart < 0 ? 0 : this.itemStart);
      this.itemStart = -1;
    }
  }
}

/**
 * Lists a collection in one request, as upstream flux does (the API server answers it
 * from its watch cache; limit/continue pages are read from etcd, several times slower
 * here), streaming the response: items are parsed one by one and handed to onItems in
 * batches, so no whole-list text or object array is ever held.
 */
export async function listStream(
  target: RestTarget,
  path: string,
  query: Record<string, string | number | boolean | undefined>,
  onItems: (items: KubeObject[]) => void,
  /** Called before a retry (see kubeRest): drop what the failed attempt handed out. */
  onRestart: () => void = () => {},
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await listStreamOnce(target, path, query, onItems);
      return;
    } catch (err) {
      const delay = attempt < RETRY.attempts ? retryDelay(err, "GET", {}, attempt) : undefined;
      if (delay === undefined) throw err;
      onRestart();
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

async function listStreamOnce(
  target: RestTarget,
  path: string,
  query: Record<string, string | number | boolean | undefined>,
  onItems: (items: KubeObject[]) => void,
): Promise<void> {
  const { url, reqOpts } = await prepare(target, "GET", path, { query });
  const mod = url.protocol === "http:" ? http : https;
  const timeoutMs = target.requestTimeoutMs ?? 60_000;
  await new Promise<void>((resolve, reject) => {
    const req = mod.request(url, reqOpts, (res) => {
      const code = res.statusCode ?? 0;
      const body = bodyOf(res);
      if (code < 200 || code >= 300) {
        const chunks: Buffer[] = [];
        body.on("data", (c: Buffer) => chunks.push(c));
        body.on("end", () =>
          reject(apiError(code, Buffer.concat(chunks).toString("utf8"), res.headers["retry-after"])),
        );
        body.on("error", (e) => reject(connectionError(e, url)));
        return;
      }
      let batch: KubeObject[] = [];
      const scanner = new ListItemScanner((json) => batch.push(JSON.parse(json) as KubeObject));
      body.setEncoding("utf8");
      body.on("data", (chunk: string) => {
        try {
          scanner.push(chunk);
          if (batch.length > 0) onItems(batch);
        } catch (err) {
          req.destroy();
          reject(err instanceof Error ? err : new Error(String(err)));
        }
        batch = [];
      });
      body.on("end", () => {
        // A list cut short is a broken connection (and safe to read again).
        if (!scanner.complete) {
          reject(
            new KubeConnectionError(
              `the Kubernetes API server at ${url.origin} sent an incomplete answer to GET ${url.pathname}`,
              "ETRUNCATED",
            ),
          );
          return;
        }
        resolve();
      });
      body.on("error", (e) => reject(connectionError(e, url)));
    });
    if (timeoutMs > 0)
      req.setTimeout(timeoutMs, () =>
        req.destroy(
          new KubeConnectionError(
            `the Kubernetes API server at ${url.origin} did not answer GET ${url.pathname} within ${Math.round(timeoutMs / 100) / 10}s`,
            "ETIMEDOUT",
          ),
        ),
      );
    req.on("error", (e: NodeJS.ErrnoException) => {
      if (e instanceof KubeConnectionError) reject(e);
      else reject(connectionError(e, url));
    });
    req.end();
  });
}

/** Lists all pages of a collection. */
export async function listAll<T = KubeObject>(
  target: RestTarget,
  path: string,
  query: Record<string, string | number | boolean | undefined> = {},
): Promise<KubeList<T>> {
  const items: T[] = [];
  const metadata = await listPages<T>(target, path, query, (page) => {
    for (const item of page) items.push(item);
  });
  return { apiVersion: "v1", kind: "List", metadata, items };
}

/** Maps `items` through `fn` with at most `limit` calls in flight; results keep the input order. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  // One iterator shared by the workers: each takes the next item when it is free.
  const queue = items.entries();
  const worker = async () => {
    for (const [i, item] of queue) results[i] = await fn(item, i);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
