// `flux migrate -f <path>`: Flux objects in YAML files moved to the latest API versions,
// line by line as upstream flux v2.9.5 does it (cmd/flux/migrate.go FileSystemMigrator):
// an `apiVersion: <group>/<version>` line followed by a `kind: <Kind>` line is an object
// (also inside lists such as dependsOn); its version is replaced when the target Flux
// version has a newer one. Comments, layout and everything else stay byte for byte.
// Paths are read below the current working directory only (upstream opens it as an
// os.Root), printed as given, cleaned.
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { groupKindKey, type LatestVersions } from "../kinds/api-versions.js";
import type { Logger } from "../output/logger.js";

export interface FileMigrationOptions {
  /** The file or directory, relative to the working directory. */
  path: string;
  /** File name endings to consider (--extensions). */
  extensions: string[];
  latest: LatestVersions;
  dryRun: boolean;
  /** Asked before writing (unless --yes): true to go on. */
  confirm: () => Promise<boolean>;
  logger: Logger;
  /** The working directory (default process.cwd()). */
  cwd?: string;
}

export interface ApiUpgrade {
  /** 0-based line index. */
  line: number;
  kind: string;
  oldVersion: string;
  newVersion: string;
}

export class MigrationError extends Error {}

/** Go's filepath.Clean for slash-separated relative paths ("dir/" → "dir", "" → "."). */
export function cleanPath(p: string): string {
  if (p === "") return ".";
  const clean = path.posix.normalize(p);
  return clean.length > 1 && clean.endsWith("/") ? clean.slice(0, -1) : clean;
}

/** k8s.io/apimachinery schema.ParseGroupVersion. */
export function parseGroupVersion(gv: string): { group: string; version: string } {
  if (gv === "" || gv === "/") return { group: "", version: "" };
  const parts = gv.split("/");
  const [group = "", version = ""] = parts;
  if (parts.length === 1) return { group: "", version: gv };
  if (parts.length === 2) return { group, version };
  throw new MigrationError(`unexpected GroupVersion string: ${gv}`);
}

/** The upgrades one file's text needs; unparseable apiVersions are warned about and skipped. */
export function detectUpgrades(
  file: string,
  text: string,
  latest: LatestVersions,
  warn: (message: string) => void,
): ApiUpgrade[] {
  const lines = text.split("\n");
  const upgrades: ApiUpgrade[] = [];
  const valueAfter = (line: string, prefix: string): string | undefined => {
    const i = line.indexOf(prefix);
    return i === -1
      ? undefined
      : (line
          .slice(i + prefix.length)
          .trim()
          .split(" ")[0] ?? "");
  };
  lines.forEach((line, i) => {
    const apiVersion = valueAfter(line, "apiVersion: ");
    if (apiVersion === undefined) return;
    let gv;
    try {
      gv = parseGroupVersion(apiVersion);
    } catch (err) {
      warn(`${file}:${i + 1}: ${(err as Error).message}`);
      return;
    }
    const next = lines[i + 1];
    if (next === undefined) return;
    const kind = valueAfter(next, "kind: ");
    if (kind === undefined) return;
    const newVersion = latest.get(groupKindKey(gv.group, kind));
    if (newVersion === undefined || newVersion === gv.version) return;
    upgrades.push({ line: i, kind, oldVersion: gv.version, newVersion });
  });
  return upgrades;
}

/** The text with each upgrade's first occurrence of the old version on its line replaced. */
export function applyUpgrades(text: string, upgrades: ApiUpgrade[]): string {
  const lines = text.split("\n");
  for (const u of upgrades) {
    const line = lines[u.line];
    if (line === undefined) continue;
    const at = line.indexOf(u.oldVersion);
    if (at !== -1) lines[u.line] = line.slice(0, at) + u.newVersion + line.slice(at + u.oldVersion.length);
  }
  return lines.join("\n");
}

function errnoText(err: unknown, op: string, p: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    ENOENT: "no such file or directory",
    EACCES: "permission denied",
    ENOTDIR: "not a directory",
    ELOOP: "too many levels of symbolic links",
  };
  return `${op} ${p}: ${(code && words[code]) ?? (err as Error).message}`;
}

export async function migrateFiles(o: FileMigrationOptions): Promise<void> {
  const cwd = o.cwd ?? process.cwd();
  const root = cleanPath(o.path);
  const { logger } = o;
  logger.action("starting migration of custom resources");
  const abs = (p: string) => path.resolve(cwd, p);
  const matches = (p: string) => o.extensions.some((ext) => p.endsWith(ext));

  // upstream opens the working directory as an os.Root: nothing outside it is read or written
  const inside = root !== ".." && !root.startsWith("../") && !path.isAbsolute(root);
  let real: string | undefined;
  try {
    real = realpathSync(abs(root));
  } catch {}
  const realCwd = realpathSync(cwd);
  if (!inside || (real !== undefined && real !== realCwd && !real.startsWith(realCwd + path.sep))) {
    throw new MigrationError(
      `failed to stat path ${root}: the path is outside the current working directory; run flux migrate from a directory that holds it`,
    );
  }
  let isDir: boolean;
  try {
    isDir = statSync(abs(root)).isDirectory();
  } catch (err) {
    throw new MigrationError(`failed to stat path ${root}: ${errnoText(err, "openat", root)}`, { cause: err });
  }

  const files: string[] = [];
  if (isDir) {
    // fs.WalkDir: lexical order, directories entered where they sort, links not followed
    const walk = (dir: string) => {
      let names: string[];
      try {
        names = readdirSync(abs(dir));
      } catch (err) {
        throw new MigrationError(`failed to walk directory ${root}: ${errnoText(err, "open", dir)}`, { cause: err });
      }
      for (const name of names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
        const p = dir === "." ? name : `${dir}/${name}`;
        const st = lstatSync(abs(p));
        if (matches(p)) {
          if (st.isFile()) files.push(p);
          else if (!st.isDirectory()) logger.warning(`skipping irregular file ${p}`);
        }
        if (st.isDirectory()) walk(p);
      }
    };
    walk(root);
  } else {
    if (!matches(root)) {
      throw new MigrationError(`file ${root} does not match the specified extensions: ${o.extensions.join(", ")}`);
    }
    if (!lstatSync(abs(root)).isFile()) throw new MigrationError(`file ${root} is irregular`);
    files.push(root);
  }

  const found: { file: string; upgrades: ApiUpgrade[] }[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(abs(file), "utf8");
    } catch (err) {
      throw new MigrationError(`failed to read file ${file}: ${errnoText(err, "open", file)}`, { cause: err });
    }
    const upgrades = detectUpgrades(file, text, o.latest, (m) => logger.warning(m));
    if (upgrades.length === 0) continue;
    found.push({ file, upgrades });
    for (const u of upgrades) logger.generate(`${file}:${u.line + 1}: ${u.kind} ${u.oldVersion} -> ${u.newVersion}`);
  }
  if (found.length === 0) {
    logger.success("no custom resources found that require migration");
    return;
  }
  if (o.dryRun) {
    logger.success("dry-run mode enabled, no changes will be made");
    return;
  }
  if (!(await o.confirm())) return;

  for (const { file, upgrades } of found) {
    let text: string;
    try {
      text = readFileSync(abs(file), "utf8");
    } catch (err) {
      throw new MigrationError(`failed to read file ${file}: ${errnoText(err, "open", file)}`, { cause: err });
    }
    try {
      // in place: the file keeps its mode, owner and links
      writeFileSync(abs(file), applyUpgrades(text, upgrades));
    } catch (err) {
      throw new MigrationError(`failed to write file ${file}: ${errnoText(err, "open", file)}`, { cause: err });
    }
    logger.success(`file ${file} migrated successfully`);
  }
  logger.success("custom resources migrated successfully");
}
