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
  paths: string[];
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
    let m: RegExpExecArray | null;
    if ((m = /^!\s*([^\s=!()]+)$/.exec(part))) out.push({ key: m[1]!, op: "!", values: [] });
    else if ((m = /^([^\s=!()]+)\s*(==|=|!=)\s*([^\s=!(),]*)$/.exec(part)))
      out.push({ key: m[1]!, op: m[2] === "!=" ? "notin" : "in", values: [m[3]!] });
    else if ((m = /^([^\s=!()]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part)))
      out.push({
        key: m[1]!,
        op: m[2] as "in" | "notin",
        values: m[3]!
          .split(",")
          .map((v) => v.trim())
          .filter((v) => v !== ""),
      });
    else if ((m = /^([^\s=!()]+)$/.exec(part))) out.push({ key: m[1]!, op: "exists", values: [] });
    else throw new Error(`unable to parse requirement: ${part}`);
  }
  return out;
}

function selectorMatches(reqs: Requirement[], set: Record<string, string>): boolean {
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(set, r.key);
    switch (r.op) {
      case "exists":
        return has;
      case "!":
        return !has;
      case "in":
        return has && r.values.includes(set[r.key]!);
      case "notin":
        return !has || !r.values.includes(set[r.key]!);
    }
  });
}

/** A rule's target, compiled: anchored regular expressions and parsed selectors. */
export interface CompiledRule {
  paths: string[];
  matches(obj: { apiVersion?: unknown; kind?: unknown; metadata?: Record<string, unknown> }): boolean;
}

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
        const apiVersion = String(obj.apiVersion ?? "");
        const slash = apiVersion.indexOf("/");
        const g = slash < 0 ? "" : apiVersion.slice(0, slash);
        const v = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
        if (namespace && !namespace.test(String(md.namespace ?? ""))) return false;
        if (name && !name.test(String(md.name ?? ""))) return false;
        if (group && !group.test(g)) return false;
        if (version && !version.test(v)) return false;
        if (kind && !kind.test(String(obj.kind ?? ""))) return false;
        if (labels && !selectorMatches(labels, (md.labels as Record<string, string>) ?? {})) return false;
        if (annotations && !selectorMatches(annotations, (md.annotations as Record<string, string>) ?? {}))
          return false;
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
  let node: JsonValue | undefined = doc;
  for (let i = 0; i < keys.length - 1; i++) {
    if (node === null || typeof node !== "object") return;
    node = Array.isArray(node) ? node[indexOf(node, keys[i]!)] : node[keys[i]!];
  }
  if (node === null || typeof node !== "object") return;
  const last = keys[keys.length - 1]!;
  if (Array.isArray(node)) {
    const i = indexOf(node, last);
    if (i >= 0 && i < node.length) node.splice(i, 1);
  } else delete node[last];
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
