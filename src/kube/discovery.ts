// REST mapping of apiVersion+kind to a resource (plural, scope), via discovery,
// cached per client. Flux kinds and the built-in kinds tsflux handles itself
// (src/kinds) need no discovery call.
import { CliError } from "../errors.js";
import { knownResource, splitApiVersion } from "../kinds/resources.js";
import { kubeRest, isNotFound, type ResourceType, type RestTarget } from "./rest.js";

interface APIResourceList {
  resources: { name: string; kind: string; namespaced: boolean }[];
}

const caches = new WeakMap<object, Map<string, Promise<APIResourceList | undefined>>>();

/** Forgets cached discovery (e.g. after installing CRDs). */
export function resetDiscovery(client: RestTarget): void {
  caches.delete(client.config);
}

/** Resolves apiVersion+kind to a ResourceType; clear error when the API server does not serve it. */
export async function resolveResource(client: RestTarget, apiVersion: string, kind: string): Promise<ResourceType> {
  const known = knownResource(apiVersion, kind);
  if (known) return known;
  const { group, version } = splitApiVersion(apiVersion);
  let cache = caches.get(client.config);
  if (!cache) caches.set(client.config, (cache = new Map<string, Promise<APIResourceList | undefined>>()));
  let p = cache.get(apiVersion);
  if (!p) {
    const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
    p = kubeRest<APIResourceList>(client, "GET", path).catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      cache.delete(apiVersion);
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

export { knownResource, splitApiVersion };
