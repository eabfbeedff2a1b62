// The values a HelmRelease installs with, as helm-controller computes them
// (fluxcd/pkg/chartutil ChartValuesFromReferences): each valuesFrom reference in
// order, merged map by map (or set at its targetPath), then spec.values on top.
// The ConfigMaps and Secrets come from the objects tsflux found in the files.
import { CliError } from "../errors.js";
import type { ObjectCatalog } from "./catalog.js";
import type { HelmRelease, ValuesReference } from "./types.js";
import * as YAML from "yaml";

export type Values = Record<string, unknown>;

const isMap = (v: unknown): v is Values => !!v && typeof v === "object" && !Array.isArray(v);

/** transform.MergeMaps: b over a, maps merged recursively, everything else replaced. */
export function mergeMaps(a: Values, b: Values): Values {
  const out: Values = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = isMap(v) && isMap(cur) ? mergeMaps(cur, v) : v;
  }
  return out;
}

/** strvals' typing of an unquoted value: booleans, null, integers (no leading zero), else text. */
function typedValue(value: string): unknown {
  if (value.toLowerCase() === "true") return true;
  if (value.toLowerCase() === "false") return false;
  if (value === "null") return null;
  if (value === "0") return 0;
  if (/^[-+]?[1-9]\d*$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value);
  return value;
}

type PathPart = { key: string } | { index: number };

/** strvals' path syntax: `a.b\.c.list[0].d`. */
export function parseValuesPath(path: string): PathPart[] {
  const parts: PathPart[] = [];
  let cur = "";
  const flush = () => {
    if (cur !== "") parts.push({ key: cur });
    cur = "";
  };
  for (let i = 0; i < path.length; i++) {
    const c = path.charAt(i);
    if (c === "\\" && i + 1 < path.length) {
      cur += path.charAt(++i);
    } else if (c === ".") {
      if (cur === "" && parts.length === 0) throw new CliError(`invalid targetPath '${path}': empty key`);
      flush();
    } else if (c === "[") {
      flush();
      const end = path.indexOf("]", i);
      const n = Number(path.slice(i + 1, end));
      if (end < 0 || !Number.isInteger(n) || n < 0) throw new CliError(`invalid targetPath '${path}': bad list index`);
      parts.push({ index: n });
      i = end;
    } else cur += c;
  }
  flush();
  if (parts.length === 0) throw new CliError(`invalid targetPath '${path}': empty key`);
  return parts;
}

/**
 * ReplacePathValue: sets `value` at `path`; a quoted value is set as a string
 * (quotes removed), anything else typed as `helm --set` types it.
 */
export function replacePathValue(values: Values, path: string, value: string): void {
  const quoted = /^(['"]).*\1$/s.test(value) && value.length >= 2;
  const typed = quoted ? value.replace(/^['"]+|['"]+$/g, "") : typedValue(value);
  const parts = parseValuesPath(path);
  let node: unknown = values;
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    const next = parts[i + 1];
    const fresh = () => (next && "index" in next ? [] : {});
    if ("key" in part) {
      const m = node as Values;
      if (last) m[part.key] = typed;
      else {
        if (!(next && "index" in next ? Array.isArray(m[part.key]) : isMap(m[part.key]))) m[part.key] = fresh();
        node = m[part.key];
      }
    } else {
      const list = node as unknown[];
      while (list.length <= part.index) list.push(null);
      if (last) list[part.index] = typed;
      else {
        if (!(next && "index" in next ? Array.isArray(list[part.index]) : isMap(list[part.index])))
          list[part.index] = fresh();
        node = list[part.index];
      }
    }
  }
}

function decodeSecretValue(obj: Record<string, unknown>, key: string): string | undefined {
  const data = obj.data as Record<string, string> | undefined;
  if (data && typeof data[key] === "string") return Buffer.from(data[key], "base64").toString("utf8");
  // stringData as the API server would fold it into data
  const stringData = obj.stringData as Record<string, string> | undefined;
  if (stringData && typeof stringData[key] === "string") return stringData[key];
  return undefined;
}

/** Where the referenced values come from, and how a failure to read them is worded. */
export interface ValuesSource {
  /** The text of one reference, or undefined when it is optional and absent. */
  text(ref: ValuesReference): Promise<string | undefined>;
  /** The error for a reference whose text is not a YAML map. */
  readError(ref: ValuesReference, detail: string): CliError;
}

/** A catalog of the objects found in files (build/diff helmrelease, offline). */
export function catalogValues(catalog: ObjectCatalog, namespace: string): ValuesSource {
  return {
    text: (ref) => Promise.resolve(referenceText(ref, namespace, catalog)),
    readError: (ref, detail) =>
      new CliError(
        `unable to read values from key '${ref.valuesKey || "values.yaml"}' in ${ref.kind} '${namespace}/${ref.name}': ${detail}`,
      ),
  };
}

/** Reads the values of one reference, or undefined when it is optional and absent. */
function referenceText(ref: ValuesReference, namespace: string, catalog: ObjectCatalog): string | undefined {
  const key = ref.valuesKey || "values.yaml";
  const where = `${ref.kind} '${namespace}/${ref.name}'`;
  if (ref.kind !== "ConfigMap" && ref.kind !== "Secret")
    throw new CliError(`valuesFrom: unsupported kind '${ref.kind}' of '${ref.name}': must be ConfigMap or Secret`);
  const obj = catalog.get("v1", ref.kind, namespace, ref.name);
  if (!obj) {
    if (ref.optional) return undefined;
    throw new CliError(
      `could not find ${where} in the files: add it under --path, or mark the valuesFrom reference optional`,
    );
  }
  if (ref.kind === "Secret" && obj.sops)
    throw new CliError(`${where} is SOPS-encrypted: its values cannot be read offline; decrypt it into --path`);
  const text =
    ref.kind === "Secret"
      ? decodeSecretValue(obj, key)
      : ((obj.data as Record<string, string> | undefined)?.[key] ?? undefined);
  if (text === undefined) {
    if (ref.optional) return undefined;
    throw new CliError(`could not find key '${key}' in ${where}`);
  }
  return text;
}

/**
 * The ConfigMaps and Secrets of a cluster, with chartutil's wording of each failure
 * ("could not resolve [optional] <Kind> chart values reference '<ns>/<name>' with key '<key>': <reason>").
 */
export function clusterValues(
  get: (kind: "ConfigMap" | "Secret", name: string) => Promise<Record<string, unknown> | undefined>,
  namespace: string,
): ValuesSource {
  const failure = (ref: ValuesReference, reason: string) =>
    new CliError(
      `could not resolve${ref.optional ? " optional" : ""}${ref.kind ? ` ${ref.kind}` : ""} chart values reference '${namespace}/${ref.name}' with key '${ref.valuesKey || "values.yaml"}': ${reason}`,
    );
  // chartutil reads each object once, whatever the number of references to it
  const seen = new Map<string, Promise<Record<string, unknown> | undefined>>();
  return {
    async text(ref) {
      if (ref.kind !== "ConfigMap" && ref.kind !== "Secret") throw failure(ref, "unsupported values reference kind");
      const id = `${ref.kind}/${ref.name}`;
      let pending = seen.get(id);
      if (!pending) {
        pending = get(ref.kind, ref.name);
        seen.set(id, pending);
      }
      const obj = await pending;
      if (!obj) {
        if (ref.optional) return undefined;
        throw failure(ref, `${ref.kind === "Secret" ? "secrets" : "configmaps"} "${ref.name}" not found`);
      }
      const key = ref.valuesKey || "values.yaml";
      const data = obj.data as Record<string, string> | undefined;
      if (!data || typeof data[key] !== "string") {
        if (ref.optional) return undefined;
        throw failure(ref, "key not found");
      }
      return ref.kind === "Secret" ? Buffer.from(data[key], "base64").toString("utf8") : data[key];
    },
    readError: (ref, detail) => failure(ref, detail),
  };
}

/** The values helm-controller would install `hr` with, from the given ConfigMaps and Secrets. */
export async function chartValues(hr: HelmRelease, source: ValuesSource): Promise<Values> {
  let result: Values = {};
  for (const ref of hr.spec?.valuesFrom ?? []) {
    const text = await source.text(ref);
    if (text === undefined) continue;
    if (ref.targetPath) {
      replacePathValue(result, ref.targetPath, text);
      continue;
    }
    let parsed: unknown;
    try {
      parsed = YAML.parse(text, { version: "1.1" });
    } catch (err) {
      throw source.readError(ref, (err as Error).message.split("\n")[0] ?? "");
    }
    if (parsed !== null && parsed !== undefined && !isMap(parsed)) throw source.readError(ref, "not a map");
    result = mergeMaps(result, parsed ?? {});
  }
  return mergeMaps(result, hr.spec?.values ?? {});
}

/** The values helm-controller would install `hr` with, from the objects found in the files. */
export async function releaseValues(hr: HelmRelease, catalog: ObjectCatalog, namespace: string): Promise<Values> {
  return await chartValues(hr, catalogValues(catalog, namespace));
}
