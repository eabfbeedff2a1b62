// Server-side dry-run apply as kustomize-controller would apply (field manager
// kustomize-controller, force), plus reading the live object: what `flux diff`
// compares. Requests go through src/kube/rest.ts (one keep-alive agent), resources
// are mapped through src/kube/discovery.ts.
import { knownResource } from "../kinds/resources.js";
import { isNotFound, kubeRest, ContentType, resourcePath, type KubeObject, type RestTarget } from "./rest.js";
import { resolveResource } from "./discovery.js";

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
}

/** A DryRunner over the API server the target points at. */
export function restDryRunner(target: RestTarget): DryRunner {
  // An unknown kind fails here with discovery's "no matches for kind" message.
  const pathOf = async (obj: Manifest) => {
    const type = await resolveResource(target, String(obj.apiVersion ?? ""), String(obj.kind ?? ""));
    const ns = type.namespaced === false ? undefined : obj.metadata?.namespace || "default";
    return resourcePath(type, ns, String(obj.metadata?.name ?? ""));
  };
  return {
    async namespaced(obj) {
      const apiVersion = String(obj.apiVersion ?? "");
      const kind = String(obj.kind ?? "");
      const known = knownResource(apiVersion, kind);
      if (known) return known.namespaced !== false;
      try {
        return (await resolveResource(target, apiVersion, kind)).namespaced !== false;
      } catch {
        return undefined;
      }
    },
    async get(obj) {
      const path = await pathOf(obj);
      try {
        return await kubeRest<KubeObject>(target, "GET", path);
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
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
