// Safe extraction of an artifact tarball: every entry is checked before anything
// touches the target (no absolute paths, no `..`, no links, no devices, a size cap),
// files are staged in a fresh directory, then moved into place; a failure leaves the
// target as it was.
import { lstatSync, mkdirSync, renameSync, utimesSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { CliError } from "../errors.js";
import { DEFAULT_MAX_UNTAR_BYTES } from "./constants.js";
import { gunzipLimited, readTar, TarFormatError, type TarEntry } from "./tar.js";

export interface ExtractOptions {
  /** Cap on the uncompressed size (default 512 MiB). */
  maxBytes?: number;
  /** Cap on the number of entries (default 100000). */
  maxEntries?: number;
}

/** Normalises an entry name to a safe relative slash path; null for the root itself. */
export function safeEntryPath(name: string): string | null {
  if (name === "" || name.includes("\0") || name.includes("\\"))
    throw new CliError(`tar contained invalid name error "${name}"`);
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) throw new CliError(`tar contained invalid name error "${name}"`);
  const parts: string[] = [];
  for (const seg of name.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") throw new CliError(`tar contained invalid name error "${name}"`);
    parts.push(seg);
  }
  return parts.length === 0 ? null : parts.join("/");
}

export interface PlannedEntry {
  rel: string;
  type: "file" | "dir";
  perm: number;
  mtime: number;
  data: Buffer;
}

/** Decompresses and validates every entry; nothing is written. Symlinks and hard links are skipped. */
export function planExtraction(gz: Buffer, opts: ExtractOptions = {}): { entries: PlannedEntry[]; skipped: string[] } {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_UNTAR_BYTES;
  const maxEntries = opts.maxEntries ?? 100_000;
  let tarEntries: TarEntry[];
  try {
    // The tar framing adds at most a few blocks per entry on top of the content.
    tarEntries = readTar(gunzipLimited(gz, maxBytes + Math.min(64 * 1024 * 1024, 1024 * (maxEntries + 2))));
  } catch (err) {
    if (err instanceof TarFormatError) throw new CliError(`extracting layer failed: ${err.message}`);
    throw err;
  }
  if (tarEntries.length > maxEntries) throw new CliError(`extracting layer failed: more than ${maxEntries} entries`);
  const entries: PlannedEntry[] = [];
  const skipped: string[] = [];
  const kinds = new Map<string, "file" | "dir">();
  let total = 0;
  for (const e of tarEntries) {
    const rel = safeEntryPath(e.name);
    if (rel === null) continue;
    if (e.type === "symlink" || e.type === "hardlink") {
      skipped.push(rel);
      continue;
    }
    if (e.type === "other") throw new CliError(`tar file entry ${e.name} contained unsupported file type`);
    total += e.size;
    if (total > maxBytes) throw new CliError(`tar "${e.name}" is bigger than max archive size of ${maxBytes} bytes`);
    // Parents must be directories, and a path cannot be both a file and a directory.
    const segs = rel.split("/");
    for (let i = 1; i < segs.length; i++) {
      const parent = segs.slice(0, i).join("/");
      if (kinds.get(parent) === "file")
        throw new CliError(`tar contained invalid name error "${e.name}": parent is a file`);
      if (!kinds.has(parent)) kinds.set(parent, "dir");
    }
    const prev = kinds.get(rel);
    if (prev && prev !== e.type) throw new CliError(`tar contained conflicting entries for "${e.name}"`);
    kinds.set(rel, e.type);
    entries.push({ rel, type: e.type, perm: e.mode & 0o777, mtime: e.mtime, data: e.data });
  }
  // A name given twice: the last entry wins, as when a tar is extracted in order.
  const last = new Map<string, PlannedEntry>();
  for (const e of entries) last.set(e.rel, e);
  return { entries: [...last.values()], skipped };
}

function lstatOrNull(p: string) {
  try {
    return lstatSync(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

/**
 * Extracts a gzipped tarball into dir (which must exist). Everything is validated and
 * written to a staging directory inside dir first; existing symlinks in dir are never
 * followed; then the staged paths are renamed into place.
 */
export async function extractTarGz(
  gz: Buffer,
  dir: string,
  opts: ExtractOptions = {},
): Promise<{ files: number; skipped: string[] }> {
  const target = path.resolve(dir);
  const { entries, skipped } = planExtraction(gz, opts);

  // Check the target before writing: no path may cross a symlink or change kind.
  const checked = new Set<string>();
  for (const e of entries) {
    const segs = e.rel.split("/");
    for (let i = 1; i <= segs.length; i++) {
      const rel = segs.slice(0, i).join("/");
      if (checked.has(rel)) continue;
      checked.add(rel);
      const st = lstatOrNull(path.join(target, rel));
      if (!st) continue;
      const wantDir = i < segs.length || e.type === "dir";
      if (st.isSymbolicLink()) throw new CliError(`refusing to extract through the symlink ${path.join(dir, rel)}`);
      if (wantDir && !st.isDirectory())
        throw new CliError(`cannot extract ${rel}: ${path.join(dir, rel)} exists and is not a directory`);
      if (!wantDir && !st.isFile())
        throw new CliError(`cannot extract ${rel}: ${path.join(dir, rel)} exists and is not a file`);
    }
  }

  const stage = await mkdtemp(path.join(target, ".tsflux-pull-"));
  const now = Date.now() / 1000;
  try {
    // Synchronous on purpose: many small files, no thread-pool round trip each.
    for (const e of entries) {
      const p = path.join(stage, e.rel);
      if (e.type === "dir") {
        mkdirSync(p, { recursive: true, mode: 0o750 });
      } else {
        mkdirSync(path.dirname(p), { recursive: true, mode: 0o750 });
        writeFileSync(p, e.data, { mode: e.perm || 0o600 });
        const t = Math.min(e.mtime, now);
        utimesSync(p, t, t);
      }
    }
    // Move into place: directories are created, files renamed over.
    let files = 0;
    const made = new Set<string>();
    for (const e of entries) {
      const dst = path.join(target, e.rel);
      const parent = e.type === "dir" ? dst : path.dirname(dst);
      if (!made.has(parent)) {
        mkdirSync(parent, { recursive: true, mode: 0o750 });
        made.add(parent);
      }
      if (e.type === "file") {
        renameSync(path.join(stage, e.rel), dst);
        files++;
      }
    }
    return { files, skipped };
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}
