// Server-side dry-run apply as kustomize-controller would apply (field manager
// kustomize-controller, force), plus reading the live object: what `flux diff`
// compares. Requests go through src/kube/rest.ts (one keep-alive agent), resources
// are mapped through src/kube/discovery.ts.
import { knownResource } from "../kinds/resources.js";
import {
  isNotFound,
  kubeRest,
  listStream,
  ContentType,
  resourcePath,
  type KubeObject,
  type RestTarget,
} from "./rest.js";
import { resolveResource } from "./discovery.js";
import { admittedResources, applyChangesNothing } from "./apply-unchanged.js";

export const FIELD_MANAGER = "kustomize-controller";

/** A manifest as built (kustomize output): any fields may be missing until the server checks it. */
export interface Manifest {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export interface DryRunner {
  /** The live object, or undefined when it does not exist. */
  get(obj: Manifest): Promise<KubeObject | undefined>;
  /** The object as the API server would store it after applying `obj` (nothing is persisted). */
  dryRunApply(obj: Manifest): Promise<KubeObject>;
  /** Whether the object's kind is namespaced (undefined when the API server does not know the kind). */
  namespaced?(obj: Manifest): Promise<boolean | undefined>;
  /** Reads the live objects of many manifests ahead (one list per kind and namespace), for get. */
  prefetch?(objs: Manifest[]): Promise<void>;
  /**
   * True only when applying `obj` is known to leave `live` as it is, so no dry-run is
   * needed (src/kube/apply-unchanged.ts); false when that cannot be proven.
   */
  appliesUnchanged?(obj: Manifest, live: KubeObject): Promise<boolean>;
}

const ADMISSION = "/apis/admissionregistration.k8s.io";

/**
 * The resources some admission webhook or policy sees updates of, or undefined when
 * that cannot be known (a list refused) or the API server does not ratchet validation
 * (before 1.30, where validatingadmissionpolicies are not served as v1).
 */
async function admissionScope(target: RestTarget): Promise<Set<string> | undefined> {
  type Items = { items?: unknown[] };
  const list = async (version: string, plural: string): Promise<unknown[] | undefined> => {
    try {
      return (await kubeRest<Items>(target, "GET", `${ADMISSION}/${version}/${plural}`)).items ?? [];
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  try {
    const validatingPolicies = await list("v1", "validatingadmissionpolicies");
    if (!validatingPolicies) return undefined;
    const [mutating, validating] = await Promise.all([
      list("v1", "mutatingwebhookconfigurations"),
      list("v1", "validatingwebhookconfigurations"),
    ]);
    let mutatingPolicies: unknown[] = [];
    for (const version of ["v1", "v1beta1", "v1alpha1"]) {
      const found = await list(version, "mutatingadmissionpolicies");
      if (found) {
        mutatingPolicies = found;
        break;
      }
    }
    return admittedResources(
      [...(mutating ?? []), ...(validating ?? [])] as never[],
      [...validatingPolicies, ...mutatingPolicies] as never[],
    );
  } catch {
    return undefined;
  }
}

/** Manifests of one kind in one namespace worth one list instead of a read each. */
const PREFETCH_MIN = 8;

/** A DryRunner over the API server the target points at. */
export function restDryRunner(target: RestTarget): DryRunner {
  // An unknown kind fails here with discovery's "no matches for kind" message.
  const pathOf = async (obj: Manifest) => {
    const type = await resolveResource(target, obj.apiVersion ?? "", obj.kind ?? "");
    const ns = type.namespaced === false ? undefined : obj.metadata?.namespace || "default";
    return resourcePath(type, ns, obj.metadata?.name ?? "");
  };
  // Live objects read by prefetch, by collection path then name; a collection listed
  // here answers get for every name (absent means not found).
  const listed = new Map<string, Map<string, KubeObject>>();
  let admission: Promise<Set<string> | undefined> | undefined;
  const collectionOf = (path: string) => path.slice(0, path.lastIndexOf("/"));
  return {
    async namespaced(obj) {
      const apiVersion = obj.apiVersion ?? "";
      const kind = obj.kind ?? "";
      const known = knownResource(apiVersion, kind);
      if (known) return known.namespaced !== false;
      try {
        return (await resolveResource(target, apiVersion, kind)).namespaced !== false;
      } catch {
        return undefined;
      }
    },
    async prefetch(objs) {
      const groups = new Map<string, Manifest[]>();
      for (const o of objs) {
        const key = `${String(o.apiVersion)}|${String(o.kind)}|${o.metadata?.namespace ?? ""}`;
        groups.set(key, [...(groups.get(key) ?? []), o]);
      }
      await Promise.all(
        [...groups.values()]
          .filter((g) => g.length >= PREFETCH_MIN)
          .map(async (group) => {
            try {
              const [head] = group;
              if (head === undefined) return;
              const collection = collectionOf(await pathOf(head));
              const wanted = new Set(group.map((o) => o.metadata?.name ?? ""));
              const { apiVersion = "", kind = "" } = head; // pathOf resolved: both are set
              const byName = new Map<string, KubeObject>();
              await listStream(target, collection, {}, (items) => {
                for (const item of items) {
                  if (!wanted.has(item.metadata.name)) continue;
                  // A read answers kind and apiVersion first; list items of built-in kinds omit them.
                  byName.set(item.metadata.name, item.kind ? item : { kind, apiVersion, ...item });
                }
              });
              listed.set(collection, byName);
            } catch {
              // Not listable (forbidden, unknown kind): get reads each object.
            }
          }),
      );
    },
    async get(obj) {
      const path = await pathOf(obj);
      const cached = listed.get(collectionOf(path));
      if (cached) return cached.get(obj.metadata?.name ?? "");
      try {
        return await kubeRest<KubeObject>(target, "GET", path);
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async appliesUnchanged(obj, live) {
      admission ??= admissionScope(target);
      const admitted = await admission;
      if (!admitted || admitted.has("*")) return false;
      try {
        const type = await resolveResource(target, obj.apiVersion ?? "", obj.kind ?? "");
        return !admitted.has(type.plural) && applyChangesNothing(obj, live, FIELD_MANAGER);
      } catch {
        return false; // the dry-run reports what is wrong
      }
    },
    async dryRunApply(obj) {
      return await kubeRest<KubeObject>(target, "PATCH", await pathOf(obj), {
        body: obj,
        contentType: ContentType.ApplyPatch,
        query: { dryRun: "All", fieldManager: FIELD_MANAGER, force: true },
      });
    },
  };
}
