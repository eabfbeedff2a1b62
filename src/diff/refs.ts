// `flux diff refs --base REF [--head REF] --path DIR`: the fleet under DIR built
// at two git refs (head: the working tree unless given), without a cluster, and
// compared object by object within each Kustomization and HelmRelease.
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { CliError } from "../errors.js";
import type { KubeObj } from "../kustomize/cluster.js";
import { createTempDir, removeTempDir } from "../kustomize/runner.js";
import { toYaml } from "../yaml/printer.js";
import { deepEqual } from "./compare.js";
import { buildFleet, unitKey, type BuiltUnit, type FleetOptions, type UnitKind } from "./fleet.js";
import { maskSecretPair, subjectOf } from "./kustomization.js";
import { unifiedDiff } from "./lines.js";
import { must } from "../util/must.js";

export interface DiffRefsOptions extends Omit<FleetOptions, "root" | "path"> {
  /** A directory inside a git work tree. */
  path: string;
  base: string;
  /** Default: the working tree. */
  head?: string | undefined;
}

export type ObjectChange = "added" | "removed" | "changed";

export interface RefsObjectDiff {
  action: ObjectChange;
  apiVersion: string;
  kind: string;
  namespace?: string | undefined;
  name: string;
  subject: string;
  /** Unified diff of the object's YAML (Secret values masked). */
  diff: string;
}

export interface RefsUnitDiff {
  kind: UnitKind;
  namespace: string;
  name: string;
  /** added/removed: the unit exists at one ref only; failed: it could not be built at a ref. */
  status: "added" | "removed" | "changed" | "unchanged" | "failed";
  objects: RefsObjectDiff[];
  errors: { base?: string; head?: string };
}

export interface RefsReport {
  base: string;
  head: string;
  path: string;
  units: RefsUnitDiff[];
  changed: boolean;
  failed: boolean;
}

function git(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("git", args, { cwd, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" }, (err, stdout, stderr) => {
      if (!err) {
        resolve(stdout.trim());
        return;
      }
      if ((err as NodeJS.ErrnoException).code === "ENOENT") {
        reject(new CliError("git not found: install git and make sure it is on PATH", 2));
        return;
      }
      reject(new CliError((stderr || err.message).trim().replace(/^fatal: /, ""), 2));
    });
  });
}

/** Writes the tree of `ref` into `dir` (git archive | tar -x). */
async function materialize(root: string, ref: string, dir: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const archive = spawn("git", ["archive", "--format=tar", ref], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    const tar = spawn("tar", ["-x", "-C", dir], { stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    archive.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    tar.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    archive.stdout.pipe(tar.stdin);
    let pending = 2;
    let failed = false;
    const done = (code: number | null) => {
      if (code !== 0) failed = true;
      if (--pending > 0) return;
      if (failed) reject(new CliError(`cannot check out ${ref}: ${stderr.trim() || "git archive failed"}`, 2));
      else resolve();
    };
    archive.on("error", (err) => reject(new CliError(`cannot run git archive: ${err.message}`, 2)));
    tar.on("error", (err) => reject(new CliError(`cannot run tar: ${err.message}`, 2)));
    archive.on("close", done);
    tar.on("close", done);
  });
}

function keyOf(o: KubeObj): string {
  const v = o.apiVersion ?? "";
  const group = v.includes("/") ? v.slice(0, v.indexOf("/")) : "";
  return `${group}/${o.kind}/${o.metadata?.namespace ?? ""}/${o.metadata?.name}`;
}

const isSecret = (o: KubeObj | undefined) => o?.kind === "Secret" && o.apiVersion === "v1";

function objectDiff(action: ObjectChange, before: KubeObj | undefined, after: KubeObj | undefined): RefsObjectDiff {
  const o = must(after ?? before, "the object of a change");
  const b = before && structuredClone(before);
  const a = after && structuredClone(after);
  if (isSecret(b) || isSecret(a)) maskSecretPair(b, a);
  const kind = String(o.kind);
  const namespace = o.metadata?.namespace || undefined;
  const name = String(o.metadata?.name);
  return {
    action,
    apiVersion: String(o.apiVersion),
    kind,
    namespace,
    name,
    subject: subjectOf(kind, namespace, name),
    diff: unifiedDiff(b ? toYaml(b) : "", a ? toYaml(a) : "", 3),
  };
}

/** Object-level difference of two builds of one unit. */
export function compareObjects(before: KubeObj[], after: KubeObj[]): RefsObjectDiff[] {
  const b = new Map(before.map((o) => [keyOf(o), o]));
  const a = new Map(after.map((o) => [keyOf(o), o]));
  const out: RefsObjectDiff[] = [];
  for (const [k, o] of b) {
    const other = a.get(k);
    if (!other) out.push(objectDiff("removed", o, undefined));
    else if (!deepEqual(o, other)) out.push(objectDiff("changed", o, other));
  }
  for (const [k, o] of a) if (!b.has(k)) out.push(objectDiff("added", undefined, o));
  return out.sort((x, y) => (x.subject < y.subject ? -1 : x.subject > y.subject ? 1 : 0));
}

function scrub(message: string | undefined, roots: string[]): string | undefined {
  if (message === undefined) return undefined;
  let m = message;
  for (const r of roots)
    m = m
      .split(r + path.sep)
      .join("")
      .split(r)
      .join(".");
  return m;
}

export async function diffRefs(opts: DiffRefsOptions): Promise<RefsReport> {
  const dir = path.resolve(opts.path);
  if (!existsSync(dir)) throw new CliError(`invalid path "${opts.path}": it does not exist`, 2);
  const root = await git(["rev-parse", "--show-toplevel"], dir).catch(() => {
    throw new CliError(`"${opts.path}" is not inside a git work tree: diff refs compares git refs`, 2);
  });
  const rel = path.relative(root, dir);
  for (const ref of [opts.base, ...(opts.head ? [opts.head] : [])]) {
    await git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], root).catch(() => {
      throw new CliError(`unknown git ref '${ref}': give a branch, tag or commit of ${root}`, 2);
    });
  }
  const tmp = createTempDir("tsflux-refs-");
  try {
    const checkout = async (ref: string | undefined, name: string) => {
      if (!ref) return root;
      const d = path.join(tmp, name);
      mkdirSync(d);
      await materialize(root, ref, d);
      return d;
    };
    const [baseRoot, headRoot] = await Promise.all([checkout(opts.base, "base"), checkout(opts.head, "head")]);
    const chartCache = new Map<string, Promise<unknown>>();
    const chartDir = path.join(tmp, "charts");
    mkdirSync(chartDir);
    const fleet = async (r: string) => {
      const p = path.join(r, rel);
      if (!existsSync(p)) return new Map<string, BuiltUnit>(); // the path does not exist at this ref
      return buildFleet({ ...opts, root: r, path: p, chartCache, chartDir });
    };
    const [base, head] = await Promise.all([fleet(baseRoot), fleet(headRoot)]);
    const roots = [baseRoot, headRoot, tmp];
    const keys = [...new Set([...base.keys(), ...head.keys()])].sort((x, y) => {
      const kx = x.startsWith("Kustomization/") ? 0 : 1;
      const ky = y.startsWith("Kustomization/") ? 0 : 1;
      return kx - ky || (x < y ? -1 : x > y ? 1 : 0);
    });
    const units: RefsUnitDiff[] = keys.map((key) => {
      const b = base.get(key);
      const h = head.get(key);
      const u = must(h ?? b, "a unit at one of the refs"); // keys come from both maps
      const errors: RefsUnitDiff["errors"] = {};
      const baseError = scrub(b?.error, roots);
      const headError = scrub(h?.error, roots);
      if (baseError) errors.base = baseError;
      if (headError) errors.head = headError;
      const unit: RefsUnitDiff = {
        kind: u.kind,
        namespace: u.namespace,
        name: u.name,
        status: "unchanged",
        objects: [],
        errors,
      };
      if (errors.base || errors.head) {
        unit.status = "failed";
        return unit;
      }
      unit.objects = compareObjects(b?.objects ?? [], h?.objects ?? []);
      unit.status = !b ? "added" : !h ? "removed" : unit.objects.length ? "changed" : "unchanged";
      return unit;
    });
    return {
      base: opts.base,
      head: opts.head ?? "working tree",
      path: rel || ".",
      units,
      changed: units.some((u) => u.objects.length > 0 || u.status === "added" || u.status === "removed"),
      failed: units.some((u) => u.status === "failed"),
    };
  } finally {
    removeTempDir(tmp);
  }
}

export { unitKey };
