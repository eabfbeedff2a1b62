// Just enough semver (Masterminds/semver rules) for `flux check --pre`: parse a
// Kubernetes gitVersion and test it against a ">=X.Y.Z-0" constraint.

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: string;
  original: string;
}

const RE = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/;

export function parseSemVer(text: string): SemVer | undefined {
  const m = RE.exec(text.trim());
  if (!m) return undefined;
  return {
    major: Number(m[1]),
    minor: Number(m[2] ?? 0),
    patch: Number(m[3] ?? 0),
    prerelease: m[4] ?? "",
    original: text,
  };
}

/** "1.34.4" or "1.34.0-rc.1": Masterminds' String() without the "v" and build metadata. */
export function semVerString(v: SemVer): string {
  return `${v.major}.${v.minor}.${v.patch}${v.prerelease ? "-" + v.prerelease : ""}`;
}

function comparePre(a: string, b: string): number {
  if (a === b) return 0;
  if (a === "") return 1;
  if (b === "") return -1;
  const pa = a.split(".");
  const pb = b.split(".");
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) {
      const d = Number(x) - Number(y);
      if (d !== 0) return Math.sign(d);
    } else if (nx) return -1;
    else if (ny) return 1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function compareSemVer(a: SemVer, b: SemVer): number {
  return (
    Math.sign(a.major - b.major) ||
    Math.sign(a.minor - b.minor) ||
    Math.sign(a.patch - b.patch) ||
    comparePre(a.prerelease, b.prerelease)
  );
}

/**
 * Checks `v` against a ">=X.Y.Z[-pre]" constraint. Like Masterminds, a version with a
 * prerelease only matches when the constraint itself has a prerelease.
 */
export function satisfiesMin(v: SemVer, constraint: string): boolean {
  const m = /^>=\s*(.+)$/.exec(constraint.trim());
  if (!m) throw new Error(`unsupported constraint ${constraint}`);
  const min = parseSemVer(m[1] ?? "");
  if (!min) throw new Error(`invalid constraint ${constraint}`);
  if (v.prerelease !== "" && min.prerelease === "") return false;
  return compareSemVer(v, min) >= 0;
}
