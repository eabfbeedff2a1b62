// The little the build needs from a cluster: read one object, or learn it is absent.
import type { KubeClient } from "../kube/client.js";
import { kubeErrorMessage } from "../kube/client.js";
import { resolveResource } from "../kube/discovery.js";
import { isNotFound, kubeRest, resourcePath } from "../kube/rest.js";

export type KubeObj = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [k: string]: unknown;
  };
};

export interface ObjectReader {
  /** The object, or undefined when the API server answers 404. Throws Error with a one-line message otherwise. */
  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<KubeObj | undefined>;
}

export function kubeReader(client: KubeClient): ObjectReader {
  return {
    async get(apiVersion, kind, namespace, name) {
      try {
        const type = await resolveResource(client, apiVersion, kind);
        // client-node's rule for a namespaced object without one: the context's namespace, else "default".
        const contextNs = client.config.getContextObject(client.config.getCurrentContext())?.namespace;
        const ns = type.namespaced === false ? undefined : namespace || contextNs || "default";
        return await kubeRest<KubeObj>(client, "GET", resourcePath(type, ns, name));
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw new Error(kubeErrorMessage(err), { cause: err });
      }
    },
  };
}
