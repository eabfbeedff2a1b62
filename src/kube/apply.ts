// Server-side apply (field manager "flux") of one or many objects, in two phases
// like upstream: cluster definitions (CustomResourceDefinitions, Namespaces) first,
// CRDs waited for until Established, then everything else. Each object reports
// created / configured / unchanged.
import { CliError } from "../errors.js";
import { resetDiscovery, resolveResource } from "./discovery.js";
import {
  ContentType,
  isNotFound,
  kubeRest,
  KubeApiError,
  resourcePath,
  type KubeObject,
  type ResourceType,
  type RestTarget,
} from "./rest.js";
import { waitFor } from "./wait.js";

export type ApplyAction = "created" | "configured" | "unchanged";

export interface ApplyResult {
  /** The object as stored after the apply. */
  object: KubeObject;
  action: ApplyAction;
  kind: string;
  name: string;
  /** Empty for cluster-scoped objects. */
  namespace: string;
}

export interface ApplyOptions {
  /** Field manager (default "flux"). */
  fieldManager?: string;
  /** Take ownership of conflicting fields (default true, like upstream). */
  force?: boolean;
  /** Namespace for namespaced objects that have none. */
  namespace?: string;
  /** Server-side dry run: nothing is persisted. */
  dryRun?: boolean;
  /** How long to wait for CRDs to become Established (default 60s). */
  crdTimeoutMs?: number;
  /** How many objects of the second phase are applied at once (default 8). */
  concurrency?: number;
  /** Called after each object is applied. */
  onApplied?: (r: ApplyResult) => void;
}

/** `Kind/namespace/name action` (upstream's change set line). */
export function changeLine(r: ApplyResult): string {
  return `${r.kind}/${r.namespace ? `${r.namespace}/` : ""}${r.name} ${r.action}`;
}

function isClusterDefinition(obj: KubeObject): boolean {
  return (
    (obj.kind === "CustomResourceDefinition" && (obj.apiVersion ?? "").startsWith("apiextensions.k8s.io/")) ||
    (obj.kind === "Namespace" && obj.apiVersion === "v1")
  );
}

/** Server-side applies one object; resolves with its result. */
export async function applyObject(client: RestTarget, obj: KubeObject, opts: ApplyOptions = {}): Promise<ApplyResult> {
  if (!isApplicable(obj)) {
    throw new CliError("cannot apply an object without apiVersion, kind and metadata.name");
  }
  const type = await resolveResource(client, obj.apiVersion, obj.kind);
  return await applyTyped(client, type, obj, opts);
}

/** An object with what applying needs: apiVersion, kind and a name. */
type Applicable = KubeObject & { apiVersion: string; kind: string };

/** Manifests come from files and templates: any of these may be missing whatever the static type says. */
function isApplicable(obj: unknown): obj is Applicable {
  if (!obj || typeof obj !== "object") return false;
  const o: { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } | null } = obj;
  return (
    typeof o.apiVersion === "string" &&
    o.apiVersion !== "" &&
    typeof o.kind === "string" &&
    o.kind !== "" &&
    typeof o.metadata?.name === "string" &&
    o.metadata.name !== ""
  );
}

async function applyTyped(
  client: RestTarget,
  type: ResourceType,
  obj: Applicable,
  opts: ApplyOptions,
): Promise<ApplyResult> {
  const namespaced = type.namespaced !== false;
  const namespace = namespaced ? (obj.metadata.namespace ?? opts.namespace ?? "default") : "";
  const body: KubeObject = { ...obj, metadata: { ...obj.metadata } };
  if (namespaced) body.metadata.namespace = namespace;
  else delete body.metadata.namespace;
  // Never send server-owned fields.
  delete body.metadata.resourceVersion;
  delete body.metadata.managedFields;
  delete body.metadata.uid;
  delete body.metadata.creationTimestamp;
  delete body.metadata.generation;
  const name = obj.metadata.name;
  const objPath = resourcePath(type, namespaced ? namespace : undefined, name);
  let before: KubeObject | undefined;
  try {
    before = await kubeRest<KubeObject>(client, "GET", objPath);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  const query = { fieldManager: opts.fieldManager ?? "flux", force: opts.force ?? true };
  const patch = async (dryRun: boolean): Promise<KubeObject> => {
    try {
      return await kubeRest<KubeObject>(client, "PATCH", objPath, {
        body,
        contentType: ContentType.ApplyPatch,
        query: { ...query, dryRun: dryRun ? "All" : undefined },
      });
    } catch (err) {
      if (err instanceof KubeApiError) {
        throw new CliError(
          `${obj.kind}/${namespaced ? `${namespace}/` : ""}${name} ${dryRun ? "dry-run " : ""}apply failed: ${err.message}`,
        );
      }
      throw err;
    }
  };
  let after: KubeObject;
  let action: ApplyAction;
  if (!before) {
    after = await patch(Boolean(opts.dryRun));
    action = "created";
  } else {
    // Like upstream's ssa manager: a dry-run apply tells whether anything would change,
    // so an unchanged object is not written at all.
    const dry = await patch(true);
    if (sameContent(before, dry)) {
      after = before;
      action = "unchanged";
    } else {
      after = opts.dryRun ? dry : await patch(false);
      action = "configured";
    }
  }
  const result: ApplyResult = { object: after, action, kind: obj.kind, name, namespace };
  opts.onApplied?.(result);
  return result;
}

function strip(o: KubeObject): unknown {
  const { metadata, status: _status, ...rest } = o;
  const { resourceVersion: _rv, managedFields: _mf, generation: _g, ...meta } = metadata;
  return canonical({ ...rest, metadata: meta });
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

function sameContent(a: KubeObject, b: KubeObject): boolean {
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

/**
 * Applies objects in two phases (CRDs and Namespaces first, waiting for CRDs to be
 * Established, then the rest in the given order). Results follow the input order.
 */
export async function applyObjects(
  client: RestTarget,
  objs: KubeObject[],
  opts: ApplyOptions = {},
): Promise<ApplyResult[]> {
  const results = new Array<ApplyResult>(objs.length);
  const first = objs.map((o, i) => [o, i] as const).filter(([o]) => isClusterDefinition(o));
  const rest = objs.map((o, i) => [o, i] as const).filter(([o]) => !isClusterDefinition(o));
  for (const [o, i] of first) results[i] = await applyObject(client, o, opts);
  const crds = first.filter(([o]) => o.kind === "CustomResourceDefinition");
  if (crds.length > 0) {
    if (!opts.dryRun) {
      const crdType: ResourceType = {
        group: "apiextensions.k8s.io",
        version: "v1",
        plural: "customresourcedefinitions",
        kind: "CustomResourceDefinition",
        namespaced: false,
      };
      for (const [o] of crds) {
        await waitFor<undefined>(
          client,
          crdType,
          "",
          o.metadata.name,
          (crd) => {
            const conds =
              (crd?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
            return conds.some((c) => c.type === "Established" && c.status === "True")
              ? { done: true, value: undefined }
              : { done: false, message: "CRD not established yet" };
          },
          {
            timeoutMs: opts.crdTimeoutMs ?? 60_000,
            what: `CustomResourceDefinition ${o.metadata.name} to be established`,
          },
        );
      }
    }
    resetDiscovery(client);
  }
  // The rest concurrently (bounded); results keep the input order.
  let next = 0;
  const worker = async () => {
    for (let entry = rest[next]; entry !== undefined; entry = rest[next]) {
      next++;
      const [o, i] = entry;
      results[i] = await applyObject(client, o, opts);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 8, rest.length) }, worker));
  return results;
}
