// The objects a build can refer to (sources, ConfigMaps, Secrets, HelmReleases),
// read from the files under a path: every YAML document that is a Kubernetes
// object, plus what kustomize generates (configMapGenerator, secretGenerator) in
// the directories that ask for it. Looked up by kind, namespace and name.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { CliError } from "../errors.js";
import { kustomizationFor, parseYamlDocument, splitDocuments } from "../kustomize/build.js";
import type { KubeObj } from "../kustomize/cluster.js";
import { runKustomize, type KustomizeCommand } from "../kustomize/runner.js";
import { apiGroupOf } from "../kube/api-version.js";

const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

export function objectKey(o: KubeObj, defaultNamespace = ""): string {
  return `${apiGroupOf(o.apiVersion)}/${o.kind}/${o.metadata?.namespace || defaultNamespace}/${o.metadata?.name}`;
}

export class ObjectCatalog {
  private readonly byKey = new Map<string, KubeObj>();

  constructor(
    /** Namespace of objects that name none (-n). */
    readonly defaultNamespace: string,
    objects: KubeObj[] = [],
  ) {
    this.add(objects);
  }

  /** Adds objects; a later object replaces an earlier one with the same identity. */
  add(objects: Iterable<KubeObj>): void {
    for (const o of objects) this.byKey.set(objectKey(o, this.defaultNamespace), o);
  }

  get(apiVersionOrGroup: string, kind: string, namespace: string | undefined, name: string): KubeObj | undefined {
    const group = apiVersionOrGroup.includes("/")
      ? apiGroupOf(apiVersionOrGroup)
      : apiVersionOrGroup === "v1"
        ? ""
        : apiVersionOrGroup;
    return this.byKey.get(`${group}/${kind}/${namespace || this.defaultNamespace}/${name}`);
  }

  /** The objects of `kind` in `group` (any version). */
  ofKind(group: string, kind: string): KubeObj[] {
    return [...this.byKey.values()].filter((o) => o.kind === kind && apiGroupOf(o.apiVersion) === group);
  }

  all(): KubeObj[] {
    return [...this.byKey.values()];
  }
}

function isObject(o: unknown): o is KubeObj {
  if (!o || typeof o !== "object" || Array.isArray(o)) return false;
  const k = o as KubeObj;
  return typeof k.apiVersion === "string" && typeof k.kind === "string" && !!k.metadata?.name;
}

/** The Kubernetes objects in a YAML text (kustomize configs and Lists' items handled). */
export async function objectsInYaml(text: string): Promise<KubeObj[]> {
  const out: KubeObj[] = [];
  for (const doc of splitDocuments(text)) {
    let parsed: unknown;
    try {
      parsed = await parseYamlDocument(doc);
    } catch {
      continue; // not YAML a controller would read either
    }
    if (!isObject(parsed)) continue;
    if (parsed.kind === "Kustomization" && String(parsed.apiVersion).startsWith("kustomize.config.k8s.io/")) continue;
    if (parsed.kind?.endsWith("List") && Array.isArray(parsed.items))
      out.push(...(parsed.items as unknown[]).filter(isObject));
    else out.push(parsed);
  }
  return out;
}

/** The YAML files under `dir` (depth first, sorted), skipping dot-directories and Helm charts. */
export async function yamlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch (err) {
      throw new CliError(`cannot read ${d}: ${(err as Error).message}`);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // a chart's templates are Go templates, not manifests
    if (entries.some((e) => e.isFile() && e.name === "Chart.yaml")) return;
    for (const e of entries) {
      if (e.name.startsWith(".")) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && /\.ya?ml$/.test(e.name)) out.push(p);
    }
  };
  await walk(dir);
  return out;
}

export interface LoadOptions {
  kustomize?: KustomizeCommand;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Reads every object in the files under `dir`, plus kustomize-generated ConfigMaps and Secrets. */
export async function loadCatalog(
  dir: string,
  defaultNamespace: string,
  opts: LoadOptions = {},
): Promise<ObjectCatalog> {
  const catalog = new ObjectCatalog(defaultNamespace);
  const files = await yamlFiles(dir);
  const generatorDirs: string[] = [];
  for (const file of files) {
    const text = await readFile(file, "utf8");
    if (KUSTOMIZATION_FILES.includes(path.basename(file))) {
      if (/^\s*(configMapGenerator|secretGenerator)\s*:/m.test(text)) generatorDirs.push(path.dirname(file));
      continue;
    }
    catalog.add(await objectsInYaml(text));
  }
  for (const d of generatorDirs) {
    const kfile = await kustomizationFor(d, {});
    const out = await runKustomize(d, kfile, { command: opts.kustomize, env: opts.env, timeoutMs: opts.timeoutMs });
    // the build's own versions win: generated names, and references kustomize rewrote
    catalog.add(await objectsInYaml(out));
  }
  return catalog;
}
