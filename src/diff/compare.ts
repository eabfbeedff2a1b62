// Structural comparison of two Kubernetes objects, like dyff with Kubernetes
// entity detection: maps by key, lists of named entries (name/key/id) by
// identity, other lists by position; multi-line strings compared line by line.
import { diffLines, type LineOp } from "./lines.js";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

export type PathElement = { key: string } | { index: number } | { name: string; id: string };

export interface FieldChange {
  /** Where the change is. */
  path: PathElement[];
  /**
   * added / removed: map entries or list entries (value holds them: a map for
   * map entries, a list for list entries); modified: a value changed;
   * order: a list changed order.
   */
  type: "added" | "removed" | "modified" | "order";
  entries?: "map" | "list";
  before?: JsonValue;
  after?: JsonValue;
  /** For modified multi-line strings: the line diff. */
  lines?: LineOp[];
}

const IDENTIFIERS = ["name", "key", "id"];

const isMap = (v: unknown): v is { [k: string]: JsonValue } => !!v && typeof v === "object" && !Array.isArray(v);

function identifierOf(list: JsonValue[]): string | undefined {
  if (list.length === 0) return undefined;
  for (const id of IDENTIFIERS) {
    const names = new Set<string>();
    let ok = true;
    for (const e of list) {
      if (!isMap(e) || typeof e[id] !== "string" || names.has(e[id])) {
        ok = false;
        break;
      }
      names.add(e[id]);
    }
    if (ok) return id;
  }
  return undefined;
}

/** A copy with every map's keys in Go's order (sorted), as upstream marshals objects before dyff reads them. */
export function sortKeysDeep<T extends JsonValue>(v: T): T {
  if (Array.isArray(v)) return v.map(sortKeysDeep) as T;
  if (!isMap(v)) return v;
  const out: { [k: string]: JsonValue } = {};
  for (const [k, value] of Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    out[k] = sortKeysDeep(value);
  return out as T;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as never)[k], (b as never)[k]));
}

/** Lists the changes turning `before` into `after`. */
export function compareValues(
  before: JsonValue | undefined,
  after: JsonValue | undefined,
  path: PathElement[] = [],
): FieldChange[] {
  if (deepEqual(before, after)) return [];
  if (isMap(before) && isMap(after)) return compareMaps(before, after, path);
  if (Array.isArray(before) && Array.isArray(after)) return compareLists(before, after, path);
  const change: FieldChange = { path, type: "modified", before: before ?? null, after: after ?? null };
  if (typeof before === "string" && typeof after === "string" && (before.includes("\n") || after.includes("\n"))) {
    change.lines = diffLines(before.replace(/\n$/, "").split("\n"), after.replace(/\n$/, "").split("\n"));
  }
  return [change];
}

function compareMaps(
  before: { [k: string]: JsonValue },
  after: { [k: string]: JsonValue },
  path: PathElement[],
): FieldChange[] {
  const out: FieldChange[] = [];
  const removed: { [k: string]: JsonValue } = {};
  const added: { [k: string]: JsonValue } = {};
  for (const [k, value] of Object.entries(before)) if (!(k in after)) removed[k] = value;
  for (const [k, value] of Object.entries(after)) if (!(k in before)) added[k] = value;
  if (Object.keys(removed).length) out.push({ path, type: "removed", entries: "map", before: removed });
  if (Object.keys(added).length) out.push({ path, type: "added", entries: "map", after: added });
  for (const k of Object.keys(before).sort()) {
    if (k in after) out.push(...compareValues(before[k], after[k], [...path, { key: k }]));
  }
  return out;
}

function compareLists(before: JsonValue[], after: JsonValue[], path: PathElement[]): FieldChange[] {
  if (before.length === 0 && after.length === 0) return [];
  // dyff's order: one entry at the list's path (order change, removals,
  // additions), then the changes inside the entries both sides have
  const head: FieldChange[] = [];
  const nested: FieldChange[] = [];
  const id = identifierOf(before.length ? before : after);
  if (
    id &&
    (before.length === 0 || identifierOf(before) === id) &&
    (after.length === 0 || identifierOf(after) === id)
  ) {
    const nameOf = (e: JsonValue) => (e as { [k: string]: JsonValue })[id] as string;
    const afterNames = new Set(after.map(nameOf));
    const beforeNames = new Set(before.map(nameOf));
    const commonBefore = before.filter((e) => afterNames.has(nameOf(e))).map(nameOf);
    const commonAfter = after.filter((e) => beforeNames.has(nameOf(e))).map(nameOf);
    if (!deepEqual(commonBefore, commonAfter))
      head.push({ path, type: "order", before: commonBefore, after: commonAfter });
    const removed = before.filter((e) => !afterNames.has(nameOf(e)));
    const added = after.filter((e) => !beforeNames.has(nameOf(e)));
    if (removed.length) head.push({ path, type: "removed", entries: "list", before: removed });
    if (added.length) head.push({ path, type: "added", entries: "list", after: added });
    for (const e of before) {
      const name = nameOf(e);
      const other = after.find((x) => nameOf(x) === name);
      if (other !== undefined) nested.push(...compareValues(e, other, [...path, { name, id }]));
    }
    return [...head, ...nested];
  }
  if (before.length === 1 && after.length === 1) return compareValues(before[0], after[0], [...path, { index: 0 }]);
  // simple lists: entries compared by value, duplicates counted
  const key = (e: JsonValue) => JSON.stringify(e);
  const count = (l: JsonValue[]) => {
    const m = new Map<string, number>();
    for (const e of l) m.set(key(e), (m.get(key(e)) ?? 0) + 1);
    return m;
  };
  const cb = count(before);
  const ca = count(after);
  const removed: JsonValue[] = [];
  const added: JsonValue[] = [];
  const seenB = new Set<string>();
  for (const e of before) {
    const k = key(e);
    if (seenB.has(k)) continue;
    seenB.add(k);
    for (let i = 0; i < (cb.get(k) ?? 0) - (ca.get(k) ?? 0); i++) removed.push(e);
  }
  const seenA = new Set<string>();
  for (const e of after) {
    const k = key(e);
    if (seenA.has(k)) continue;
    seenA.add(k);
    for (let i = 0; i < (ca.get(k) ?? 0) - (cb.get(k) ?? 0); i++) added.push(e);
  }
  const commonBefore = before.filter((e) => ca.has(key(e)));
  const commonAfter = after.filter((e) => cb.has(key(e)));
  if (commonBefore.length === commonAfter.length && !deepEqual(commonBefore, commonAfter)) {
    head.push({ path, type: "order", before: commonBefore, after: commonAfter });
  }
  if (removed.length) head.push({ path, type: "removed", entries: "list", before: removed });
  if (added.length) head.push({ path, type: "added", entries: "list", after: added });
  return head;
}

/** dyff's dot-style path: `spec.template.spec.containers.app.image`, `(root level)` for the top. */
export function dotPath(path: PathElement[]): string {
  if (path.length === 0) return "(root level)";
  return path.map((e) => ("key" in e ? e.key : "name" in e ? e.name : String(e.index))).join(".");
}

/** A JSON-pointer-like path with list identities: `/spec/containers/name=app/image`. */
export function pointerPath(path: PathElement[]): string {
  if (path.length === 0) return "/";
  const esc = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");
  return path
    .map((e) => "/" + ("key" in e ? esc(e.key) : "name" in e ? `${esc(e.id)}=${esc(e.name)}` : String(e.index)))
    .join("");
}
