// `flux trace <resource> <name>` / `<resource>/<name> ...` / `<name> --kind --api-version`:
// from any object to the Kustomization or HelmRelease that applied it (its labels, or
// its owners' labels) and on to their sources, printed like upstream's templates.
import type { Deps } from "../deps.js";
import { CliError, errorMessage } from "../errors.js";
import { helmReleaseRevision, mustKind, resourceOf } from "../kinds/registry.js";
import { resolveResource, splitApiVersion } from "../kube/discovery.js";
import {
  isNotFound,
  kubeRest,
  resourcePath,
  type KubeObject,
  type ResourceType,
  type RestTarget,
} from "../kube/rest.js";
import { findCondition, type Condition } from "../kube/status.js";
import type { Logger, Writable } from "../output/logger.js";
import { clientFor } from "./common.js";

type Dict = Record<string, unknown>;
const s = (v: unknown): string =>
  typeof v === "string"
    ? v
    : v === undefined || v === null
      ? ""
      : typeof v === "number" || typeof v === "boolean" || typeof v === "bigint"
        ? String(v)
        : JSON.stringify(v);
const at = (o: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((c, p) => (c && typeof c === "object" ? (c as Dict)[p] : undefined), o);

/** Go's time.Time.String() of a Kubernetes timestamp, in UTC: "2021-07-20 00:48:16 +0000 UTC". */
export function goTimeString(ts: string | undefined): string {
  if (!ts) return "0001-01-01 00:00:00 +0000 UTC";
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return ts;
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000 UTC`;
}

// ---------------------------------------------------------------------------
// Resolving what the user names

interface APIGroupList {
  groups: { name: string; preferredVersion?: { groupVersion: string }; versions: { groupVersion: string }[] }[];
}
interface APIResourceList {
  groupVersion: string;
  resources: { name: string; singularName?: string; kind: string; namespaced: boolean; shortNames?: string[] }[];
}

/** kubectl-like resource type resolution: plural, singular, kind, short name, or `type.group`. */
export async function resolveResourceType(client: RestTarget, input: string): Promise<ResourceType> {
  const want = input.toLowerCase();
  const dot = want.indexOf(".");
  const typePart = dot >= 0 ? want.slice(0, dot) : want;
  const groupPart = dot >= 0 ? want.slice(dot + 1) : undefined;
  const groups = await kubeRest<APIGroupList>(client, "GET", "/apis");
  const gvs = [
    "v1",
    ...groups.groups.flatMap((g) => g.preferredVersion?.groupVersion ?? g.versions[0]?.groupVersion ?? []),
  ];
  const lists = await Promise.all(
    gvs.map((gv) =>
      kubeRest<APIResourceList>(client, "GET", gv === "v1" ? "/api/v1" : `/apis/${gv}`).catch(() => undefined),
    ),
  );
  for (const list of lists) {
    if (!list) continue;
    const { group, version } = splitApiVersion(list.groupVersion);
    if (groupPart !== undefined && group !== groupPart) continue;
    for (const r of list.resources) {
      if (r.name.includes("/")) continue;
      if (
        r.name === typePart ||
        r.singularName === typePart ||
        r.kind.toLowerCase() === typePart ||
        (r.shortNames ?? []).includes(typePart)
      ) {
        return { group, version, plural: r.name, kind: r.kind, namespaced: r.namespaced };
      }
    }
  }
  throw new CliError(`the server doesn't have a resource type "${input}"`);
}

export interface TraceTarget {
  type: ResourceType;
  name: string;
  /** --kind as typed: upstream's client keeps the requested kind, so "Object:" shows it (deployment/podinfo). */
  kindAsGiven?: string | undefined;
}

/** Parses the arguments: `<resource> <name> [<name>...]`, `<resource>/<name> ...`, or names with --kind/--api-version. */
export async function resolveTargets(
  client: RestTarget,
  args: string[],
  opts: { kind?: string | undefined; apiVersion?: string | undefined },
): Promise<TraceTarget[]> {
  if (opts.kind || opts.apiVersion) {
    if (args.length < 1) throw new CliError("object name is required");
    if (!opts.kind) throw new CliError("object kind is required (--kind)");
    if (!opts.apiVersion) throw new CliError("object apiVersion is required (--api-version)");
    const type = await resolveResource(client, opts.apiVersion, kindName(opts.kind));
    return args.map((name) => ({ type, name, kindAsGiven: opts.kind }));
  }
  const usage = () => new CliError("either `<resource>/<name>` or `<resource> <name>` is required as an argument");
  if (args.length === 0) throw usage();
  if (args.every((a) => a.includes("/"))) {
    const out: TraceTarget[] = [];
    for (const a of args) {
      const [t, n] = [a.slice(0, a.indexOf("/")), a.slice(a.indexOf("/") + 1)];
      if (!t || !n) throw usage();
      out.push({ type: await resolveResourceType(client, t), name: n });
    }
    return out;
  }
  const [typeArg, ...names] = args;
  if (typeArg === undefined || names.length === 0 || names.some((a) => a.includes("/"))) throw usage();
  const type = await resolveResourceType(client, typeArg);
  return names.map((name) => ({ type, name }));
}

/** --kind=deployment -> Deployment (kinds are case-sensitive on the wire). */
function kindName(kind: string): string {
  const known = [
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Pod",
    "Service",
    "ConfigMap",
    "Secret",
    "Namespace",
    "ServiceAccount",
    "Ingress",
    "Job",
    "CronJob",
  ];
  const flux = (() => {
    try {
      return mustKind(kind).kind;
    } catch {
      return undefined;
    }
  })();
  return flux ?? known.find((k) => k.toLowerCase() === kind.toLowerCase()) ?? kind;
}

// ---------------------------------------------------------------------------
// Finding the Flux object that manages an object

async function getTyped(
  client: RestTarget,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
): Promise<KubeObject> {
  return await kubeRest<KubeObject>(
    client,
    "GET",
    resourcePath(type, type.namespaced === false ? undefined : namespace, name),
  );
}

function managedBy(obj: KubeObject, group: string): { name: string; namespace: string } | undefined {
  const labels = obj.metadata.labels ?? {};
  const name = labels[`${group}/name`];
  if (!name) return undefined;
  return { name, namespace: labels[`${group}/namespace`] ?? "" };
}

/** The object's own labels, or those of its owners (followed recursively). */
export async function ownerManagedBy(
  client: RestTarget,
  obj: KubeObject,
  group: string,
  depth = 0,
): Promise<{ name: string; namespace: string } | undefined> {
  const direct = managedBy(obj, group);
  if (direct) return direct;
  if (depth > 10) return undefined;
  const owners =
    (obj.metadata.ownerReferences as { apiVersion: string; kind: string; name: string }[] | undefined) ?? [];
  for (const ref of owners) {
    let owner: KubeObject;
    try {
      const type = await resolveResource(client, ref.apiVersion, ref.kind);
      owner = await getTyped(client, type, obj.metadata.namespace, ref.name);
    } catch {
      return undefined;
    }
    const found = await ownerManagedBy(client, owner, group, depth + 1);
    if (found) return found;
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// The reports

type Line = [label: string, value: string];

function render(lines: (Line | string)[], width: number): string {
  return lines.map((l) => (typeof l === "string" ? l : `${`${l[0]}:`.padEnd(width)}${l[1]}`)).join("\n");
}

function statusLines(ready: Condition | undefined, failedWording: boolean): Line[] {
  if (!ready) return [["Status", "Unknown"]];
  const when = goTimeString(ready.lastTransitionTime);
  const status =
    failedWording && ready.status === "False" ? `Last reconciliation failed at ${when}` : `Last reconciled at ${when}`;
  return [
    ["Status", status],
    ["Message", s(ready.message)],
  ];
}

function gitSection(repo: KubeObject, ready: boolean): Line[] {
  const lines: Line[] = [
    ["GitRepository", repo.metadata.name],
    ["Namespace", s(repo.metadata.namespace)],
    ["URL", s(at(repo, "spec", "url"))],
  ];
  const ref = at(repo, "spec", "ref") as Dict | undefined;
  if (ref) {
    if (ref.tag) lines.push(["Tag", s(ref.tag)]);
    else if (ref.semver) lines.push(["Tag", s(ref.semver)]);
    else if (ref.branch) lines.push(["Branch", s(ref.branch)]);
  }
  const rev = at(repo, "status", "artifact", "revision");
  if (at(repo, "status", "artifact")) lines.push(["Revision", s(rev)]);
  if (ready) lines.push(...statusLines(findCondition(repo, "Ready"), true));
  return lines;
}

/**
 * The OCIRepository block (rendered 17 wide); only the Kustomization report shows the
 * artifact's origin annotations.
 */
function ociSection(repo: KubeObject, origin: boolean): (Line | string)[] {
  const lines: (Line | string)[] = [
    ["OCIRepository", repo.metadata.name],
    ["Namespace", s(repo.metadata.namespace)],
    ["URL", s(at(repo, "spec", "url"))],
  ];
  const r = at(repo, "spec", "ref") as Dict | undefined;
  if (r) {
    if (r.tag) lines.push(["Tag", s(r.tag)]);
    else if (r.semver) lines.push(["Tag", s(r.semver)]);
    else if (r.digest) lines.push(["Digest", s(r.digest)]);
  }
  if (at(repo, "status", "artifact")) {
    lines.push(["Revision", s(at(repo, "status", "artifact", "revision"))]);
    const md = at(repo, "status", "artifact", "metadata") as Record<string, string> | undefined;
    if (origin && md && Object.keys(md).length > 0) {
      // Upstream ranges over its (sorted) label map, one line per entry, empty when absent.
      for (const [label, key] of [
        ["Origin Revision: ", "org.opencontainers.image.revision"],
        ["Origin Source:   ", "org.opencontainers.image.source"],
      ] as const) {
        lines.push(md[key] ? `${label}${md[key]}` : "");
      }
    }
  }
  lines.push(...statusLines(findCondition(repo, "Ready"), true));
  return lines;
}

async function getSource(client: RestTarget, kind: string, namespace: string, name: string): Promise<KubeObject> {
  const k = mustKind(kind);
  try {
    return await kubeRest<KubeObject>(client, "GET", resourcePath(resourceOf(k), namespace, name));
  } catch (err) {
    throw new CliError(`failed to find ${kind}: ${errorMessage(err)}`);
  }
}

function header(obj: KubeObject): (Line | string)[] {
  const out: (Line | string)[] = [["Object", `${obj.kind}/${obj.metadata.name}`]];
  if (obj.metadata.namespace) out.push(["Namespace", obj.metadata.namespace]);
  out.push(["Status", "Managed by Flux"]);
  return out;
}

export async function traceKustomization(
  client: RestTarget,
  ref: { name: string; namespace: string },
  obj: KubeObject,
): Promise<string> {
  let ks: KubeObject;
  try {
    ks = await kubeRest<KubeObject>(
      client,
      "GET",
      resourcePath(resourceOf(mustKind("Kustomization")), ref.namespace, ref.name),
    );
  } catch (err) {
    throw new CliError(`failed to find kustomization: ${errorMessage(err)}`);
  }
  const W = 17;
  const lines: (Line | string)[] = [...header(obj), "---"];
  lines.push(["Kustomization", ks.metadata.name], ["Namespace", s(ks.metadata.namespace)]);
  if (at(ks, "spec", "targetNamespace")) lines.push(["Target", s(at(ks, "spec", "targetNamespace"))]);
  lines.push(["Path", s(at(ks, "spec", "path"))], ["Revision", s(at(ks, "status", "lastAppliedRevision"))]);
  lines.push(...statusLines(findCondition(ks, "Ready"), false));
  const src = (at(ks, "spec", "sourceRef") ?? {}) as Dict;
  const srcNs = s(src.namespace) || s(ks.metadata.namespace);
  if (src.kind === "GitRepository") {
    const repo = await getSource(client, "GitRepository", srcNs, s(src.name));
    lines.push("---", ...gitSection(repo, true));
  } else if (src.kind === "OCIRepository") {
    const repo = await getSource(client, "OCIRepository", srcNs, s(src.name));
    lines.push("---", ...ociSection(repo, true));
  } else if (src.kind === "Bucket") {
    const b = await getSource(client, "Bucket", srcNs, s(src.name));
    lines.push(
      "---",
      ["Bucket", b.metadata.name],
      ["Namespace", s(b.metadata.namespace)],
      ["Endpoint", s(at(b, "spec", "endpoint"))],
      ["Bucket", s(at(b, "spec", "bucketName"))],
    );
    if (at(b, "status", "artifact")) lines.push(["Revision", s(at(b, "status", "artifact", "revision"))]);
    lines.push(...statusLines(findCondition(b, "Ready"), true));
  }
  return `\n${render(lines, W)}\n`;
}

export async function traceHelmRelease(
  client: RestTarget,
  ref: { name: string; namespace: string },
  obj: KubeObject,
): Promise<string> {
  let hr: KubeObject;
  try {
    hr = await kubeRest<KubeObject>(
      client,
      "GET",
      resourcePath(resourceOf(mustKind("HelmRelease")), ref.namespace, ref.name),
    );
  } catch (err) {
    throw new CliError(`failed to find HelmRelease: ${errorMessage(err)}`);
  }
  const W = 16;
  const lines: (Line | string)[] = [...header(obj), "---"];
  lines.push(["HelmRelease", hr.metadata.name], ["Namespace", s(hr.metadata.namespace)]);
  if (at(hr, "spec", "targetNamespace")) lines.push(["Target", s(at(hr, "spec", "targetNamespace"))]);
  lines.push(["Revision", helmReleaseRevision(hr)]);
  lines.push(...statusLines(findCondition(hr, "Ready"), false));
  let out = render(lines, W);
  const more: (Line | string)[] = [];
  const chartName = s(at(hr, "status", "helmChart"));
  if (chartName) {
    const [cns, cname] = chartName.includes("/") ? chartName.split("/", 2) : [s(hr.metadata.namespace), chartName];
    let chart: KubeObject;
    try {
      chart = await kubeRest<KubeObject>(client, "GET", resourcePath(resourceOf(mustKind("HelmChart")), cns, cname));
    } catch (err) {
      throw new CliError(`failed to find HelmChart: ${errorMessage(err)}`);
    }
    more.push(
      "---",
      ["HelmChart", chart.metadata.name],
      ["Namespace", s(chart.metadata.namespace)],
      ["Chart", s(at(chart, "spec", "chart"))],
      ["Version", s(at(chart, "spec", "version"))],
    );
    if (at(chart, "status", "artifact")) more.push(["Revision", s(at(chart, "status", "artifact", "revision"))]);
    more.push(...statusLines(findCondition(chart, "Ready"), false));
  }
  const src = (at(hr, "spec", "chart", "spec", "sourceRef") ?? at(hr, "spec", "chartRef") ?? {}) as Dict;
  const srcNs = s(src.namespace) || s(hr.metadata.namespace);
  if (src.kind === "HelmRepository") {
    const repo = await getSource(client, "HelmRepository", srcNs, s(src.name));
    more.push(
      "---",
      ["HelmRepository", repo.metadata.name],
      ["Namespace", s(repo.metadata.namespace)],
      ["URL", s(at(repo, "spec", "url"))],
    );
    if (at(repo, "status", "artifact")) more.push(["Revision", s(at(repo, "status", "artifact", "revision"))]);
    more.push(...statusLines(findCondition(repo, "Ready"), false));
  }
  if (more.length > 0) out += "\n" + render(more, W);
  if (src.kind === "GitRepository") {
    const repo = await getSource(client, "GitRepository", srcNs, s(src.name));
    out += "\n" + render(["---", ...gitSection(repo, true)], 15);
  } else if (src.kind === "OCIRepository") {
    const repo = await getSource(client, "OCIRepository", srcNs, s(src.name));
    out += "\n" + render(["---", ...ociSection(repo, false)], 17);
  }
  return `\n${out}\n`;
}

export async function traceObject(client: RestTarget, obj: KubeObject): Promise<string> {
  const ks = await ownerManagedBy(client, obj, mustKind("Kustomization").group);
  if (ks) return await traceKustomization(client, ks, obj);
  const hr = await ownerManagedBy(client, obj, mustKind("HelmRelease").group);
  if (hr) return await traceHelmRelease(client, hr, obj);
  throw new CliError("object not managed by Flux");
}

export interface TraceOptions {
  args: string[];
  kind?: string | undefined;
  apiVersion?: string | undefined;
  namespace: string;
}

export async function traceObjects(
  opts: TraceOptions,
  deps: { client: RestTarget; stdout: Writable; logger: Logger },
): Promise<void> {
  const targets = await resolveTargets(deps.client, opts.args, opts);
  let failed = 0;
  for (const [i, t] of targets.entries()) {
    const ns = t.type.namespaced === false ? "" : opts.namespace;
    try {
      let obj: KubeObject;
      try {
        obj = await getTyped(deps.client, t.type, ns, t.name);
      } catch (err) {
        if (isNotFound(err)) throw new CliError(`failed to find object: ${errorMessage(err)}`);
        throw err;
      }
      obj.kind ??= t.type.kind;
      if (t.kindAsGiven) obj.kind = t.kindAsGiven;
      deps.stdout.write(await traceObject(deps.client, obj));
    } catch (err) {
      failed++;
      deps.logger.failure(`failed to trace ${t.type.kind}/${t.name} in namespace ${ns}: ${errorMessage(err)}`);
    }
    if (i < targets.length - 1) deps.stdout.write("---\n");
  }
  if (failed > 0) throw new CliError("", 1);
}

/** `flux trace` as the command line gives it. */
export type TraceCommandOptions = Omit<TraceOptions, "namespace">;

export async function runTrace(options: TraceCommandOptions, deps: Deps): Promise<void> {
  const client = await clientFor(deps);
  await traceObjects(
    { ...options, namespace: client.namespace },
    { client, stdout: deps.io.stdout, logger: deps.logger },
  );
}
