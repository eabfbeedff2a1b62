// .gitignore-style matching as Flux uses it (go-git's gitignore matcher through
// fluxcd/pkg/sourceignore): patterns carry a domain (the directory of the
// .sourceignore that declared them), the last matching pattern wins, `!`
// re-includes, a trailing `/` matches directories only, a pattern holding a `/`
// is anchored and may use `**`; otherwise it matches any path component.

import { must } from "../util/must.js";

export interface IgnorePattern {
  domain: string[];
  inclusion: boolean;
  dirOnly: boolean;
  isGlob: boolean;
  parts: string[];
}

export const IGNORE_FILE = ".sourceignore";
export const EXCLUDE_VCS = ".git/,.gitignore,.gitmodules,.gitattributes";
export const EXCLUDE_EXT = "*.jpg,*.jpeg,*.gif,*.png,*.wmv,*.flv,*.tar.gz,*.zip";
export const EXCLUDE_CI =
  ".github/,.circleci/,.travis.yml,.gitlab-ci.yml,appveyor.yml,.drone.yml,cloudbuild.yaml,codeship-services.yml,codeship-steps.yml";
export const EXCLUDE_EXTRA = "**/.goreleaser.yml,**/.sops.yaml,**/.flux.yaml";

export function parsePattern(line: string, domain: string[] = []): IgnorePattern {
  let p = line;
  const res: IgnorePattern = { domain: [...domain], inclusion: false, dirOnly: false, isGlob: false, parts: [] };
  if (p.startsWith("!")) {
    res.inclusion = true;
    p = p.slice(1);
  }
  if (!p.endsWith("\\ ")) p = p.replace(/ +$/, "");
  if (p.endsWith("/")) {
    res.dirOnly = true;
    p = p.slice(0, -1);
  }
  if (p.includes("/")) res.isGlob = true;
  res.parts = p.split("/");
  return res;
}

/** Reads patterns from text (one per line, `#` comments and blank lines skipped). */
export function readPatterns(text: string, domain: string[] = []): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith("#") || line.trim() === "") continue;
    out.push(parsePattern(line, domain));
  }
  return out;
}

export function defaultPatterns(domain: string[] = []): IgnorePattern[] {
  const vcs = EXCLUDE_VCS.split(",").map((p) => parsePattern(p, domain));
  const rest = [EXCLUDE_EXT, EXCLUDE_CI, EXCLUDE_EXTRA]
    .join(",")
    .split(",")
    .map((p) => parsePattern(p, domain));
  return [...vcs, ...rest];
}

const regexCache = new Map<string, RegExp | null>();

/** Go's filepath.Match for one path component (no separators involved). */
export function fnmatch(pattern: string, name: string): boolean {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    re = compileGlob(pattern);
    regexCache.set(pattern, re);
  }
  return re ? re.test(name) : false;
}

function compileGlob(pattern: string): RegExp | null {
  let out = "";
  const esc = (c: string) => c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "\\") {
      if (++i >= pattern.length) return null;
      out += esc(pattern.charAt(i));
    } else if (c === "[") {
      let j = i + 1;
      let cls = "";
      if (pattern[j] === "^") {
        cls += "^";
        j++;
      }
      let first = true;
      for (; j < pattern.length && (pattern[j] !== "]" || first); j++) {
        first = false;
        const ch = pattern.charAt(j);
        if (ch === "\\") {
          j++;
          if (j >= pattern.length) return null;
          cls += esc(pattern.charAt(j));
        } else if (ch === "-") cls += "-";
        else cls += esc(ch);
      }
      if (j >= pattern.length) return null;
      out += `[${cls}]`;
      i = j;
    } else out += esc(c);
  }
  try {
    return new RegExp(`^${out}$`, "s");
  } catch {
    return null;
  }
}

function simpleNameMatch(p: IgnorePattern, path: string[], isDir: boolean): boolean {
  const [name = ""] = p.parts; // a split: never empty
  for (const [i, component] of path.entries()) {
    if (!fnmatch(name, component)) continue;
    if (p.dirOnly && !isDir && i === path.length - 1) return false;
    return true;
  }
  return false;
}

function globMatch(p: IgnorePattern, pathIn: string[], isDir: boolean): boolean {
  let path = pathIn;
  let matched = false;
  let canTraverse = false;
  for (const [i, part] of p.parts.entries()) {
    if (part === "") {
      canTraverse = false;
      continue;
    }
    if (part === "**") {
      if (i === p.parts.length - 1) break;
      canTraverse = true;
      continue;
    }
    if (part.includes("**")) return false;
    if (path.length === 0) return false;
    if (canTraverse) {
      canTraverse = false;
      for (let e = path[0]; e !== undefined; e = path[0]) {
        path = path.slice(1);
        if (fnmatch(part, e)) {
          matched = true;
          break;
        } else if (path.length === 0) {
          matched = false;
        }
      }
    } else {
      const [head] = path;
      if (head === undefined || !fnmatch(part, head)) return false;
      matched = true;
      path = path.slice(1);
    }
  }
  if (matched && p.dirOnly && !isDir && path.length === 0) matched = false;
  return matched;
}

type MatchResult = "none" | "exclude" | "include";

function matchPattern(p: IgnorePattern, pathIn: string[], isDir: boolean): MatchResult {
  if (pathIn.length <= p.domain.length) return "none";
  for (let i = 0; i < p.domain.length; i++) if (pathIn[i] !== p.domain[i]) return "none";
  const path = pathIn.slice(p.domain.length);
  const ok = p.isGlob ? globMatch(p, path, isDir) : simpleNameMatch(p, path, isDir);
  if (!ok) return "none";
  return p.inclusion ? "include" : "exclude";
}

export class IgnoreMatcher {
  constructor(readonly patterns: IgnorePattern[]) {}

  /** True when `path` (components relative to the root) is ignored. */
  match(path: string[], isDir: boolean): boolean {
    for (let i = this.patterns.length - 1; i >= 0; i--) {
      const r = matchPattern(must(this.patterns[i], "an ignore pattern"), path, isDir);
      if (r !== "none") return r === "exclude";
    }
    return false;
  }
}
