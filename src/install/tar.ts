// A small, strict tar reader for release bundles (manifests.tar.gz): ustar/GNU/pax
// headers, regular files and directories only, no absolute paths or "..", bounded
// entry count and sizes. Extraction writes below the target directory only.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";

export class TarError extends Error {}

export interface TarEntry {
  /** Normalised relative path with "/" separators. */
  path: string;
  type: "file" | "dir";
  data: Buffer;
}

export interface TarLimits {
  /** Maximum uncompressed size of the archive (default 256 MiB). */
  maxBytes?: number;
  /** Maximum number of entries (default 10000). */
  maxEntries?: number;
}

function field(buf: Buffer, off: number, len: number): string {
  const raw = buf.subarray(off, off + len);
  const nul = raw.indexOf(0);
  return raw.subarray(0, nul === -1 ? len : nul).toString("utf8");
}

function octal(buf: Buffer, off: number, len: number): number {
  const raw = buf.subarray(off, off + len);
  if ((raw[0] ?? 0) & 0x80) throw new TarError("base-256 sizes are not supported");
  const s = field(buf, off, len).trim();
  if (s === "") return 0;
  if (!/^[0-7]+$/.test(s)) throw new TarError(`invalid octal number in tar header: ${JSON.stringify(s)}`);
  return parseInt(s, 8);
}

function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    if (sp === -1) break;
    const len = Number(data.subarray(i, sp).toString("ascii"));
    if (!Number.isInteger(len) || len <= 0 || i + len > data.length) throw new TarError("invalid pax header");
    const rec = data.subarray(sp + 1, i + len - 1).toString("utf8");
    const eq = rec.indexOf("=");
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}

/** Rejects absolute paths, drive letters, backslashes and any ".." component. */
export function safeRelativePath(name: string): string | undefined {
  if (name.includes("\0") || name.includes("\\")) throw new TarError(`unsafe path in archive: ${JSON.stringify(name)}`);
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) throw new TarError(`absolute path in archive: ${name}`);
  const parts = name.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.some((p) => p === "..")) throw new TarError(`path traversal in archive: ${name}`);
  return parts.length === 0 ? undefined : parts.join("/");
}

/** Reads an uncompressed tar archive. */
export function readTar(tar: Buffer, limits: TarLimits = {}): TarEntry[] {
  const maxEntries = limits.maxEntries ?? 10_000;
  const entries: TarEntry[] = [];
  let off = 0;
  let longName: string | undefined;
  let pax: Record<string, string> = {};
  while (off + 512 <= tar.length) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break; // end of archive
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : (h[i] ?? 0);
    if (sum !== octal(h, 148, 8)) throw new TarError("invalid tar header checksum (not a tar archive, or corrupted)");
    const size = octal(h, 124, 12);
    const type = String.fromCharCode(h[156] || 0x30);
    const dataStart = off + 512;
    const dataEnd = dataStart + size;
    if (dataEnd > tar.length) throw new TarError("truncated tar archive");
    const data = tar.subarray(dataStart, dataEnd);
    off = dataStart + Math.ceil(size / 512) * 512;
    if (type === "x") {
      pax = parsePax(data);
      continue;
    }
    if (type === "g") continue;
    if (type === "L") {
      longName = field(data, 0, data.length);
      continue;
    }
    const prefix = h.subarray(257, 262).toString("ascii") === "ustar" ? field(h, 345, 155) : "";
    let name = field(h, 0, 100);
    if (prefix) name = `${prefix}/${name}`;
    if (longName !== undefined) name = longName;
    if (pax.path !== undefined) name = pax.path;
    longName = undefined;
    pax = {};
    if (type !== "0" && type !== "5" && type !== "7") {
      throw new TarError(`unsupported entry type '${type}' for ${name} (links and devices are not allowed)`);
    }
    const rel = safeRelativePath(name);
    if (rel === undefined) continue;
    entries.push({
      path: rel,
      type: type === "5" ? "dir" : "file",
      data: type === "5" ? Buffer.alloc(0) : Buffer.from(data),
    });
    if (entries.length > maxEntries) throw new TarError(`too many entries in archive (more than ${maxEntries})`);
  }
  return entries;
}

/** Gunzips (bounded) and reads a .tar.gz archive. */
export function readTarGz(gz: Buffer, limits: TarLimits = {}): TarEntry[] {
  const maxBytes = limits.maxBytes ?? 256 * 1024 * 1024;
  let tar: Buffer;
  try {
    tar = gunzipSync(gz, { maxOutputLength: maxBytes });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === "ERR_BUFFER_TOO_LARGE" || /maxOutputLength|Cannot create a Buffer larger/.test(e.message)) {
      throw new TarError(`archive expands to more than ${maxBytes} bytes`);
    }
    throw new TarError(`not a gzip archive: ${e.message}`);
  }
  return readTar(tar, limits);
}

/** Writes the entries below dir (which must exist). */
export function extractEntries(entries: TarEntry[], dir: string): void {
  const root = path.resolve(dir);
  for (const e of entries) {
    const target = path.resolve(root, ...e.path.split("/"));
    if (target !== root && !target.startsWith(root + path.sep))
      throw new TarError(`path escapes the target directory: ${e.path}`);
    if (e.type === "dir") mkdirSync(target, { recursive: true });
    else {
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, e.data, { mode: 0o644, flag: "wx" });
    }
  }
}
