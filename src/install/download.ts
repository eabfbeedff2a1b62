// Fetches a Flux release's manifests.tar.gz over HTTPS (bounded time and size,
// redirects followed, TLS always verified; a CA may be given explicitly), verifies it
// against the release's checksums file and caches it extracted, per version.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { CliError, redactUrls } from "../errors.js";
import { RELEASES_URL } from "./options.js";
import { extractEntries, readTarGz, TarError } from "./tar.js";

export interface DownloadOptions {
  /** Releases base URL (default https://github.com/fluxcd/flux2/releases). */
  baseUrl?: string;
  /** Extra trusted CA certificates (PEM), e.g. a test server's. */
  ca?: string | Buffer;
  /** Overall time limit for each file (default 60s). */
  timeoutMs?: number;
  /** Maximum download size (default 64 MiB). */
  maxBytes?: number;
  /** Cache root (default $XDG_CACHE_HOME/tsflux or ~/.cache/tsflux). */
  cacheDir?: string;
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(base, "tsflux");
}

export function manifestsUrl(version: string, baseUrl = RELEASES_URL): string {
  return `${baseUrl}/download/${version}/manifests.tar.gz`;
}

/** goreleaser's checksums asset: flux_<version without v>_checksums.txt */
export function checksumsUrl(version: string, baseUrl = RELEASES_URL): string {
  return `${baseUrl}/download/${version}/flux_${version.replace(/^v/, "")}_checksums.txt`;
}

/** GET over HTTPS; follows up to 5 redirects (https only); rejects on non-200, timeout or size. */
export function httpsGet(
  url: string,
  opts: Pick<DownloadOptions, "ca" | "timeoutMs" | "maxBytes"> = {},
  redirects = 5,
): Promise<Buffer> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      reject(new Error(`invalid URL ${url}`));
      return;
    }
    if (u.protocol !== "https:") {
      // origin and path only: a redirect's query may carry a signed token, its user info credentials
      reject(
        new Error(`refusing to download over ${u.protocol.replace(":", "")}: ${u.origin}${u.pathname} (https only)`),
      );
      return;
    }
    const req = https.get(u, { ca: opts.ca, timeout: timeoutMs, headers: { "user-agent": "tsflux" } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects <= 0) {
          reject(new Error("too many redirects"));
          return;
        }
        const next = new URL(res.headers.location, u).toString();
        httpsGet(next, opts, redirects - 1).then(resolve, reject);
        return;
      }
      if (status !== 200) {
        res.resume();
        reject(new Error(`status: ${status} ${res.statusMessage ?? ""}`.trim()));
        return;
      }
      const declared = Number(res.headers["content-length"] ?? 0);
      if (declared > maxBytes) {
        res.destroy();
        reject(new Error(`response is larger than ${maxBytes} bytes`));
        return;
      }
      const chunks: Buffer[] = [];
      let total = 0;
      res.on("data", (c: Buffer) => {
        total += c.length;
        if (total > maxBytes) {
          res.destroy();
          reject(new Error(`response is larger than ${maxBytes} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on("end", () => resolve(Buffer.concat(chunks)));
      res.on("error", reject);
    });
    const deadline = setTimeout(() => req.destroy(new Error(`timed out after ${timeoutMs}ms`)), timeoutMs);
    req.on("close", () => clearTimeout(deadline));
    req.on("timeout", () => req.destroy(new Error(`timed out after ${timeoutMs}ms`)));
    req.on("error", (err) => reject(err));
  });
}

/** Finds the sha256 of `file` in a `<sha256>  <file>` checksums list. */
export function checksumFor(checksums: string, file: string): string | undefined {
  for (const line of checksums.split(/\r?\n/)) {
    const m = /^([0-9a-f]{64})\s+\*?(\S+)$/i.exec(line.trim());
    if (m?.[1] && m[2] === file) return m[1].toLowerCase();
  }
  return undefined;
}

const COMPLETE = ".tsflux-complete";

/** The cache directory of a version, or undefined when it is not (completely) cached. */
export function cachedBundle(version: string, cacheDir = defaultCacheDir()): string | undefined {
  const dir = path.join(cacheDir, "manifests", version);
  return existsSync(path.join(dir, COMPLETE)) ? dir : undefined;
}

function offlineHint(url: string): string {
  return `without access to ${new URL(url).host}, download manifests.tar.gz of the release elsewhere, extract it and pass the directory with --manifests`;
}

/**
 * Returns the directory of the extracted bundle of `version`: from the cache, or
 * downloaded, verified and cached. Never leaves partial files behind.
 */
export async function fetchBundle(version: string, opts: DownloadOptions = {}): Promise<string> {
  if (!/^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) throw new CliError(`invalid Flux version '${version}'`);
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  const hit = cachedBundle(version, cacheDir);
  if (hit) return hit;
  const url = manifestsUrl(version, opts.baseUrl);
  const sumsUrl = checksumsUrl(version, opts.baseUrl);
  let gz: Buffer;
  let sums: string;
  try {
    gz = await httpsGet(url, opts);
  } catch (err) {
    throw new CliError(
      `failed to download manifests.tar.gz from ${redactUrls(url)}, error: ${(err as Error).message}; ${offlineHint(url)}`,
    );
  }
  try {
    sums = (await httpsGet(sumsUrl, { ...opts, maxBytes: 1024 * 1024 })).toString("utf8");
  } catch (err) {
    throw new CliError(
      `failed to download the checksums of ${version} from ${redactUrls(sumsUrl)}, error: ${(err as Error).message}; ${offlineHint(sumsUrl)}`,
    );
  }
  const expected = checksumFor(sums, "manifests.tar.gz");
  if (!expected) throw new CliError(`${redactUrls(sumsUrl)} has no checksum for manifests.tar.gz`);
  const actual = createHash("sha256").update(gz).digest("hex");
  if (actual !== expected) {
    throw new CliError(
      `checksum mismatch for manifests.tar.gz of ${version}: expected sha256 ${expected}, got ${actual}; the download is corrupted or was tampered with`,
    );
  }
  const parent = path.join(cacheDir, "manifests");
  mkdirSync(parent, { recursive: true });
  const tmp = mkdtempSync(path.join(parent, `.${version}-`));
  try {
    extractEntries(readTarGz(gz), tmp);
    writeFileSync(path.join(tmp, COMPLETE), `sha256:${actual}\n`);
    const dest = path.join(parent, version);
    rmSync(dest, { recursive: true, force: true }); // an incomplete leftover (complete ones returned above)
    try {
      renameSync(tmp, dest);
    } catch (err) {
      if (!cachedBundle(version, cacheDir)) throw err; // lost a race to a concurrent run: theirs is fine
    }
    return dest;
  } catch (err) {
    if (err instanceof TarError)
      throw new CliError(`failed to untar manifests.tar.gz from ${redactUrls(url)}, error: ${err.message}`);
    throw err;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The sha256 recorded when a cached bundle was verified. */
export function cachedDigest(dir: string): string | undefined {
  try {
    return readFileSync(path.join(dir, COMPLETE), "utf8").trim();
  } catch {
    return undefined;
  }
}
