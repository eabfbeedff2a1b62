// `flux diff kustomization`: build, then a server-side dry-run apply of every
// object (concurrently, bounded) compared with the live object, then the
// Kustomization's inventory minus the build (what pruning would delete).
import path from "node:path";
import { buildKustomization, KUSTOMIZE_GROUP, type BuildOptions, type FluxKustomization } from "../kustomize/build.js";
import type { DryRunner } from "../kube/dryrun.js";
import { apiGroupOf } from "../kube/api-version.js";
import { compareApplyOrder } from "../kube/apply-order.js";
import { mapConcurrent } from "../kube/rest.js";
import type { KubeObj } from "../kustomize/cluster.js";
import { compareValues, deepEqual, sortKeysDeep, type FieldChange, type JsonValue } from "./compare.js";
import { compileIgnoreRules, removeIgnored, type CompiledRule, type IgnoreRule } from "./ignore.js";

export type DiffAction = "created" | "drifted" | "deleted" | "unchanged" | "skipped";

export interface ObjectDiff {
  action: DiffAction;
  apiVersion: string;
  kind: string;
  namespace?: string | undefined;
  name: string;
  /** `Kind/namespace/name` (or `Kind/name` when cluster-scoped), as upstream prints it. */
  subject: string;
  /** For drifted objects: what changed from the live object to the applied one. */
  changes?: FieldChange[];
  /** The live object (server fields removed, Secret values masked). */
  before?: KubeObj;
  /** The object after apply (server fields removed, Secret values masked). */
  after?: KubeObj;
  /** A nested Flux Kustomization's own diff (--recursive), when it would change something. */
  nested?: DiffReport;
  /** A nested Kustomization applied to another cluster (spec.kubeConfig): not diffed. */
  remote?: boolean;
}

export interface DiffReport {
  /** The object the diff is of: a Kustomization (default) or a HelmRelease. */
  kind?: "Kustomization" | "HelmRelease";
  kustomization: { name: string; namespace: string };
  objects: ObjectDiff[];
  errors: string[];
  /** True when at least one object would be created, changed or deleted. */
  changed: boolean;
}

export interface DiffOptions extends BuildOptions {
  dryRunner: DryRunner;
  /** Concurrent dry-run requests (default 8). */
  concurrency?: number;
  /** Called with done/total while dry-runs progress. */
  onProgress?: (done: number, total: number) => void;
}

export const RECONCILE_KEY = "kustomize.toolkit.fluxcd.io/reconcile";
export const SOPS_MASK = "**SOPS**";
const MASK = "***";
/** What upstream shows for every value of a SOPS-encrypted Secret whose keys changed. */
const SOPS_KEY_MASK = "*****";
const MASK_BEFORE = "*** (before)";
const MASK_AFTER = "*** (after)";

const SERVER_METADATA = ["managedFields", "resourceVersion", "generation", "uid", "creationTimestamp", "selfLink"];

/** Removes the fields the API server manages (metadata bookkeeping and status). */
export function stripServerFields(obj: KubeObj): KubeObj {
  const out = structuredClone(obj);
  delete out.status;
  const md = out.metadata;
  if (md) for (const f of SERVER_METADATA) Reflect.deleteProperty(md, f);
  return out;
}

export function subjectOf(kind: string, namespace: string | undefined, name: string): string {
  return namespace ? `${kind}/${namespace}/${name}` : `${kind}/${name}`;
}

/** kustomize-controller's inventory id: `<namespace>_<name>_<group>_<kind>` (":" in names as "__"). */
export function inventoryId(namespace: string | undefined, name: string, group: string, kind: string): string {
  return `${namespace ?? ""}_${name.replaceAll(":", "__")}_${group}_${kind}`;
}

export function parseInventoryId(
  id: string,
): { namespace: string; name: string; group: string; kind: string } | undefined {
  const first = id.indexOf("_");
  const last = id.lastIndexOf("_");
  if (first < 0 || last <= first) return undefined;
  const beforeKind = id.slice(0, last);
  const groupSep = beforeKind.lastIndexOf("_");
  if (groupSep < first) return undefined;
  const name = beforeKind.slice(first + 1, groupSep);
  if (name === "") return undefined;
  return {
    namespace: id.slice(0, first),
    name: name.replaceAll("__", ":"),
    group: beforeKind.slice(groupSep + 1),
    kind: id.slice(last + 1),
  };
}

function matchesExclusion(obj: KubeObj | undefined): boolean {
  if (!obj) return false;
  const v = obj.metadata?.labels?.[RECONCILE_KEY] || obj.metadata?.annotations?.[RECONCILE_KEY];
  return typeof v === "string" && v.toLowerCase() === "disabled";
}

function secretMaps(obj: KubeObj): Record<string, Record<string, unknown> | undefined> {
  return {
    data: obj.data as Record<string, unknown> | undefined,
    stringData: obj.stringData as Record<string, unknown> | undefined,
  };
}

/** kubectl's copy of the whole applied object: for a Secret, its values in plain text. */
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

function maskKeys(
  b: Record<string, unknown> | undefined,
  a: Record<string, unknown> | undefined,
  keys: Iterable<string>,
) {
  for (const k of keys) {
    const inB = b && k in b;
    const inA = a && k in a;
    if (inB && inA && b[k] !== a[k]) {
      b[k] = MASK_BEFORE;
      a[k] = MASK_AFTER;
    } else {
      if (inB) b[k] = MASK;
      if (inA) a[k] = MASK;
    }
  }
}

/**
 * Masks Secret values in both objects, and kubectl's last-applied annotation that
 * repeats them; a changed value shows as `*** (before)` / `*** (after)`.
 */
export function maskSecretPair(before: KubeObj | undefined, after: KubeObj | undefined): void {
  for (const field of ["data", "stringData"] as const) {
    const b = before ? secretMaps(before)[field] : undefined;
    const a = after ? secretMaps(after)[field] : undefined;
    maskKeys(b, a, new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})]));
  }
  const annotations = (o: KubeObj | undefined) => o?.metadata?.annotations as Record<string, unknown> | undefined;
  maskKeys(annotations(before), annotations(after), [LAST_APPLIED]);
}

function isSopsMasked(desired: KubeObj): boolean {
  // upstream normalizes stringData into data before it looks: both count
  const has = (m: unknown, decode: boolean) =>
    !!m &&
    typeof m === "object" &&
    Object.values(m as Record<string, unknown>).some(
      (v) => typeof v === "string" && (decode ? Buffer.from(v, "base64").toString("latin1") : v).includes(SOPS_MASK),
    );
  return has(desired.data, true) || has(desired.stringData, false);
}

async function diffObject(
  obj: KubeObj,
  runner: DryRunner,
  buildNamespaces: Set<string>,
  ignoreRules: CompiledRule[],
): Promise<ObjectDiff> {
  const apiVersion = obj.apiVersion ?? "";
  const kind = obj.kind ?? "";
  const name = obj.metadata?.name ?? "";
  let namespace = obj.metadata?.namespace;
  const base = () => ({ apiVersion, kind, namespace, name, subject: subjectOf(kind, namespace, name) });

  if (!namespace && runner.namespaced && (await runner.namespaced(obj))) {
    throw new Error(
      `${subjectOf(kind, namespace, name)} namespace not specified: set metadata.namespace in the manifest or spec.targetNamespace in the Kustomization`,
    );
  }
  const live = await runner.get(obj).catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`${subjectOf(kind, namespace, name)} dry-run failed: ${message}`);
  });
  if (matchesExclusion(obj) || matchesExclusion(live)) return { action: "skipped", ...base() };
  if (live && runner.appliesUnchanged && (await runner.appliesUnchanged(obj, live))) {
    namespace = live.metadata.namespace ?? namespace;
    return { action: "unchanged", ...base() };
  }

  let merged: KubeObj;
  try {
    merged = await runner.dryRunApply(obj);
  } catch (err) {
    const e = err as Error & { reason?: string; statusCode?: number };
    if (!live && namespace && e.statusCode === 404 && e.message.includes(`namespaces "${namespace}" not found`)) {
      // the namespace is created by this same apply: the server cannot dry-run into it yet
      if (buildNamespaces.has(namespace)) {
        const after = stripServerFields(obj);
        if (kind === "Secret" && apiGroupOf(apiVersion) === "") maskSecretPair(undefined, after);
        return { action: "created", ...base(), after };
      }
      throw new Error(
        `${subjectOf(kind, namespace, name)} dry-run failed: namespace "${namespace}" does not exist and is not part of the build`,
        {
          cause: err,
        },
      );
    }
    const reason = e.reason && e.reason !== "Unknown" ? ` (${e.reason})` : "";
    throw new Error(`${subjectOf(kind, namespace, name)} dry-run failed${reason}: ${e.message}`, { cause: err });
  }
  namespace = merged.metadata?.namespace ?? namespace;
  if (!live) {
    const after = stripServerFields(merged);
    if (kind === "Secret" && apiGroupOf(apiVersion) === "") maskSecretPair(undefined, after);
    return { action: "created", ...base(), after };
  }
  // keys in Go's order: upstream marshals both objects (sorted keys) before dyff reads them
  const before = sortKeysDeep(stripServerFields(live) as JsonValue) as KubeObj;
  const after = sortKeysDeep(stripServerFields(merged) as JsonValue) as KubeObj;
  // spec.ignore: the paths of the rules matching the dry-run object are neither compared nor shown
  removeIgnored(ignoreRules, merged, before as JsonValue);
  removeIgnored(ignoreRules, merged, after as JsonValue);
  let changes = compareValues(before as JsonValue, after as JsonValue);
  if (changes.length === 0) return { action: "unchanged", ...base() };
  const isSecret = kind === "Secret" && apiGroupOf(apiVersion) === "";
  if (isSecret) {
    maskSecretPair(before, after);
    if (isSopsMasked(obj)) {
      // SOPS-encrypted values cannot be compared: only the keys count, every value shows as *****
      const keys = (o: KubeObj) => Object.keys((o.data as object | undefined) ?? {}).sort();
      if (deepEqual(keys(before), keys(after))) return { action: "unchanged", ...base() };
      for (const o of [before, after]) {
        const m = o.data as Record<string, unknown> | undefined;
        if (m) for (const k of Object.keys(m)) m[k] = SOPS_KEY_MASK;
      }
    }
    changes = compareValues(before as JsonValue, after as JsonValue);
    if (changes.length === 0)
      changes = [{ path: [{ key: "data" }], type: "modified", before: MASK_BEFORE, after: MASK_AFTER }];
  }
  return { action: "drifted", ...base(), changes, before, after };
}

/** Runs the diff; errors of single objects are collected (like upstream) rather than thrown. */
export async function diffKustomization(opts: DiffOptions): Promise<DiffReport> {
  // nested Kustomizations are diffed on their own (below), not built into this one
  const { kustomization, objects } = await buildKustomization({ ...opts, recursive: false });
  for (const obj of objects) normalizeSecret(obj);
  const nested = opts.recursive ? (obj: KubeObj, d: ObjectDiff) => diffNested(obj, d, kustomization, opts) : undefined;
  return diffObjects(kustomization, objects, {
    ...opts,
    ignore: kustomization.spec?.ignore as IgnoreRule[] | undefined,
    nested,
  });
}

/**
 * A Secret's stringData moved into data, as kustomize-controller and upstream's diff
 * normalize before applying (fluxcd/pkg/ssa normalize): the apply then owns data's keys,
 * so a key the build no longer has is removed (kubernetes/kubernetes#108008).
 */
export function normalizeSecret(obj: KubeObj): void {
  if (obj.kind !== "Secret" || obj.apiVersion !== "v1") return;
  const stringData = obj.stringData as Record<string, unknown> | undefined;
  if (!stringData || typeof stringData !== "object" || Object.keys(stringData).length === 0) return;
  const data = { ...((obj.data as Record<string, unknown> | undefined) ?? {}) };
  for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v)).toString("base64");
  obj.data = data;
  delete obj.stringData;
}

function isFluxKustomization(obj: KubeObj): boolean {
  return (
    typeof obj.apiVersion === "string" &&
    obj.apiVersion.startsWith(`${KUSTOMIZE_GROUP}/`) &&
    obj.kind === "Kustomization"
  );
}

/**
 * --recursive: a Flux Kustomization of the build that exists already is diffed from its
 * source's local directory (--local-sources), as upstream's kustomizationDiff; its report
 * is kept on the object when it would change something. Returns the errors it met.
 */
async function diffNested(
  obj: KubeObj,
  d: ObjectDiff,
  parent: FluxKustomization,
  opts: DiffOptions,
): Promise<string[]> {
  if (!isFluxKustomization(obj) || d.action === "created") return [];
  const child = obj as FluxKustomization;
  const name = child.metadata?.name ?? "";
  const namespace = child.metadata?.namespace ?? "";
  if (name === parent.metadata?.name && namespace === (parent.metadata.namespace ?? "")) return [];
  if ((child.spec as { kubeConfig?: unknown } | undefined)?.kubeConfig) {
    d.remote = true;
    return [];
  }
  const ref = child.spec?.sourceRef;
  const key = `${ref?.kind ?? ""}/${ref?.namespace || namespace}/${ref?.name ?? ""}`;
  const local = opts.localSources?.[key];
  if (local === undefined) return [`cannot get local path for ${key} of kustomization ${name}`];
  let sub: DiffReport;
  try {
    sub = await diffKustomization({
      ...opts,
      name,
      namespace,
      path: path.join(local, child.spec?.path ?? ""),
      kustomizationFile: undefined,
      ignoreNotFound: false,
    });
  } catch (err) {
    return [(err as Error).message];
  }
  if (sub.changed) d.nested = sub;
  return sub.errors;
}

export async function diffObjects(
  kustomization: FluxKustomization,
  objects: KubeObj[],
  opts: Pick<DiffOptions, "dryRunner" | "concurrency" | "onProgress"> & {
    /** The Kustomization's drift ignore rules (spec.ignore). */
    ignore?: IgnoreRule[] | undefined;
    /** Diffs what an object holds (a nested Kustomization); returns the errors met. */
    nested?: ((obj: KubeObj, d: ObjectDiff) => Promise<string[]>) | undefined;
  },
): Promise<DiffReport> {
  let done = 0;
  const buildNamespaces = new Set(
    objects.filter((o) => o.kind === "Namespace" && o.apiVersion === "v1").map((o) => o.metadata?.name ?? ""),
  );
  const ignoreRules = compileIgnoreRules(opts.ignore);
  await opts.dryRunner.prefetch?.(objects);
  // errors in the objects' order, whichever dry-run answers first
  const failures: (string | undefined)[] = new Array<string | undefined>(objects.length);
  const results = await mapConcurrent(objects, opts.concurrency ?? 16, async (obj, i) => {
    try {
      return await diffObject(obj, opts.dryRunner, buildNamespaces, ignoreRules);
    } catch (err) {
      failures[i] = (err as Error).message;
      return undefined;
    } finally {
      opts.onProgress?.(++done, objects.length);
    }
  });
  const errors: string[] = [];
  for (const [i, obj] of objects.entries()) {
    const failure = failures[i];
    if (failure !== undefined) errors.push(failure);
    const d = results[i];
    if (d && opts.nested) errors.push(...(await opts.nested(obj, d)));
  }
  const diffs = results.filter((r): r is ObjectDiff => r !== undefined);

  if (kustomization.spec?.prune && errors.length === 0) {
    const current = new Set(diffs.map((d) => inventoryId(d.namespace, d.name, apiGroupOf(d.apiVersion), d.kind)));
    const stale: ObjectDiff[] = [];
    for (const entry of kustomization.status?.inventory?.entries ?? []) {
      if (current.has(entry.id)) continue;
      const meta = parseInventoryId(entry.id);
      if (!meta) {
        errors.push(`unable to parse inventory entry '${entry.id}'`);
        continue;
      }
      const apiVersion = meta.group ? `${meta.group}/${entry.v}` : entry.v;
      const namespace = meta.namespace || undefined;
      stale.push({
        action: "deleted",
        apiVersion,
        kind: meta.kind,
        namespace,
        name: meta.name,
        subject: subjectOf(meta.kind, namespace, meta.name),
      });
    }
    // upstream lists them sorted as server-side apply takes them
    const key = (d: ObjectDiff) => ({
      group: apiGroupOf(d.apiVersion),
      kind: d.kind,
      namespace: d.namespace ?? "",
      name: d.name,
    });
    stale.sort((a, b) => compareApplyOrder(key(a), key(b)));
    diffs.push(...stale);
  }
  return {
    kustomization: {
      name: kustomization.metadata?.name ?? "",
      namespace: kustomization.metadata?.namespace ?? "",
    },
    objects: diffs,
    errors,
    changed: diffs.some(
      (d) => d.action === "created" || d.action === "drifted" || d.action === "deleted" || d.nested?.changed,
    ),
  };
}
