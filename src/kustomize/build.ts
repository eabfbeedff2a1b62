// `flux build kustomization`: the Flux Kustomization (from the cluster, or from a
// file with --dry-run), the real kustomize on the local path, then what
// kustomize-controller does on top: post-build substitution, owner labels,
// SOPS masking, commonMetadata, and (with --recursive) nested Kustomizations
// built from --local-sources.
import { readFileSync, realpathSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { CliError, errorMessage } from "../errors.js";
import { flagValue, stringToString } from "../util/flag-values.js";
import { apiVersionOf, mustKind } from "../kinds/registry.js";
import type { KubeObj, ObjectReader } from "./cluster.js";
import { EnvsubstError, evalEnvsubst, isValidVarName, VARSUB_REGEX_SOURCE } from "./envsubst.js";
import {
  applyFluxSpec,
  findKustomizationFile,
  generatedKustomization,
  scanResources,
  type FluxKustomizationSpec,
  type JsonObject,
} from "./generator.js";
import { runKustomize, type KustomizeCommand } from "./runner.js";
import { maskSopsData } from "./sops.js";
import { parseAllDocuments } from "yaml";
import { toYaml } from "../yaml/printer.js";
import { readBlockYaml } from "../yaml/block.js";
import * as YAML from "yaml";

const KUSTOMIZATION = mustKind("Kustomization");
export const KUSTOMIZE_GROUP = KUSTOMIZATION.group;
export const KUSTOMIZATION_API_VERSION = apiVersionOf(KUSTOMIZATION);
export const SUBSTITUTE_KEY = `${KUSTOMIZE_GROUP}/substitute`;

export interface FluxKustomization extends KubeObj {
  spec?: FluxKustomizationSpec;
  status?: { inventory?: { entries?: { id: string; v: string }[] }; [k: string]: unknown };
}

export interface BuildOptions {
  name: string;
  /** Local directory matching spec.path. */
  path: string;
  /** Namespace of the Kustomization (-n). */
  namespace: string;
  kustomizationFile?: string | undefined;
  /** A Kustomization missing from the cluster is taken from kustomizationFile (a new one). */
  ignoreNotFound?: boolean | undefined;
  /** Build without a cluster (requires kustomizationFile); substituteFrom is skipped. */
  dryRun?: boolean | undefined;
  ignorePaths?: string[] | undefined;
  strictSubstitute?: boolean | undefined;
  recursive?: boolean | undefined;
  /** "Kind/namespace/name" → local directory. */
  localSources?: Record<string, string> | undefined;
  timeoutMs?: number | undefined;
  /** Reads objects from the cluster; required unless dryRun. */
  reader?: ObjectReader | undefined;
  kustomize?: KustomizeCommand | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  signal?: AbortSignal | undefined;
  /** Told once when the kustomize found is not the version flux v2.9.5 builds with. */
  warn?: ((line: string) => void) | undefined;
}

export interface BuildResult {
  /** The Kustomization the build used (status merged from the cluster when a file was given). */
  kustomization: FluxKustomization;
  objects: KubeObj[];
}

const FILE_LOOKUP_FAILED = (name: string, ns: string, file: string) =>
  `failed find kustomization with name '${name}' and namespace '${ns}' in file '${file}'`;

/** Finds the Kustomization `name` (in `namespace` or without one) among the documents of `file`. */
export async function readKustomizationFile(file: string, name: string, namespace: string): Promise<FluxKustomization> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new CliError(`failed to read kustomization file ${file}: ${(err as Error).message}`);
  }
  const docs = parseAllDocuments(text);
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    const [error] = doc.errors;
    if (error) {
      throw new CliError(`failed to unmarshall kustomization file ${file}: ${firstLine(error.message)}`);
    }
    const obj = doc.toJS() as FluxKustomization | null;
    if (!obj || typeof obj !== "object") continue;
    if (
      typeof obj.apiVersion === "string" &&
      obj.apiVersion.startsWith(`${KUSTOMIZE_GROUP}/`) &&
      obj.kind === "Kustomization" &&
      obj.metadata?.name === name &&
      (obj.metadata.namespace === namespace || !obj.metadata.namespace)
    ) {
      return obj;
    }
  }
  throw new CliError(FILE_LOOKUP_FAILED(name, namespace, file));
}

// ----------------------------------------------------------------- YAML

/** Splits kustomize's output into document texts. */
export function splitDocuments(text: string): string[] {
  const docs: string[] = [];
  let cur: string[] = [];
  for (const line of text.split("\n")) {
    if (/^---\s*$/.test(line)) {
      docs.push(cur.join("\n"));
      cur = [];
    } else cur.push(line);
  }
  docs.push(cur.join("\n"));
  return docs.filter((d) => d.trim() !== "");
}

/**
 * Parses one document as sigs.k8s.io/yaml would (YAML 1.1 scalars, timestamps kept as
 * text): kustomize's plain block YAML by the fast reader (src/yaml/block.ts), anything it
 * leaves, and everything with `fast: false`, by the yaml package.
 */
export function parseYamlDocument(text: string, opts: { fast?: boolean } = {}): Promise<unknown> {
  // A promise, so that callers chain .catch on a parse error as on the other steps.
  return new Promise((resolve) => {
    resolve(readYamlDocument(text, opts));
  });
}

function firstLine(message: string): string {
  return message.split("\n", 1)[0] ?? "";
}

function readYamlDocument(text: string, opts: { fast?: boolean }): unknown {
  if (opts.fast !== false) {
    const read = readBlockYaml(text);
    if (read !== undefined) return read;
  }
  const doc = YAML.parseDocument(text, {
    version: "1.1",
    customTags: (tags) =>
      tags.filter((t) => !(typeof t === "object" && "tag" in t && t.tag === "tag:yaml.org,2002:timestamp")),
    uniqueKeys: false,
  });
  const [error] = doc.errors;
  if (error) throw new Error(firstLine(error.message));
  return doc.toJS({ maxAliasCount: -1 });
}

function isKubernetesObject(o: unknown): o is KubeObj {
  if (!o || typeof o !== "object" || Array.isArray(o)) return false;
  const obj = o as KubeObj;
  return (
    typeof obj.apiVersion === "string" &&
    obj.apiVersion !== "" &&
    typeof obj.kind === "string" &&
    obj.kind !== "" &&
    !!obj.metadata?.name
  );
}

function isKustomizeConfig(o: KubeObj): boolean {
  return (
    o.kind === "Kustomization" &&
    typeof o.apiVersion === "string" &&
    o.apiVersion.startsWith("kustomize.config.k8s.io/")
  );
}

// ----------------------------------------------------------------- substitution

function substitutionDisabled(o: KubeObj): boolean {
  return (
    o.metadata?.labels?.[SUBSTITUTE_KEY] === "disabled" || o.metadata?.annotations?.[SUBSTITUTE_KEY] === "disabled"
  );
}

/** Loads the variables of spec.postBuild: substituteFrom (unless dryRun) overridden by substitute. */
export async function loadVariables(
  ks: FluxKustomization,
  opts: { dryRun?: boolean | undefined; reader?: ObjectReader | undefined; namespace: string },
): Promise<Map<string, string>> {
  const vars = new Map<string, string>();
  const postBuild = ks.spec?.postBuild;
  if (!postBuild) return vars;
  const ns = ks.metadata?.namespace || opts.namespace;
  if (!opts.dryRun) {
    for (const ref of postBuild.substituteFrom ?? []) {
      if (ref.kind !== "ConfigMap" && ref.kind !== "Secret") continue;
      if (!opts.reader) throw new CliError("a cluster connection is required to read substituteFrom");
      let obj: KubeObj | undefined;
      try {
        obj = await opts.reader.get("v1", ref.kind, ns, ref.name);
      } catch (err) {
        throw new CliError(`substitute from '${ref.kind}/${ref.name}' error: ${(err as Error).message}`);
      }
      if (!obj) {
        if (ref.optional) continue;
        const plural = ref.kind === "ConfigMap" ? "configmaps" : "secrets";
        throw new CliError(`substitute from '${ref.kind}/${ref.name}' error: ${plural} "${ref.name}" not found`);
      }
      // API server JSON: strings, unless the object is not what its kind says.
      const data = (obj.data ?? {}) as Record<string, unknown>;
      for (const [k, v] of Object.entries(data)) {
        const value = ref.kind === "Secret" ? Buffer.from(String(v), "base64").toString("utf8") : String(v);
        vars.set(k, value.replaceAll("\n", ""));
      }
    }
  }
  for (const [k, v] of Object.entries(postBuild.substitute ?? {})) vars.set(k, String(v).replaceAll("\n", ""));
  return vars;
}

function substituteText(text: string, vars: Map<string, string>, strict: boolean): string {
  for (const name of vars.keys()) {
    if (!isValidVarName(name))
      throw new CliError(`envsubst error: '${name}' var name is invalid, must match '${VARSUB_REGEX_SOURCE}'`);
  }
  try {
    return evalEnvsubst(text, (name) => {
      const v = vars.get(name);
      return strict ? [v ?? "", v !== undefined] : [v ?? "", true];
    });
  } catch (err) {
    if (err instanceof EnvsubstError)
      throw new CliError(`envsubst error: variable substitution failed: ${err.message}`);
    throw err;
  }
}

// ----------------------------------------------------------------- metadata

function setOwnerLabels(o: KubeObj, ks: FluxKustomization): void {
  const md = (o.metadata ??= {});
  md.labels = {
    ...(md.labels ?? {}),
    [`${KUSTOMIZE_GROUP}/name`]: ks.metadata?.name ?? "",
    [`${KUSTOMIZE_GROUP}/namespace`]: ks.metadata?.namespace ?? "",
  };
}

export function setCommonMetadata(
  objects: KubeObj[],
  labels: Record<string, string> = {},
  annotations: Record<string, string> = {},
): void {
  for (const o of objects) {
    const md = (o.metadata ??= {});
    const l = { ...(md.labels ?? {}), ...labels };
    if (Object.keys(l).length > 0) md.labels = l;
    const a = { ...(md.annotations ?? {}), ...annotations };
    if (Object.keys(a).length > 0) md.annotations = a;
  }
}

// ----------------------------------------------------------------- build

async function resolveKustomization(opts: BuildOptions, fallback?: FluxKustomization): Promise<FluxKustomization> {
  let live: FluxKustomization | undefined;
  if (opts.dryRun) {
    live = fallback;
  } else {
    if (!opts.reader) throw new CliError("client is required for live run");
    try {
      live = await opts.reader.get(KUSTOMIZATION_API_VERSION, "Kustomization", opts.namespace, opts.name);
    } catch (err) {
      throw new CliError(`failed to get kustomization object: ${(err as Error).message}`);
    }
    if (!live) {
      if (!fallback && !(opts.ignoreNotFound && opts.kustomizationFile)) {
        throw new CliError(
          `failed to get kustomization object: kustomizations.${KUSTOMIZE_GROUP} "${opts.name}" not found`,
        );
      }
      live = fallback;
    }
  }
  if (opts.kustomizationFile && !fallback) {
    const k = await readKustomizationFile(opts.kustomizationFile, opts.name, opts.namespace);
    if (!opts.dryRun && live?.status?.inventory) k.status = structuredClone(live.status);
    return k;
  }
  if (!live) throw new CliError("kustomization file is required for dry-run");
  return live;
}

/**
 * The kustomization file (name and text) the build runs with. A generated one
 * is rendered for the directory it is built in: it references the user's
 * files by relative paths from there (kustomize refuses absolute directories).
 */
export async function kustomizationFor(
  dir: string,
  spec: FluxKustomizationSpec,
  ignorePaths: string[] = [],
): Promise<{ name: string; text: string | ((buildDir: string) => string); generated: boolean; standalone: boolean }> {
  const existing = findKustomizationFile(dir);
  const finish = (out: JsonObject): string => {
    // kustomize-controller builds with krusty's defaults: resources in input order
    // (the kustomize CLIs default to the legacy kind order).
    if (!("sortOptions" in out)) out.sortOptions = { order: "fifo" };
    return JSON.stringify(out, null, 2) + "\n";
  };
  if (existing) {
    const file = path.join(dir, existing);
    let kus: JsonObject;
    try {
      const parsed = await parseYamlDocument(readFileSync(file, "utf8"));
      kus = (parsed && typeof parsed === "object" ? parsed : {}) as JsonObject;
    } catch (err) {
      throw new CliError(`failed to generate kustomization.yaml: ${file}: ${(err as Error).message}`);
    }
    return { name: existing, text: finish(applyFluxSpec(kus, spec, dir)), generated: false, standalone: false };
  }
  const real = realpathSync(dir);
  const resources = (await scanResources(dir, ignorePaths)).map((r) => path.join(real, r));
  const components = spec.components?.map((c) => path.resolve(real, c));
  const text = (buildDir: string) => {
    const rel = (abs: string) => path.relative(buildDir, abs) || ".";
    const effective = components ? { ...spec, components: components.map(rel) } : spec;
    return finish(applyFluxSpec(generatedKustomization(resources.map(rel)), effective, dir));
  };
  return { name: "kustomization.yaml", text, generated: true, standalone: true };
}

/** Builds one Kustomization (and, with recursive, the Kustomizations it contains). */
export async function buildKustomization(opts: BuildOptions, fallback?: FluxKustomization): Promise<BuildResult> {
  let st;
  try {
    st = statSync(opts.path);
  } catch {
    st = undefined;
  }
  if (!st?.isDirectory()) throw new CliError(`invalid resource path "${opts.path}"`);
  const ks = await resolveKustomization(opts, fallback);
  const spec = ks.spec ?? {};

  const kfile = await kustomizationFor(opts.path, spec, opts.ignorePaths);
  const runOpts = {
    command: opts.kustomize,
    env: opts.env,
    timeoutMs: opts.timeoutMs,
    signal: opts.signal,
    warn: opts.warn,
  };
  let output: string;
  try {
    output = await runKustomize(opts.path, kfile, runOpts);
  } catch (err) {
    // kustomize before v5 does not know sortOptions: build again in its (legacy) order
    if (!(err instanceof CliError) || !/sortOptions/.test(err.message)) throw err;
    const withoutSort = (text: string) => {
      const k = JSON.parse(text) as JsonObject;
      delete k.sortOptions;
      return JSON.stringify(k, null, 2) + "\n";
    };
    const text = kfile.text;
    output = await runKustomize(
      opts.path,
      { ...kfile, text: typeof text === "function" ? (d: string) => withoutSort(text(d)) : withoutSort(text) },
      runOpts,
    );
  }

  let vars: Map<string, string> | undefined;
  let objects: KubeObj[] = [];
  for (const raw of splitDocuments(output)) {
    let parsed = await parseYamlDocument(raw).catch((err: unknown) => {
      throw new CliError(`kustomize build failed: ${errorMessage(err)}`);
    });
    if (!isKubernetesObject(parsed)) continue;
    let text = raw;
    if (spec.postBuild && !substitutionDisabled(parsed)) {
      const name = parsed.metadata?.name ?? "";
      try {
        vars ??= await loadVariables(ks, { dryRun: opts.dryRun, reader: opts.reader, namespace: opts.namespace });
      } catch (err) {
        throw new CliError(`var substitution failed for '${name}': ${(err as Error).message}`);
      }
    }
    if (spec.postBuild && vars && vars.size > 0 && !substitutionDisabled(parsed)) {
      const name = parsed.metadata?.name ?? "";
      try {
        text = substituteText(raw, vars, Boolean(opts.strictSubstitute));
        parsed = await parseYamlDocument(text).catch((err: unknown) => {
          throw new CliError(`YAMLToJSON: ${errorMessage(err)}`);
        });
      } catch (err) {
        throw new CliError(`var substitution failed for '${name}': ${(err as Error).message}`);
      }
      if (!isKubernetesObject(parsed)) continue;
    }
    const list = parsed.kind?.endsWith("List") && Array.isArray(parsed.items) ? (parsed.items as unknown[]) : [parsed];
    for (const item of list) {
      if (!isKubernetesObject(item) || isKustomizeConfig(item)) continue;
      setOwnerLabels(item, ks);
      maskSopsData(item, text);
      objects.push(item);
    }
  }

  const cm = spec.commonMetadata;
  if (cm) setCommonMetadata(objects, cm.labels, cm.annotations);

  if (opts.recursive) {
    const nested: KubeObj[] = [];
    for (const o of objects) {
      if (!(
        typeof o.apiVersion === "string" &&
        o.apiVersion.startsWith(`${KUSTOMIZE_GROUP}/`) &&
        o.kind === "Kustomization"
      ))
        continue;
      const child = o as FluxKustomization;
      if (child.metadata?.name === ks.metadata?.name && child.metadata?.namespace === ks.metadata?.namespace) continue;
      const childNs = child.metadata?.namespace || opts.namespace;
      const ref = child.spec?.sourceRef;
      const key = `${ref?.kind ?? ""}/${ref?.namespace || childNs}/${ref?.name ?? ""}`;
      const local = opts.localSources?.[key];
      if (!local) throw new CliError(`cannot get local path for ${key} of kustomization ${child.metadata?.name}`);
      const childName = child.metadata?.name;
      if (childName === undefined) throw new CliError(`a nested Kustomization in ${key} has no metadata.name`);
      const sub = await buildKustomization(
        {
          ...opts,
          name: childName,
          namespace: childNs,
          path: path.join(local, child.spec?.path ?? ""),
          kustomizationFile: undefined,
        },
        child,
      );
      nested.push(...sub.objects);
    }
    objects = [...objects, ...nested];
  }
  return { kustomization: ks, objects };
}

/** Upstream's printing: each object as YAML followed by `---`. */
export function objectsToYaml(objects: KubeObj[]): Promise<string> {
  return Promise.resolve(objects.map((o) => toYaml(o) + "---\n").join(""));
}

/** Parses `Kind/namespace/name=path,...` as pflag's stringToString; later values add to earlier ones. */
export function parseLocalSources(values: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) Object.assign(out, flagValue(v, "local-sources", stringToString));
  return out;
}
