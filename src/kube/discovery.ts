// REST mapping of apiVersion+kind to a resource (plural, scope), via discovery,
// cached per client. Flux kinds in the registry need no discovery call.
import { CliError } from "../errors.js";
import { kubeRest, isNotFound, type ResourceType, type RestTarget } from "./rest.js";

interface APIResourceList {
  resources: { name: string; kind: string; namespaced: boolean }[];
}

const caches = new WeakMap<object, Map<string, Promise<APIResourceList | undefined>>>();

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf("/");
  return i < 0
    ? { group: "", version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** Known core mappings, so the common kinds need no round trip. */
const WELL_KNOWN: Record<string, { plural: string; namespaced: boolean }> = {
  "v1/Namespace": { plural: "namespaces", namespaced: false },
  "v1/Secret": { plural: "secrets", namespaced: true },
  "v1/ConfigMap": { plural: "configmaps", namespaced: true },
  "v1/Service": { plural: "services", namespaced: true },
  "v1/ServiceAccount": { plural: "serviceaccounts", namespaced: true },
  "v1/Pod": { plural: "pods", namespaced: true },
  "apps/v1/Deployment": { plural: "deployments", namespaced: true },
  "apiextensions.k8s.io/v1/CustomResourceDefinition": { plural: "customresourcedefinitions", namespaced: false },
  "rbac.authorization.k8s.io/v1/ClusterRole": { plural: "clusterroles", namespaced: false },
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": { plural: "clusterrolebindings", namespaced: false },
  "rbac.authorization.k8s.io/v1/Role": { plural: "roles", namespaced: true },
  "rbac.authorization.k8s.io/v1/RoleBinding": { plural: "rolebindings", namespaced: true },
};

/** Forgets cached discovery (e.g. after installing CRDs). */
export function resetDiscovery(client: RestTarget): void {
  caches.delete(client.config);
}

/** Resolves apiVersion+kind to a ResourceType; clear error when the API server does not serve it. */
export async function resolveResource(client: RestTarget, apiVersion: string, kind: string): Promise<ResourceType> {
  const { group, version } = splitApiVersion(apiVersion);
  const known = WELL_KNOWN[`${apiVersion}/${kind}`];
  if (known) return { group, version, kind, plural: known.plural, namespaced: known.namespaced };
  let cache = caches.get(client.config);
  if (!cache) caches.set(client.config, (cache = new Map()));
  let p = cache.get(apiVersion);
  if (!p) {
    const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
    p = kubeRest<APIResourceList>(client, "GET", path).catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      cache!.delete(apiVersion);
      throw err;
    });
    cache.set(apiVersion, p);
  }
  const list = await p;
  const r = list?.resources.find((x) => x.kind === kind && !x.name.includes("/"));
  if (!r) {
    cache.delete(apiVersion);
    throw new CliError(`no matches for kind "${kind}" in version "${apiVersion}": is the CRD installed?`);
  }
  return { group, version, kind, plural: r.name, namespaced: r.namespaced };
}
