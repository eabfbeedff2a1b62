// When a server-side apply is known to change nothing, so `flux diff` can report the
// object unchanged without a dry-run (the dry-runs are most of a diff's time). Each
// rule below only ever answers "unchanged" when the dry-run could not differ from the
// live object; anything it cannot prove falls back to the dry-run:
// - every field of the manifest is already in the live object with the same value
//   (maps compared key by key, lists as a whole, any null falls back);
// - the field manager's earlier apply owns no field the manifest leaves out (an apply
//   removes those), read from the live object's managedFields;
// - no admission webhook or admission policy could see an update of the resource (one
//   could change or refuse even an unchanged object), nor a built-in admission plugin
//   that acts on updates of unchanged objects (Pods);
// - the API server ratchets validation (1.30 and later, where validatingadmissionpolicies
//   are served as v1): an unchanged object that no longer passes a tightened schema is
//   still accepted, as the dry-run would accept it.
import { isDeepStrictEqual } from "node:util";
import type { KubeObject } from "./rest.js";

type Dict = Record<string, unknown>;

const isDict = (v: unknown): v is Dict => typeof v === "object" && v !== null && !Array.isArray(v);

/** Whether every field of `local` is in `live` with the same value (lists whole, no nulls). */
export function withinLive(local: unknown, live: unknown): boolean {
  if (local === null || local === undefined) return false;
  if (Array.isArray(local)) return Array.isArray(live) && isDeepStrictEqual(local, live);
  if (isDict(local)) {
    if (!isDict(live)) return false;
    for (const key of Object.keys(local)) {
      if (!Object.prototype.hasOwnProperty.call(live, key) || !withinLive(local[key], live[key])) return false;
    }
    return true;
  }
  return local === live;
}

/**
 * Whether the fields a managedFields entry owns (fieldsV1) are all set in `local`, so
 * applying `local` removes none of them. Lists end the walk: withinLive has required
 * the manifest's list to equal the live one, so every owned item is kept.
 */
export function ownedFieldsKept(fields: unknown, local: unknown): boolean {
  if (!isDict(fields)) return false;
  for (const [key, child] of Object.entries(fields)) {
    if (key === ".") continue;
    if (!key.startsWith("f:") || !isDict(local)) return false;
    const name = key.slice(2);
    if (!Object.prototype.hasOwnProperty.call(local, name)) return false;
    const value = local[name];
    const hasChildren = isDict(child) && Object.keys(child).some((k) => k !== ".");
    if (!hasChildren || Array.isArray(value)) continue;
    if (!isDict(value) || !ownedFieldsKept(child, value)) return false;
  }
  return true;
}

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  subresource?: string;
  fieldsV1?: unknown;
}

/** Whether applying `manifest` as `manager` leaves `live` as it is (see the rules above; admission apart). */
export function applyChangesNothing(manifest: Dict, live: KubeObject, manager: string): boolean {
  if (manifest.kind === "Pod" && manifest.apiVersion === "v1") return false;
  if (!withinLive(manifest, live)) return false;
  const entries = (live.metadata.managedFields ?? []) as ManagedFieldsEntry[];
  for (const e of entries) {
    if (e.manager !== manager || e.operation !== "Apply" || e.subresource) continue;
    if (!ownedFieldsKept(e.fieldsV1, manifest)) return false;
  }
  return true;
}

interface RuleWithOperations {
  operations?: string[];
  resources?: string[];
}

/**
 * The resources (plural names) whose updates some admission webhook or policy sees;
 * "*" for all. Groups and versions are ignored (an "Equivalent" match policy reaches
 * the same resource in other groups), as are selectors and match conditions, which
 * only narrow a match.
 */
export function admittedResources(
  webhookConfigurations: { webhooks?: { rules?: RuleWithOperations[] }[] }[],
  policies: { spec?: { matchConstraints?: { resourceRules?: RuleWithOperations[] } } }[],
): Set<string> {
  const out = new Set<string>();
  const add = (rules: RuleWithOperations[]) => {
    for (const r of rules) {
      const ops = r.operations ?? [];
      if (!ops.includes("UPDATE") && !ops.includes("*")) continue;
      for (const res of r.resources ?? []) {
        const [resource = "", sub] = res.split("/");
        // "deployments/scale" concerns the subresource only; "*/*" and "x/*" include the resource
        if (sub !== undefined && sub !== "*") continue;
        out.add(resource);
      }
    }
  };
  for (const c of webhookConfigurations) for (const w of c.webhooks ?? []) add(w.rules ?? []);
  for (const p of policies) {
    const rules = p.spec?.matchConstraints?.resourceRules;
    if (rules) add(rules);
    else out.add("*");
  }
  return out;
}
