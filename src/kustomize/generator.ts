// The kustomization.yaml kustomize-controller builds with: the directory's own
// kustomization (or one generated from every manifest found recursively, as the
// controller does, honouring .sourceignore and ignore paths), with the Flux
// Kustomization's spec applied: targetNamespace, namePrefix/nameSuffix,
// patches, images and components.
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { CliError } from "../errors.js";
import { defaultPatterns, IGNORE_FILE, IgnoreMatcher, readPatterns, type IgnorePattern } from "./sourceignore.js";
import { parseAllDocuments } from "yaml";

export const KUSTOMIZATION_FILE_NAMES = ["kustomization.yaml", "kustomization.yml", "Kustomization"] as const;
export const KUSTOMIZE_API_VERSION = "kustomize.config.k8s.io/v1beta1";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

/** The parts of a Flux Kustomization spec that shape the build. */
export interface FluxKustomizationSpec {
  path?: string;
  targetNamespace?: string;
  namePrefix?: string;
  nameSuffix?: string;
  patches?: { patch?: string; target?: Record<string, string> }[];
  images?: { name: string; newName?: string; newTag?: string; digest?: string }[];
  components?: string[];
  ignoreMissingComponents?: boolean;
  commonMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  postBuild?: {
    // Written by hand in YAML: numbers and booleans are turned into text on substitution.
    substitute?: Record<string, unknown>;
    substituteFrom?: { kind: string; name: string; optional?: boolean }[];
  };
  prune?: boolean;
  sourceRef?: { kind: string; name: string; namespace?: string; apiVersion?: string };
  [k: string]: unknown;
}

/** Returns the recognised kustomization file name in `dir`, if any. */
export function findKustomizationFile(dir: string): string | undefined {
  for (const name of KUSTOMIZATION_FILE_NAMES) {
    const p = path.join(dir, name);
    try {
      if (statSync(p).isFile()) return name;
    } catch {
      /* absent */
    }
  }
  return undefined;
}

/**
 * Lists the resources of a generated kustomization: YAML files and directories
 * holding their own kustomization, found recursively in lexical order, as
 * `./relative/path`. Ignored files and directories are skipped.
 */
export function scanResources(root: string, ignore: string[] = []): Promise<string[]> {
  // A promise, so that a bad file is a rejection for callers, as the other build steps.
  return new Promise((resolve) => {
    resolve(walkResources(root, ignore));
  });
}

function walkResources(root: string, ignore: string[]): string[] {
  // .sourceignore files are read as the walk reaches their directory (never
  // inside an ignored one); --ignore-paths patterns come last, so they win.
  const defaults = defaultPatterns();
  const fromFiles: IgnorePattern[] = [];
  const user = ignore.length > 0 ? readPatterns(ignore.join("\n"), []) : [];
  let matcher = new IgnoreMatcher([...defaults, ...user]);
  const out: string[] = [];
  const walk = (dir: string, rel: string[]) => {
    const ignoreFile = path.join(dir, IGNORE_FILE);
    if (existsSync(ignoreFile)) {
      fromFiles.push(...readPatterns(readFileSync(ignoreFile, "utf8"), rel));
      matcher = new IgnoreMatcher([...defaults, ...fromFiles, ...user]);
    }
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const relPath = [...rel, name];
      let st;
      try {
        st = statSync(full);
      } catch {
        continue; // dangling symlink
      }
      if (st.isDirectory()) {
        if (matcher.match(relPath, true)) continue;
        if (findKustomizationFile(full)) {
          out.push("./" + relPath.join("/"));
          continue;
        }
        walk(full, relPath);
        continue;
      }
      const ext = path.extname(name);
      if (ext !== ".yaml" && ext !== ".yml") continue;
      if (matcher.match(relPath, false)) continue;
      const docs = parseAllDocuments(readFileSync(full, "utf8"));
      const [error] = (Array.isArray(docs) ? docs : [docs]).flatMap((d) => d.errors);
      if (error) {
        throw new CliError(`failed to decode Kubernetes YAML from ${full}: ${error.message.split("\n")[0] ?? ""}`);
      }
      out.push("./" + relPath.join("/"));
    }
  };
  walk(root, []);
  return out;
}

/** A kustomization listing `resources`, as kustomize-controller generates it. */
export function generatedKustomization(resources: string[]): JsonObject {
  const k: JsonObject = { apiVersion: KUSTOMIZE_API_VERSION, kind: "Kustomization" };
  if (resources.length > 0) k.resources = resources;
  return k;
}

function selector(target: Record<string, string> | undefined): JsonObject | undefined {
  if (!target) return undefined;
  const out: JsonObject = {};
  for (const key of ["group", "version", "kind", "name", "namespace", "labelSelector", "annotationSelector"]) {
    const v = target[key];
    if (v) out[key] = v;
  }
  return out;
}

/**
 * Applies the Flux Kustomization spec to a kustomize Kustomization object (not
 * mutated). `dir` is where the kustomization lives; used to drop missing
 * components when spec.ignoreMissingComponents is set.
 */
export function applyFluxSpec(kus: JsonObject, spec: FluxKustomizationSpec, dir?: string): JsonObject {
  const out: JsonObject = { apiVersion: KUSTOMIZE_API_VERSION, kind: "Kustomization", ...structuredClone(kus) };
  if (spec.targetNamespace) out.namespace = spec.targetNamespace;
  if (spec.namePrefix) out.namePrefix = spec.namePrefix;
  if (spec.nameSuffix) out.nameSuffix = spec.nameSuffix;
  for (const p of spec.patches ?? []) {
    const patches = Array.isArray(out.patches) ? out.patches : [];
    const entry: JsonObject = { patch: p.patch ?? "" };
    const target = selector(p.target);
    if (target) entry.target = target;
    patches.push(entry);
    out.patches = patches;
  }
  for (const image of spec.images ?? []) {
    // a user's kustomization.yaml: an entry may be anything
    const images: Json[] = Array.isArray(out.images) ? out.images : [];
    const entry: JsonObject = { name: image.name };
    if (image.newName) entry.newName = image.newName;
    if (image.newTag) entry.newTag = image.newTag;
    if (image.digest) entry.digest = image.digest;
    const i = images.findIndex(
      (e) => e !== null && typeof e === "object" && !Array.isArray(e) && e.name === image.name,
    );
    if (i >= 0) images[i] = entry;
    else images.push(entry);
    out.images = images;
  }
  let components = spec.components ?? [];
  if (spec.ignoreMissingComponents && dir) components = components.filter((c) => existsSync(path.resolve(dir, c)));
  if (components.length > 0) {
    const existing = Array.isArray(out.components) ? out.components : [];
    out.components = [...existing, ...components];
  }
  return out;
}

/** True when `p` is a symlink (lstat), false when absent. */
export function isSymlink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
