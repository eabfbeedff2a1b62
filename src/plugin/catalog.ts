// The plugin catalog client, as upstream flux v2.9.5's (internal/plugin/catalog.go):
// catalog.yaml and <name>.yaml under a base URL (upstream's GitHub release of
// fluxcd/plugins, or $FLUXCD_PLUGIN_CATALOG), each checked for its apiVersion and kind,
// and the version, platform or digest a command line asks for picked from a manifest.
// Requests are retried like hashicorp/go-retryablehttp's (3 retries on connection
// errors, 429 and 5xx, Retry-After honoured) within one timeout.
import { parse } from "yaml";
import { isRetryable, parseRetryAfter, withRetry } from "../providers/retry.js";
import { PLUGIN_PREFIX } from "./discovery.js";
import {
  CATALOG_KIND,
  PLUGIN_API_VERSION,
  PLUGIN_KIND,
  type PluginCatalog,
  type PluginManifest,
  type PluginPlatform,
  type PluginVersion,
} from "./types.js";

/** The latest GitHub release of fluxcd/plugins. */
export const DEFAULT_CATALOG_BASE = "https://github.com/fluxcd/plugins/releases/latest/download/";
export const CATALOG_ENV = "FLUXCD_PLUGIN_CATALOG";
const MAX_RESPONSE_BYTES = 10 << 20;

/** The catalog's base URL: $FLUXCD_PLUGIN_CATALOG (joined as given, so it ends in "/"), else upstream's. */
export function catalogBase(env: NodeJS.ProcessEnv = process.env): string {
  return env[CATALOG_ENV] || DEFAULT_CATALOG_BASE;
}

export interface HttpOptions {
  /** The whole request, retries included (upstream: 30s for the catalog, 5m for downloads). */
  timeoutMs: number;
  /** Delay before the first retry, doubling (retryablehttp: 1s). */
  retryDelayMs?: number | undefined;
}

class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`HTTP ${status}`);
  }
}

/**
 * GET with retries, the body bounded by maxBytes; errors read as Go's http.Client words
 * them (`Get "<url>": …`), a final non-200 answer as `HTTP <status>` (with `from <url>`
 * when asked: the catalog's wording).
 */
export async function httpGet(url: string, opts: HttpOptions & { maxBytes?: number }): Promise<Buffer> {
  const signal = AbortSignal.timeout(opts.timeoutMs);
  let attempts = 0;
  try {
    return await withRetry(
      async () => {
        attempts++;
        const res = await fetch(url, { signal, redirect: "follow" });
        if (res.status === 429 || (res.status >= 500 && res.status !== 501)) {
          await res.body?.cancel();
          // retryablehttp honours Retry-After on 429 and 503 only
          const wait =
            res.status === 429 || res.status === 503 ? parseRetryAfter(res.headers.get("retry-after")) : undefined;
          throw new HttpStatusError(res.status, wait);
        }
        if (res.status !== 200) {
          await res.body?.cancel();
          throw new FinalStatus(res.status);
        }
        return await readBounded(res, opts.maxBytes);
      },
      (err) => (err instanceof HttpStatusError ? { status: err.status, retryAfterMs: err.retryAfterMs } : undefined),
      { attempts: 4, baseDelayMs: opts.retryDelayMs ?? 1000, maxWaitMs: 30_000 },
    );
  } catch (err) {
    if (err instanceof FinalStatus) throw err;
    if (signal.aborted)
      throw new Error(`Get "${url}": context deadline exceeded (Client.Timeout exceeded)`, { cause: err });
    const reason = err instanceof HttpStatusError ? "" : `: ${causeOf(err)}`;
    if (err instanceof HttpStatusError || isRetryable(undefined, err))
      throw new Error(`Get "${url}": GET ${url} giving up after ${attempts} attempt(s)${reason}`, { cause: err });
    throw new Error(`Get "${url}": ${causeOf(err)}`, { cause: err });
  }
}

/** A final answer other than 200 (not retried). */
export class FinalStatus extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

function causeOf(err: unknown): string {
  const e = err as { message?: string; cause?: { message?: string; code?: string } };
  return e.cause?.message ?? e.message ?? String(err);
}

async function readBounded(res: Response, maxBytes: number | undefined): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    if (maxBytes !== undefined && size + chunk.length > maxBytes) {
      // io.LimitReader: what fits is read, the rest dropped
      chunks.push(Buffer.from(chunk.subarray(0, maxBytes - size)));
      size = maxBytes;
      await res.body.cancel().catch(() => {});
      break;
    }
    chunks.push(Buffer.from(chunk));
    size += chunk.length;
  }
  return Buffer.concat(chunks, size);
}

export interface CatalogClientOptions {
  /** The catalog's base URL (catalogBase()). */
  baseUrl?: string;
  timeoutMs?: number;
  retryDelayMs?: number | undefined;
}

export class CatalogClient {
  readonly baseUrl: string;
  private readonly http: HttpOptions;

  constructor(opts: CatalogClientOptions = {}) {
    this.baseUrl = opts.baseUrl ?? catalogBase();
    this.http = { timeoutMs: opts.timeoutMs ?? 30_000, retryDelayMs: opts.retryDelayMs };
  }

  private async get(url: string): Promise<Buffer> {
    try {
      return await httpGet(url, { ...this.http, maxBytes: MAX_RESPONSE_BYTES });
    } catch (err) {
      if (err instanceof FinalStatus) throw new Error(`HTTP ${err.status} from ${url}`, { cause: err });
      throw err;
    }
  }

  /** A plugin's manifest (<base><name>.yaml), checked as upstream checks it. */
  async fetchManifest(name: string): Promise<PluginManifest> {
    let body: Buffer;
    try {
      body = await this.get(this.baseUrl + name + ".yaml");
    } catch {
      throw new Error(`plugin ${goQuote(name)} not found in catalog`);
    }
    let manifest: PluginManifest;
    try {
      manifest = decode(body) as PluginManifest;
    } catch (err) {
      throw new Error(`failed to parse plugin manifest for ${goQuote(name)}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    if (manifest.apiVersion !== PLUGIN_API_VERSION) {
      throw new Error(
        `plugin ${goQuote(name)} has unsupported apiVersion ${goQuote(manifest.apiVersion)} (expected ${goQuote(PLUGIN_API_VERSION)})`,
      );
    }
    if (manifest.kind !== PLUGIN_KIND) {
      throw new Error(
        `plugin ${goQuote(name)} has unexpected kind ${goQuote(manifest.kind)} (expected ${goQuote(PLUGIN_KIND)})`,
      );
    }
    // bin becomes the installed file's name: a plain flux-<name> file name, nothing that leaves the directory
    if (!isPlainFileName(manifest.bin) || !manifest.bin.startsWith(PLUGIN_PREFIX)) {
      throw new Error(
        `plugin ${goQuote(name)} has invalid bin ${goQuote(manifest.bin)} (must be a plain filename prefixed with ${goQuote(PLUGIN_PREFIX)})`,
      );
    }
    return manifest;
  }

  /** The catalog (<base>catalog.yaml). */
  async fetchCatalog(): Promise<PluginCatalog> {
    let body: Buffer;
    try {
      body = await this.get(this.baseUrl + "catalog.yaml");
    } catch (err) {
      throw new Error(`failed to fetch plugin catalog: ${(err as Error).message}`, { cause: err });
    }
    let catalog: PluginCatalog;
    try {
      catalog = decode(body) as PluginCatalog;
    } catch (err) {
      throw new Error(`failed to parse plugin catalog: ${(err as Error).message}`, { cause: err });
    }
    if (catalog.apiVersion !== PLUGIN_API_VERSION) {
      throw new Error(
        `plugin catalog has unsupported apiVersion ${goQuote(catalog.apiVersion)} (expected ${goQuote(PLUGIN_API_VERSION)})`,
      );
    }
    if (catalog.kind !== CATALOG_KIND) {
      throw new Error(
        `plugin catalog has unexpected kind ${goQuote(catalog.kind)} (expected ${goQuote(CATALOG_KIND)})`,
      );
    }
    return catalog;
  }
}

/** YAML into a document whose absent fields read as Go's zero values. */
function decode(body: Buffer): object {
  const value: unknown = parse(body.toString("utf8"));
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new Error(
      `error unmarshaling JSON: the document is a ${Array.isArray(value) ? "list" : typeof value}, not a mapping`,
    );
  }
  return value;
}

/** Go's filepath.Base(p) == p && filepath.IsLocal(p), non-empty: one file name, no separators or "..". */
export function isPlainFileName(p: unknown): p is string {
  return (
    typeof p === "string" &&
    p !== "" &&
    p !== "." &&
    p !== ".." &&
    !p.includes("/") &&
    !p.includes("\\") &&
    !p.includes("\0")
  );
}

/** Go's %q for the strings these messages quote (JSON's escaping agrees for printable text). */
export function goQuote(s: unknown): string {
  return JSON.stringify(typeof s === "string" ? s : "");
}

/** The version asked for ("" for the newest, the manifest's first). */
export function resolveVersion(manifest: PluginManifest, version: string): PluginVersion {
  const versions = manifest.versions ?? [];
  const [newest] = versions;
  if (!newest) throw new Error(`plugin ${goQuote(manifest.name)} has no versions`);
  if (version === "") return newest;
  const found = versions.find((v) => v.version === version);
  if (!found) throw new Error(`version ${goQuote(version)} not found for plugin ${goQuote(manifest.name)}`);
  return found;
}

/** The version's download for this OS and architecture (Go's names). */
export function resolvePlatform(version: PluginVersion, os: string, arch: string): PluginPlatform {
  const found = (version.platforms ?? []).find((p) => p.os === os && p.arch === arch);
  if (!found) throw new Error(`no binary for ${os}/${arch}`);
  return found;
}

/** The version and platform whose download has this digest ("sha256:…"), for this OS and architecture. */
export function resolveByDigest(
  manifest: PluginManifest,
  digest: string,
  os: string,
  arch: string,
): { version: PluginVersion; platform: PluginPlatform } {
  const versions = manifest.versions ?? [];
  if (versions.length === 0) throw new Error(`plugin ${goQuote(manifest.name)} has no versions`);
  for (const version of versions) {
    for (const platform of version.platforms ?? []) {
      if (platform.os === os && platform.arch === arch && platform.checksum === digest) return { version, platform };
    }
  }
  throw new Error(`digest ${goQuote(digest)} not found for plugin ${goQuote(manifest.name)} on ${os}/${arch}`);
}

/** "operator@0.45.0" → ["operator", "0.45.0"]; no "@": the newest (""). */
export function parseNameVersion(s: string): [name: string, version: string] {
  const at = s.indexOf("@");
  return at === -1 ? [s, ""] : [s.slice(0, at), s.slice(at + 1)];
}

/** A content digest rather than a version ("sha256:…", case-sensitive as upstream). */
export function isDigestRef(ref: string): boolean {
  return ref.startsWith("sha256:");
}

/** Go's runtime.GOOS for this process. */
export function goOS(platform: NodeJS.Platform = process.platform): string {
  return platform === "win32" ? "windows" : platform;
}

/** Go's runtime.GOARCH for this process. */
export function goArch(arch: string = process.arch): string {
  const names: Record<string, string> = {
    x64: "amd64",
    ia32: "386",
    arm: "arm",
    arm64: "arm64",
    ppc64: "ppc64le",
    s390x: "s390x",
    riscv64: "riscv64",
    loong64: "loong64",
  };
  return names[arch] ?? arch;
}
