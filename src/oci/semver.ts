// Tag filtering for `list artifacts --filter-semver`: versions as fluxcd/pkg/version
// parses them (strict SemVer, optional leading "v") and constraints with
// Masterminds/semver v3's syntax (=, !=, >, >=, <, <=, ~, ^, x-ranges, hyphen
// ranges, "," or space for AND, "||" for OR).
import { RegistryError } from "./registry.js";
import { must } from "../util/must.js";

export interface Version {
  major: number;
  minor: number;
  patch: number;
  pre: string[];
}

const STRICT =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

export function parseVersion(s: string): Version | null {
  const m = STRICT.exec(s.startsWith("v") ? s.slice(1) : s);
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), pre: m[4] ? m[4].split(".") : [] };
}

function comparePre(a: string[], b: string[]): number {
  if (a.length === 0 && b.length === 0) return 0;
  if (a.length === 0) return 1;
  if (b.length === 0) return -1;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) {
      if (Number(x) !== Number(y)) return Number(x) < Number(y) ? -1 : 1;
    } else if (xn) return -1;
    else if (yn) return 1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function compareVersions(a: Version, b: Version): number {
  if (a.major !== b.major) return a.major < b.major ? -1 : 1;
  if (a.minor !== b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch !== b.patch) return a.patch < b.patch ? -1 : 1;
  return comparePre(a.pre, b.pre);
}

interface Partial {
  major?: number | undefined;
  minor?: number | undefined;
  patch?: number | undefined;
  pre: string[];
}

const PARTIAL = /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

function parsePartial(s: string, original: string): Partial {
  const m = PARTIAL.exec(s);
  if (!m) throw new RegistryError(`semver '${original}' parse error: improper constraint: ${s}`);
  const num = (x: string | undefined) => (x === undefined || /^[xX*]$/.test(x) ? undefined : Number(x));
  const major = num(m[1]);
  const minor = major === undefined ? undefined : num(m[2]);
  const patch = minor === undefined ? undefined : num(m[3]);
  return { major, minor, patch, pre: m[4] ? m[4].split(".") : [] };
}

const v = (major: number, minor: number, patch: number, pre: string[] = []): Version => ({ major, minor, patch, pre });

/** x below an exclusive upper bound, comparing major.minor.patch only (2.0.0-alpha is not below 2.0.0 here, as in Masterminds). */
function belowCore(x: Version, hi: Version): boolean {
  return compareVersions({ ...x, pre: [] }, hi) < 0;
}
type Check = (x: Version) => boolean;

function lowest(p: Partial): Version {
  return v(p.major ?? 0, p.minor ?? 0, p.patch ?? 0, p.pre);
}

/** The exclusive upper bound of a partial version (1.2 -> 1.3.0). */
function nextUp(p: Partial): Version | undefined {
  if (p.major === undefined) return undefined;
  if (p.minor === undefined) return v(p.major + 1, 0, 0);
  if (p.patch === undefined) return v(p.major, p.minor + 1, 0);
  return undefined;
}

function term(op: string, p: Partial): Check {
  const lo = lowest(p);
  const up = nextUp(p);
  const ge = (x: Version) => compareVersions(x, lo) >= 0;
  switch (op) {
    case "":
    case "=":
      if (p.major === undefined) return () => true;
      if (up) return (x) => ge(x) && belowCore(x, up);
      return (x) => compareVersions(x, lo) === 0;
    case "!=":
      if (p.major === undefined) return () => false;
      if (up) return (x) => !(ge(x) && belowCore(x, up));
      return (x) => compareVersions(x, lo) !== 0;
    case ">":
      if (up) return (x) => compareVersions(x, up) >= 0;
      return (x) => compareVersions(x, lo) > 0;
    case ">=":
    case "=>":
      return ge;
    case "<":
      return (x) => compareVersions(x, lo) < 0;
    case "<=":
    case "=<":
      if (up) return (x) => belowCore(x, up);
      return (x) => compareVersions(x, lo) <= 0;
    case "~":
    case "~>": {
      if (p.major === undefined) return () => true;
      const hi = p.minor === undefined ? v(p.major + 1, 0, 0) : v(p.major, p.minor + 1, 0);
      return (x) => ge(x) && belowCore(x, hi);
    }
    case "^": {
      if (p.major === undefined) return () => true;
      let hi: Version;
      if (p.major > 0 || p.minor === undefined) hi = v(p.major + 1, 0, 0);
      else if (p.minor > 0 || p.patch === undefined) hi = v(0, p.minor + 1, 0);
      else hi = v(0, 0, p.patch + 1);
      return (x) => ge(x) && belowCore(x, hi);
    }
    default:
      throw new RegistryError(`improper constraint operator ${op}`);
  }
}

/** Compiles a constraint; prerelease versions only match groups that name a prerelease. */
export function parseConstraint(input: string): Check {
  const groups = input.split("||").map((g) => g.trim());
  const ors: Check[] = [];
  for (const g of groups) {
    if (g === "") throw new RegistryError(`semver '${input}' parse error: improper constraint: ${input}`);
    const normalized = g.replace(/\s*-\s+/g, " - ").replace(/([<>=!~^]+)\s+/g, "$1");
    const tokens = normalized.split(/[,\s]+/).filter((t) => t !== "");
    const ands: Array<{ check: Check; pre: boolean }> = [];
    for (let i = 0; i < tokens.length; i++) {
      const token = must(tokens[i], "a constraint token");
      const upper = tokens[i + 2];
      if (tokens[i + 1] === "-" && upper !== undefined) {
        const a = parsePartial(token, input);
        const b = parsePartial(upper, input);
        const lo = term(">=", a);
        const hi = term("<=", b);
        ands.push({ check: (x) => lo(x) && hi(x), pre: a.pre.length > 0 || b.pre.length > 0 });
        i += 2;
        continue;
      }
      // (.*) matches any token: no line breaks survive the split
      const [, op = "", version = ""] = must(/^(!=|>=|=>|<=|=<|~>|[=<>~^])?(.*)$/.exec(token), "an operator split");
      const p = parsePartial(version, input);
      ands.push({ check: term(op, p), pre: p.pre.length > 0 });
    }
    // Masterminds v3.5: a prerelease version can only match a group in which some term names a prerelease.
    const allowsPre = ands.some((a) => a.pre);
    ors.push((x) => (x.pre.length > 0 && !allowsPre ? false : ands.every((a) => a.check(x))));
  }
  return (x) => ors.some((c) => c(x));
}
