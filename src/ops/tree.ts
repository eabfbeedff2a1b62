// `flux tree kustomization <name>`: the Kustomization's status.inventory as a tree,
// nested Kustomizations and HelmReleases (from the Helm storage secret) expanded.
import { gunzipSync } from "node:zlib";
import type { Deps } from "../deps.js";
import { CliError } from "../errors.js";
import { mustKind, resourceOf } from "../kinds/registry.js";
import { isNotFound, kubeRest, listAll, resourcePath, type KubeObject, type RestTarget } from "../kube/rest.js";
import type { Writable } from "../output/logger.js";
import { DATA_FORMATS, parseOutputFormat, printJson, printYaml } from "../output/printers.js";
import { clientFor, getObject } from "./common.js";
import { parseAllDocuments } from "yaml";
import { resolveResource } from "../kube/discovery.js";

/** cli-utils' ObjMetadata, with its Go field names (they are the JSON/YAML keys upstream prints). */
export interface ObjMetadata {
  Namespace: string;
  Name: string;
  GroupKind: { Group: string; Kind: string };
}

export interface ObjTree {
  resource: ObjMetadata;
  resources?: ObjTree[];
}

const KS_GROUP = mustKind("Kustomization").group;
const HR_GROUP = mustKind("HelmRelease").group;
/** --compact keeps the objects of the Flux APIs (every *.toolkit.fluxcd.io group). */
const COMPACT_GROUP = "toolkit.fluxcd.io";

/** Parses an inventory id `<namespace>_<name>_<group>_<kind>` (a `__` in the name stands for `:`). */
export function parseObjMetadata(id: string): ObjMetadata {
  const bad = () => new CliError(`unable to parse inventory entry '${id}': expected <namespace>_<name>_<group>_<kind>`);
  let i = id.indexOf("_");
  if (i < 0) throw bad();
  const namespace = id.slice(0, i);
  let rest = id.slice(i + 1);
  i = rest.lastIndexOf("_");
  if (i < 0) throw bad();
  const kind = rest.slice(i + 1);
  rest = rest.slice(0, i);
  i = rest.lastIndexOf("_");
  if (i < 0) throw bad();
  const group = rest.slice(i + 1);
  const name = rest.slice(0, i).replaceAll("__", ":");
  if (!name || !kind) throw bad();
  return { Namespace: namespace, Name: name, GroupKind: { Group: group, Kind: kind } };
}

/** ssa's FmtObjMetadata: Kind/namespace/name, or Kind/name for cluster-scoped objects. */
export function fmtObjMetadata(m: ObjMetadata): string {
  return m.Namespace ? `${m.GroupKind.Kind}/${m.Namespace}/${m.Name}` : `${m.GroupKind.Kind}/${m.Name}`;
}

/** Renders the tree with upstream's characters; ends with the blank line upstream's Println adds. */
export function printTree(t: ObjTree): string {
  return `${fmtObjMetadata(t.resource)}\n${printItems(t.resources ?? [], [])}\n`;
}

function printItems(items: ObjTree[], spaces: boolean[]): string {
  let out = "";
  items.forEach((item, i) => {
    const last = i === items.length - 1;
    const prefix = spaces.map((s) => (s ? "    " : "│   ")).join("");
    out += `${prefix}${last ? "└── " : "├── "}${fmtObjMetadata(item.resource)}\n`;
    if (item.resources && item.resources.length > 0) out += printItems(item.resources, [...spaces, last]);
  });
  return out;
}

/** Go's json.MarshalIndent(tree, "", "  ") (+ Println's newline); `resources` omitted when empty. */
export function treeJson(t: ObjTree): string {
  return printJson(t).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}

export function treeYaml(t: ObjTree): string {
  return printYaml(t) + "\n";
}

function add(parent: ObjTree, m: ObjMetadata): ObjTree {
  const node: ObjTree = { resource: m };
  (parent.resources ??= []).push(node);
  return node;
}

/** Builds the tree below a Kustomization object. */
export async function treeKustomization(
  client: RestTarget,
  tree: ObjTree,
  ks: KubeObject,
  compact: boolean,
  seen = new Set<string>(),
): Promise<void> {
  const entries = (ks.status as { inventory?: { entries?: { id: string }[] } } | undefined)?.inventory?.entries ?? [];
  const key = `${ks.metadata.namespace}/${ks.metadata.name}`;
  if (seen.has(key)) return; // a Kustomization that (indirectly) applies itself
  seen.add(key);
  const remote = Boolean((ks.spec as { kubeConfig?: unknown } | undefined)?.kubeConfig);
  for (const entry of entries) {
    const m = parseObjMetadata(entry.id);
    if (compact && !m.GroupKind.Group.includes(COMPACT_GROUP)) continue;
    const isKs = m.GroupKind.Group === KS_GROUP && m.GroupKind.Kind === "Kustomization";
    if (isKs && m.Namespace === ks.metadata.namespace && m.Name === ks.metadata.name) continue;
    const node = add(tree, m);
    if (m.GroupKind.Group === HR_GROUP && m.GroupKind.Kind === "HelmRelease" && !remote) {
      for (const obj of await helmReleaseInventory(client, m.Namespace, m.Name)) {
        if (compact && !obj.GroupKind.Group.includes(COMPACT_GROUP)) continue;
        add(node, obj);
      }
    }
    if (isKs && !remote) {
      let child: KubeObject;
      try {
        child = await getObject(client, mustKind("Kustomization"), m.Namespace, m.Name);
      } catch (err) {
        throw new CliError(`failed to find object: ${(err as Error).message}`);
      }
      await treeKustomization(client, node, child, compact, seen);
    }
  }
}

/** An object of a release's manifest, as YAML a chart rendered. */
interface ManifestObject {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown } | null;
}

interface HelmStorage {
  name?: string;
  manifest?: string;
}

/** The objects of a HelmRelease's latest release, read from Helm's storage secret. */
export async function helmReleaseInventory(
  client: RestTarget,
  namespace: string,
  name: string,
): Promise<ObjMetadata[]> {
  let hr: KubeObject;
  try {
    hr = await kubeRest<KubeObject>(client, "GET", resourcePath(resourceOf(mustKind("HelmRelease")), namespace, name));
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
  const spec = (hr.spec ?? {}) as { kubeConfig?: unknown; install?: { crds?: string }; upgrade?: { crds?: string } };
  if (spec.kubeConfig) return [];
  const status = (hr.status ?? {}) as {
    storageNamespace?: string;
    history?: { name: string; namespace: string; version: number }[];
  };
  const latest = status.history?.[0];
  if (!status.storageNamespace || !latest) return [];
  const secretName = `sh.helm.release.v1.${latest.name}.v${latest.version}`;
  let secret: { data?: Record<string, string> };
  try {
    secret = await kubeRest(
      client,
      "GET",
      `/api/v1/namespaces/${encodeURIComponent(status.storageNamespace)}/secrets/${encodeURIComponent(secretName)}`,
    );
  } catch (err) {
    if (isNotFound(err)) return [];
    throw new CliError(
      `failed to find the Helm storage object for HelmRelease '${namespace}/${name}': ${(err as Error).message}`,
    );
  }
  const data = secret.data?.release;
  if (!data) throw new CliError(`failed to decode the Helm storage object for HelmRelease '${namespace}/${name}'`);
  let rls: HelmStorage;
  try {
    // The secret's data is base64 (Kubernetes) of base64 (Helm) of gzip'ed JSON.
    let b = Buffer.from(Buffer.from(data, "base64").toString("utf8"), "base64");
    if (b[0] === 0x1f && b[1] === 0x8b && b[2] === 0x08) b = gunzipSync(b);
    rls = JSON.parse(b.toString("utf8")) as HelmStorage;
  } catch (err) {
    throw new CliError(
      `failed to decode the Helm storage object for HelmRelease '${namespace}/${name}': ${(err as Error).message}`,
    );
  }
  const result: ObjMetadata[] = [];
  for (const doc of parseAllDocuments(rls.manifest ?? "")) {
    // what a chart rendered: any field may be missing or of another type
    const o = doc.toJS() as ManifestObject | null;
    if (!o || typeof o !== "object") continue;
    const { kind, metadata } = o;
    if (typeof kind !== "string" || !kind || typeof metadata?.name !== "string" || !metadata.name) continue;
    const apiVersion = typeof o.apiVersion === "string" ? o.apiVersion : "";
    const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
    let ns = typeof metadata.namespace === "string" ? metadata.namespace : "";
    if (!ns && (await isNamespaced(client, apiVersion, kind))) ns = latest.namespace;
    result.push({ Namespace: ns, Name: metadata.name, GroupKind: { Group: group, Kind: kind } });
  }
  // CRDs installed by the release (install/upgrade crds not Skip) carry the HelmRelease labels.
  const crdPolicy = (p?: string) => Boolean(p) && p !== "Skip";
  if (crdPolicy(spec.install?.crds) || crdPolicy(spec.upgrade?.crds)) {
    try {
      const list = await listAll(client, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", {
        labelSelector: `${HR_GROUP}/name=${name},${HR_GROUP}/namespace=${namespace}`,
      });
      for (const crd of list.items) {
        if (!result.some((r) => r.Name === crd.metadata.name && r.GroupKind.Kind === "CustomResourceDefinition")) {
          result.push({
            Namespace: "",
            Name: crd.metadata.name,
            GroupKind: { Group: "apiextensions.k8s.io", Kind: "CustomResourceDefinition" },
          });
        }
      }
    } catch {
      /* upstream ignores listing errors here */
    }
  }
  return result;
}

async function isNamespaced(client: RestTarget, apiVersion: string, kind: string): Promise<boolean> {
  try {
    return (await resolveResource(client, apiVersion, kind)).namespaced !== false;
  } catch {
    return true;
  }
}

export interface TreeOptions {
  name?: string | undefined;
  namespace: string;
  compact: boolean;
  output?: string | undefined;
}

export async function showTree(opts: TreeOptions, deps: { client: RestTarget; stdout: Writable }): Promise<void> {
  if (!opts.name) throw new CliError("kustomization name is required");
  // upstream prints the text tree for an unknown -o; tsflux rejects it
  const output = parseOutputFormat(opts.output, DATA_FORMATS, "tree");
  const ks = await getObject(deps.client, mustKind("Kustomization"), opts.namespace, opts.name);
  const tree: ObjTree = {
    resource: {
      Namespace: ks.metadata.namespace ?? opts.namespace,
      Name: ks.metadata.name,
      GroupKind: { Group: KS_GROUP, Kind: "Kustomization" },
    },
  };
  await treeKustomization(deps.client, tree, ks, opts.compact);
  if (output === "json") deps.stdout.write(treeJson(tree));
  else if (output === "yaml") deps.stdout.write(treeYaml(tree));
  else deps.stdout.write(printTree(tree));
}

/** `flux tree kustomization` as the command line gives it. */
export type TreeCommandOptions = Omit<TreeOptions, "namespace">;

export async function runTreeKustomization(options: TreeCommandOptions, deps: Deps): Promise<void> {
  parseOutputFormat(options.output, DATA_FORMATS, "tree"); // before reading the kubeconfig
  const client = await clientFor(deps);
  await showTree({ ...options, namespace: client.namespace }, { client, stdout: deps.io.stdout });
}

/** The tree of an ArtifactGenerator: the ExternalArtifacts of its status.inventory. */
export async function showArtifactGeneratorTree(
  opts: { name: string; namespace: string; output?: string | undefined },
  deps: { client: RestTarget; stdout: Writable },
): Promise<void> {
  // upstream prints the text tree for an unknown -o; tsflux rejects it
  const output = parseOutputFormat(opts.output, DATA_FORMATS, "tree");
  const generator = mustKind("ArtifactGenerator");
  const external = mustKind("ExternalArtifact");
  const ag = await getObject(deps.client, generator, opts.namespace, opts.name);
  const tree: ObjTree = {
    resource: {
      Namespace: ag.metadata.namespace ?? opts.namespace,
      Name: ag.metadata.name,
      GroupKind: { Group: generator.group, Kind: generator.kind },
    },
  };
  const inventory = (ag.status as { inventory?: { name: string; namespace: string }[] } | undefined)?.inventory ?? [];
  for (const ea of inventory)
    add(tree, { Namespace: ea.namespace, Name: ea.name, GroupKind: { Group: external.group, Kind: external.kind } });
  if (output === "json") deps.stdout.write(treeJson(tree));
  else if (output === "yaml") deps.stdout.write(treeYaml(tree));
  else deps.stdout.write(printTree(tree));
}

/** `flux tree artifact generator <name>` as the command line gives it (cobra.ExactArgs(1)). */
export interface TreeArtifactGeneratorCommandOptions {
  args: string[];
  output?: string | undefined;
}

export async function runTreeArtifactGenerator(
  options: TreeArtifactGeneratorCommandOptions,
  deps: Deps,
): Promise<void> {
  const [name] = options.args;
  if (name === undefined || options.args.length !== 1)
    throw new CliError(`accepts 1 arg(s), received ${options.args.length}`);
  parseOutputFormat(options.output, DATA_FORMATS, "tree"); // before reading the kubeconfig
  const client = await clientFor(deps);
  await showArtifactGeneratorTree(
    { name, namespace: client.namespace, output: options.output },
    { client, stdout: deps.io.stdout },
  );
}
