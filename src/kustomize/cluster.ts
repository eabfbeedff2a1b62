// The little the build needs from a cluster: read one object, or learn it is absent.
import type { KubeClient } from "../kube/client.js";
import { kubeErrorMessage } from "../kube/client.js";

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

export function isNotFound(err: unknown): boolean {
  const e = err as { code?: number; statusCode?: number; body?: unknown };
  if (e?.code === 404 || e?.statusCode === 404) return true;
  let body = e?.body;
  if (typeof body === "string") {
    try {
      body = JSON.parse(body);
    } catch {
      return false;
    }
  }
  return (body as { code?: number } | undefined)?.code === 404;
}

export function kubeReader(client: KubeClient): ObjectReader {
  return {
    async get(apiVersion, kind, namespace, name) {
      try {
        const metadata: Record<string, string> = { name };
        if (namespace) metadata.namespace = namespace;
        return (await client.objects.read({ apiVersion, kind, metadata } as never)) as unknown as KubeObj;
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw new Error(kubeErrorMessage(err), { cause: err });
      }
    },
  };
}
