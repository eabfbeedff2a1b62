// .gitignore-format matching with the semantics of fluxcd/pkg/sourceignore (a copy of
// go-git's gitignore package): patterns are scoped to a domain (the directory that
// declared them), the last matching pattern wins, `!` re-includes, a trailing `/`
// matches directories only, and names are matched with Go's filepath.Match.
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { IGNORE_FILE } from "./constants.js";

type Result = "none" | "exclude" | "include";

/** Go's filepath.Match for one path component, compiled to a RegExp; null when malformed. */
export function compileGoGlob(pattern: string): RegExp | null {
  let re = "^";
  let i = 0;
  const esc = (c: string) => c.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
  while (i < pattern.length) {
    const c = pattern.charAt(i);
    if (c === "*") {
      re += "[^/]*";
      i++;
    } else if (c === "?") {
      re += "[^/]";
      i++;
    } else if (c === "\\") {
      if (i + 1 >= pattern.length) return null;
      re += esc(pattern.charAt(i + 1));
      i += 2;
    } else if (c === "[") {
      i++;
      let negate = false;
      if (pattern[i] === "^") {
        negate = true;
        i++;
      }
      let cls = "";
      let n = 0;
      for (;;) {
        if (i >= pattern.length) return null;
        if (pattern[i] === "]" && n > 0) {
          i++;
          break;
        }
        const lo = readClassChar();
        if (lo === null) return null;
        let item = esc(lo);
        if (pattern[i] === "-") {
          i++;
          const hi = readClassChar();
          if (hi === null) return null;
          if (hi < lo) return null;
          item = `${esc(lo)}-${esc(hi)}`;
        }
        cls += item;
        n++;
      }
      re += negate ? `[^/${cls}]` : `[${cls}]`;
    } else {
      re += esc(c);
      i++;
    }
  }
  return new RegExp(re + "$", "s");

  function readClassChar(): string | null {
    const c = pattern[i];
    if (c === undefined || c === "-" || c === "]") return null;
    if (c === "\\") {
      i++;
      const e = pattern[i];
      if (e === undefined) return null;
      i++;
      return e;
    }
    i++;
    return c;
  }
}

const globCache = new Map<string, RegExp | null>();

function goMatch(pattern: string, name: string): boolean {
  let re = globCache.get(pattern);
  if (re === undefined) {
    re = compileGoGlob(pattern);
    globCache.set(pattern, re);
  }
  return re !== null && re.test(name);
}

export class IgnorePattern {
  readonly domain: string[];
  readonly parts: string[];
  readonly inclusion: boolean;
  readonly dirOnly: boolean;
  readonly isGlob: boolean;

  constructor(raw: string, domain: string[] = []) {
    let p = raw;
    this.domain = [...domain];
    let inclusion = false;
    if (p.startsWith("!")) {
      inclusion = true;
      p = p.slice(1);
    }
    if (!p.endsWith("\\ ")) p = p.replace(/ +$/, "");
    let dirOnly = false;
    if (p.endsWith("/")) {
      dirOnly = true;
      p = p.slice(0, -1);
    }
    this.inclusion = inclusion;
    this.dirOnly = dirOnly;
    this.isGlob = p.includes("/");
    this.parts = p.split("/");
  }

  match(pathParts: string[], isDir: boolean): Result {
    if (pathParts.length <= this.domain.length) return "none";
    for (let i = 0; i < this.domain.length; i++) if (pathParts[i] !== this.domain[i]) return "none";
    const rest = pathParts.slice(this.domain.length);
    const ok = this.isGlob ? this.globMatch(rest, isDir) : this.simpleNameMatch(rest, isDir);
    if (!ok) return "none";
    return this.inclusion ? "include" : "exclude";
  }

  private simpleNameMatch(parts: string[], isDir: boolean): boolean {
    const [name = ""] = this.parts; // a split: never empty
    for (const [i, part] of parts.entries()) {
      if (!goMatch(name, part)) continue;
      if (this.dirOnly && !isDir && i === parts.length - 1) return false;
      return true;
    }
    return false;
  }

  private globMatch(input: string[], isDir: boolean): boolean {
    let rest = input;
    let matched = false;
    let canTraverse = false;
    for (const [i, pattern] of this.parts.entries()) {
      if (pattern === "") {
        canTraverse = false;
        continue;
      }
      if (pattern === "**") {
        if (i === this.parts.length - 1) break;
        canTraverse = true;
        continue;
      }
      if (pattern.includes("**")) return false;
      if (rest.length === 0) return false;
      if (canTraverse) {
        canTraverse = false;
        for (let e = rest[0]; e !== undefined; e = rest[0]) {
          rest = rest.slice(1);
          if (compileGoGlob(pattern) === null) return false;
          if (goMatch(pattern, e)) {
            matched = true;
            break;
          } else if (rest.length === 0) {
            matched = false;
          }
        }
      } else {
        const [head] = rest;
        if (head === undefined || !goMatch(pattern, head)) return false;
        matched = true;
        rest = rest.slice(1);
      }
    }
    if (matched && this.dirOnly && !isDir && rest.length === 0) matched = false;
    return matched;
  }
}

/** The last pattern that matches decides; no match means not ignored. */
export class IgnoreMatcher {
  constructor(readonly patterns: IgnorePattern[]) {}

  /** `rel` is a slash-separated path relative to the archive root. */
  ignores(rel: string, isDir: boolean): boolean {
    const parts = rel.split("/");
    for (const pattern of this.patterns.toReversed()) {
      const r = pattern.match(parts, isDir);
      if (r !== "none") return r === "exclude";
    }
    return false;
  }
}

/** Parses the lines of an ignore file (comments and blank lines skipped). */
export function readPatterns(text: string, domain: string[] = []): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith("#") || line.trim() === "") continue;
    out.push(new IgnorePattern(line, domain));
  }
  return out;
}

/** Loads every .sourceignore below dir (each scoped to its directory), like sourceignore.LoadIgnorePatterns. */
export async function loadIgnoreFiles(dir: string, domain: string[] = []): Promise<IgnorePattern[]> {
  const out: IgnorePattern[] = [];
  try {
    out.push(...readPatterns(await readFile(path.join(dir, IGNORE_FILE), "utf8"), domain));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT" && (err as NodeJS.ErrnoException).code !== "EISDIR") throw err;
  }
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.isDirectory() && e.name !== ".git")
      out.push(...(await loadIgnoreFiles(path.join(dir, e.name), [...domain, e.name])));
  }
  return out;
}
