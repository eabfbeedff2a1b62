// A Kustomization's drift ignore rules (spec.ignore), as fluxcd/pkg/ssa's jsondiff
// applies them in `flux diff`: a rule whose target matches the dry-run object has its
// JSON pointers removed from both objects before they are compared and shown.
import type { JsonValue } from "./compare.js";

export interface IgnoreTarget {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  annotationSelector?: string;
  labelSelector?: string;
}

export interface IgnoreRule {
  /** Required by the CRD, but a Kustomization read from a file may leave it out. */
  paths?: string[];
  target?: IgnoreTarget;
}

type Requirement = { key: string; op: "in" | "notin" | "exists" | "!"; values: string[] };

/** k8s.io/apimachinery's labels.Parse for the forms selectors use (=, ==, !=, in, notin, key, !key). */
export function parseSelector(text: string): Requirement[] {
  const out: Requirement[] = [];
  // split on commas outside parentheses
  const parts: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  parts.push(cur);
  for (const raw of parts) {
    const part = raw.trim();
    if (part === "") continue;
    // every group of these expressions takes part in a match: the defaults are never used
    let m: RegExpExecArray | null;
    if ((m = /^!\s*([^\s=!()]+)$/.exec(part))) {
      const [, key = ""] = m;
      out.push({ key, op: "!", values: [] });
    } else if ((m = /^([^\s=!()]+)\s*(==|=|!=)\s*([^\s=!(),]*)$/.exec(part))) {
      const [, key = "", op, value = ""] = m;
      out.push({ key, op: op === "!=" ? "notin" : "in", values: [value] });
    } else if ((m = /^([^\s=!()]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part))) {
      const [, key = "", op, list = ""] = m;
      out.push({
        key,
        op: op === "notin" ? "notin" : "in",
        values: list
          .split(",")
          .map((v) => v.trim())
          .filter((v) => v !== ""),
      });
    } else if ((m = /^([^\s=!()]+)$/.exec(part))) {
      const [, key = ""] = m;
      out.push({ key, op: "exists", values: [] });
    } else throw new Error(`unable to parse requirement: ${part}`);
  }
  return out;
}

function selectorMatches(reqs: Requirement[], set: Record<string, string>): boolean {
  return reqs.every((r) => {
    const value = Object.prototype.hasOwnProperty.call(set, r.key) ? set[r.key] : undefined;
    switch (r.op) {
      case "exists":
        return value !== undefined;
      case "!":
        return value === undefined;
      case "in":
        return value !== undefined && r.values.includes(value);
      case "notin":
        return value === undefined || !r.values.includes(value);
    }
  });
}

/** A rule's target, compiled: anchored regular expressions and parsed selectors. */
export interface CompiledRule {
  paths: string[];
  matches(obj: { apiVersion?: unknown; kind?: unknown; metadata?: Record<string, unknown> }): boolean;
}

/** A field of a built object as text (manifests: strings in practice, numbers as YAML may read them). */
const textOf = (v: unknown): string =>
  typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : "";

/** Labels or annotations of a built object; none when the field is not a map. */
const stringMapOf = (v: unknown): Record<string, string> =>
  v !== null && typeof v === "object" ? (v as Record<string, string>) : {};

const anchored = (pattern: string | undefined) => (pattern ? new RegExp(`^(?:${pattern})$`) : undefined);

export function compileIgnoreRules(rules: IgnoreRule[] | undefined): CompiledRule[] {
  return (rules ?? []).map((rule) => {
    const t = rule.target;
    if (!t) return { paths: rule.paths ?? [], matches: () => true };
    const group = anchored(t.group);
    const version = anchored(t.version);
    const kind = anchored(t.kind);
    const name = anchored(t.name);
    const namespace = anchored(t.namespace);
    const labels = t.labelSelector ? parseSelector(t.labelSelector) : undefined;
    const annotations = t.annotationSelector ? parseSelector(t.annotationSelector) : undefined;
    return {
      paths: rule.paths ?? [],
      matches(obj) {
        const md = obj.metadata ?? {};
        const apiVersion = textOf(obj.apiVersion);
        const slash = apiVersion.indexOf("/");
        const g = slash < 0 ? "" : apiVersion.slice(0, slash);
        const v = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
        if (namespace && !namespace.test(textOf(md.namespace))) return false;
        if (name && !name.test(textOf(md.name))) return false;
        if (group && !group.test(g)) return false;
        if (version && !version.test(v)) return false;
        if (kind && !kind.test(textOf(obj.kind))) return false;
        if (labels && !selectorMatches(labels, stringMapOf(md.labels))) return false;
        if (annotations && !selectorMatches(annotations, stringMapOf(md.annotations))) return false;
        return true;
      },
    };
  });
}

/** RFC 6901 remove that tolerates a missing path (jsonpatch's AllowMissingPathOnRemove). */
export function removePointer(doc: JsonValue, pointer: string): void {
  if (pointer === "" || !pointer.startsWith("/")) return;
  const keys = pointer
    .slice(1)
    .split("/")
    .map((k) => k.replaceAll("~1", "/").replaceAll("~0", "~"));
  const last = keys.pop();
  if (last === undefined) return; // a split: never empty
  let node: JsonValue | undefined = doc;
  for (const key of keys) {
    if (node === null || typeof node !== "object") return;
    node = Array.isArray(node) ? node[indexOf(node, key)] : node[key];
  }
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    const i = indexOf(node, last);
    if (i >= 0 && i < node.length) node.splice(i, 1);
  } else Reflect.deleteProperty(node, last);
}

function indexOf(list: JsonValue[], key: string): number {
  if (!/^-?\d+$/.test(key)) return -1;
  const i = Number(key);
  return i < 0 ? list.length + i : i; // negative indices count from the end (SupportNegativeIndices)
}

/** Removes the paths of every rule whose target matches `matchObj` from `obj`. */
export function removeIgnored(
  rules: CompiledRule[],
  matchObj: Parameters<CompiledRule["matches"]>[0],
  obj: JsonValue,
): void {
  for (const rule of rules) if (rule.matches(matchObj)) for (const p of rule.paths) removePointer(obj, p);
}
