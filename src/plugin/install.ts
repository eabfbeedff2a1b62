// Installing and removing plugins, as upstream flux v2.9.5 does (internal/plugin/install.go):
// the download's sha256 must equal the catalog's checksum before anything is written;
// the binary is the manifest's bin (plus .exe on Windows) in the plugin directory, and
// a receipt (flux-<name>.yaml) records what was installed. tsflux writes the binary
// through a temporary file renamed into place, so a failed install leaves the old
// binary (or none) rather than half a file.
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, lstatSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { toYaml } from "../yaml/printer.js";
import { detectArchiveFormat, extractBinary } from "./archive.js";
import { httpGet, isPlainFileName } from "./catalog.js";
import { PLUGIN_PREFIX } from "./discovery.js";
import type { PluginManifest, PluginPlatform, PluginReceipt, PluginVersion } from "./types.js";

export interface InstallerOptions {
  /** The whole download, retries included (upstream: 5 minutes). */
  timeoutMs?: number;
  retryDelayMs?: number | undefined;
  /** The receipt's installedAt (tests). */
  now?: () => Date;
  platform?: NodeJS.Platform;
}

/** The receipt's path: flux-<name>.yaml in the plugin directory. */
export function receiptPath(dir: string, name: string): string {
  return join(dir, `${PLUGIN_PREFIX}${name}.yaml`);
}

/** What an install recorded; undefined for a plugin put there by hand (or an unreadable receipt). */
export function readReceipt(dir: string, name: string): PluginReceipt | undefined {
  try {
    const value: unknown = parse(readFileSync(receiptPath(dir, name), "utf8"));
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    const r = value as Partial<PluginReceipt>;
    // sigs.k8s.io/yaml into a struct: a number where a string belongs fails the decode
    if (r.version !== undefined && typeof r.version !== "string") return undefined;
    return { name: "", version: "", installedAt: "", ...r } as PluginReceipt;
  } catch {
    return undefined;
  }
}

/** RFC 3339 in UTC without fractions, as Go's time.RFC3339 formats it. */
function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Downloads, verifies and installs one platform's binary of a plugin version, then writes its receipt. */
export async function installPlugin(
  dir: string,
  manifest: PluginManifest,
  version: PluginVersion,
  platform: PluginPlatform,
  opts: InstallerOptions = {},
): Promise<void> {
  let data: Buffer;
  try {
    data = await httpGet(platform.url, { timeoutMs: opts.timeoutMs ?? 5 * 60_000, retryDelayMs: opts.retryDelayMs });
  } catch (err) {
    throw new Error(`failed to download plugin: ${(err as Error).message}`, { cause: err });
  }
  const actual = `sha256:${createHash("sha256").update(data).digest("hex")}`;
  if (actual !== platform.checksum) {
    throw new Error(`checksum verification failed (expected: ${platform.checksum}, got: ${actual})`);
  }
  // bin is the catalog's word and is joined to the directory: one plain file name only
  if (!isPlainFileName(manifest.bin)) {
    throw new Error(`invalid plugin binary name ${JSON.stringify(manifest.bin ?? "")}: must be a plain filename`);
  }
  const binName = (opts.platform ?? process.platform) === "win32" ? `${manifest.bin}.exe` : manifest.bin;
  const format = detectArchiveFormat(data, platform.url);
  const binary = extractBinary(data, format, platform.extractPath || binName);
  writeExecutable(join(dir, binName), binary);
  const receipt: PluginReceipt = {
    name: manifest.name,
    version: version.version,
    installedAt: rfc3339(opts.now?.() ?? new Date()),
    platform,
  };
  writeFileSync(receiptPath(dir, manifest.name), toYaml(receipt), { mode: 0o644 });
}

/** Writes the binary (0755) next to its destination and renames it into place. */
function writeExecutable(dest: string, data: Buffer): void {
  const tmp = `${dest}.tmp-${randomBytes(4).toString("hex")}`;
  try {
    writeFileSync(tmp, data, { mode: 0o755 });
    chmodSync(tmp, 0o755); // the umask may have taken bits away
    renameSync(tmp, dest);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new Error(`failed to create ${dest}: ${(err as Error).message}`, { cause: err });
  }
}

/** Removes a plugin's binary (a link itself, not what it points to) and its receipt, if any. */
export function uninstallPlugin(dir: string, name: string, platform: NodeJS.Platform = process.platform): void {
  const file = `${PLUGIN_PREFIX}${name}${platform === "win32" ? ".exe" : ""}`;
  // a name with a separator names no file of the plugin directory
  if (!isPlainFileName(file)) throw new Error(`plugin ${JSON.stringify(name)} is not installed`);
  const bin = join(dir, file);
  try {
    lstatSync(bin);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT")
      throw new Error(`plugin ${JSON.stringify(name)} is not installed`, { cause: err });
  }
  try {
    unlinkSync(bin);
  } catch (err) {
    throw new Error(`failed to remove plugin binary: ${(err as Error).message}`, { cause: err });
  }
  try {
    unlinkSync(receiptPath(dir, name));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT")
      throw new Error(`failed to remove plugin receipt: ${(err as Error).message}`, { cause: err });
  }
}
