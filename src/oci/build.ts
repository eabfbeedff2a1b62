// Reproducible artifact tarballs: the layout fluxcd/pkg/oci builds (a "." root entry,
// entries in lexical walk order, names relative to the root, uid/gid/owner names and
// all timestamps zeroed, permission bits kept), filtered by --ignore-paths and every
// .sourceignore file, compressed with fixed gzip settings. Same input, same bytes.
import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { open, readFile, rename, rm, stat, chmod } from "node:fs/promises";
import path from "node:path";
import { CliError } from "../errors.js";
import { DEFAULT_IGNORE_PATHS } from "./constants.js";
import { IgnoreMatcher, IgnorePattern, loadIgnoreFiles } from "./ignore.js";
import { gzipDeterministic, TarWriter } from "./tar.js";

export interface BuildOptions {
  /** Patterns in .gitignore format; defaults to upstream's VCS and binary extensions. */
  ignorePaths?: readonly string[];
  /** Follow symlinks and archive their targets (default: symlinks are skipped). */
  resolveSymlinks?: boolean;
  /** Read .sourceignore files found in the source (default true). */
  sourceIgnore?: boolean;
}

export interface BuiltArtifact {
  /** The gzipped tarball. */
  data: Buffer;
  /** sha256:<hex> of data. */
  digest: string;
  /** sha256:<hex> of the uncompressed tar (the image config's diff_id). */
  diffId: string;
  /** Archived paths (files and directories), in archive order. */
  entries: string[];
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

export function sha256Digest(data: Buffer): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

/** Builds the artifact of a directory or a single file in memory. */
export async function buildArtifact(source: string, opts: BuildOptions = {}): Promise<BuiltArtifact> {
  const abs = path.resolve(source);
  let info;
  try {
    info = await stat(abs);
  } catch {
    throw new CliError(`invalid path '${source}', must point to an existing directory or file`);
  }
  const patterns: IgnorePattern[] = (opts.ignorePaths ?? DEFAULT_IGNORE_PATHS).map((p) => new IgnorePattern(p));
  const tw = new TarWriter();
  const entries: string[] = [];

  if (!info.isDirectory()) {
    // A single file is archived as upstream does: staged alone in a fresh (0700) directory.
    const name = path.basename(abs);
    const matcher = new IgnoreMatcher(patterns);
    tw.addDirectory(".", 0o700);
    entries.push(".");
    if (!matcher.ignores(name, false)) {
      tw.addFile(name, info.mode & 0o7777, await readFile(abs));
      entries.push(name);
    }
  } else {
    if (opts.sourceIgnore !== false) patterns.push(...(await loadIgnoreFiles(abs)));
    const matcher = new IgnoreMatcher(patterns);
    const visiting = new Set<string>();
    tw.addDirectory(".", info.mode & 0o7777);
    entries.push(".");
    walk(abs, "", matcher, tw, entries, opts.resolveSymlinks === true, visiting);
  }
  const tar = tw.finish();
  const data = gzipDeterministic(tar);
  return { data, digest: sha256Digest(data), diffId: sha256Digest(tar), entries };
}

// Synchronous on purpose: thousands of small files are read much faster without a
// thread-pool round trip per call.
function walk(
  dir: string,
  rel: string,
  matcher: IgnoreMatcher,
  tw: TarWriter,
  entries: string[],
  resolveSymlinks: boolean,
  visiting: Set<string>,
): void {
  const real = realpathSync(dir);
  if (visiting.has(real)) return; // a symlink cycle
  visiting.add(real);
  const names = readdirSync(dir).sort(byteOrder);
  for (const name of names) {
    const full = path.join(dir, name);
    const relPath = rel === "" ? name : `${rel}/${name}`;
    let st = lstatSync(full);
    if (st.isSymbolicLink()) {
      if (!resolveSymlinks) continue;
      try {
        st = statSync(full);
      } catch {
        throw new CliError(`resolving symlinks failed: broken symlink ${relPath}`);
      }
    }
    if (!st.isFile() && !st.isDirectory()) continue;
    const isDir = st.isDirectory();
    if (!matcher.ignores(relPath, isDir)) {
      if (isDir) tw.addDirectory(relPath, st.mode & 0o7777);
      else tw.addFile(relPath, st.mode & 0o7777, readFileSync(full));
      entries.push(relPath);
    }
    // Like filepath.Walk with a filter: an ignored directory is still walked, so a
    // negated pattern can bring back one of its files.
    if (isDir) walk(full, relPath, matcher, tw, entries, resolveSymlinks, visiting);
  }
  visiting.delete(real);
}

/** Writes data to file atomically (a temporary sibling renamed into place), mode 0640 as upstream. */
export async function writeFileAtomic(file: string, data: Buffer, mode = 0o640): Promise<void> {
  const abs = path.resolve(file);
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.${process.pid}.${Date.now()}.tmp`);
  const fh = await open(tmp, "wx", mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (err) {
    await fh.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await fh.close();
  try {
    await chmod(tmp, mode);
    await rename(tmp, abs);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Reads stdin into a temporary YAML file (trailing newlines trimmed, as upstream). */
export async function saveStdinToFile(stdin: NodeJS.ReadableStream, dir: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  let data = Buffer.concat(chunks);
  let end = data.length;
  while (end > 0 && (data[end - 1] === 0x0a || data[end - 1] === 0x0d)) end--;
  data = data.subarray(0, end);
  // A fixed name keeps builds from stdin reproducible (upstream uses a random one).
  const file = path.join(dir, "stdin.yaml");
  const fh = await open(file, "wx", 0o600);
  await fh.writeFile(data);
  await fh.close();
  return file;
}
