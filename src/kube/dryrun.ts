// Server-side dry-run apply as kustomize-controller would apply (field manager
// kustomize-controller, force), plus reading the live object, with a bound on
// concurrent requests.
import type { KubeClient } from "./client.js";
import { kubeErrorMessage } from "./client.js";

export const FIELD_MANAGER = "kustomize-controller";

export type Obj = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown> & { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
};

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code?: number,
    readonly reason?: string,
  ) {
    super(message);
  }
}

export interface DryRunner {
  /** The live object, or undefined when it does not exist. */
  get(obj: Obj): Promise<Obj | undefined>;
  /** The object as the API server would store it after applying `obj` (nothing is persisted). */
  dryRunApply(obj: Obj): Promise<Obj>;
  /** Whether the object's kind is namespaced (undefined when the API server does not know the kind). */
  namespaced?(obj: Obj): Promise<boolean | undefined>;
}

function toApiError(err: unknown): ApiError {
  const e = err as { code?: number; body?: unknown };
  let body = e?.body;
  if (typeof body === "string") {
    try {
      body = JSON.parse(body);
    } catch {
      /* keep text */
    }
  }
  const status = body && typeof body === "object" ? (body as { code?: number; reason?: string }) : undefined;
  return new ApiError(kubeErrorMessage(err), status?.code ?? e?.code, status?.reason);
}

export function kubeDryRunner(client: KubeClient): DryRunner {
  return {
    async get(obj) {
      try {
        const md: Record<string, string> = { name: String(obj.metadata?.name ?? "") };
        if (obj.metadata?.namespace) md.namespace = obj.metadata.namespace;
        return (await client.objects.read({ apiVersion: obj.apiVersion, kind: obj.kind, metadata: md } as never)) as unknown as Obj;
      } catch (err) {
        const api = toApiError(err);
        if (api.code === 404) return undefined;
        throw api;
      }
    },
    async namespaced(obj) {
      try {
        const api = client.objects as unknown as {
          resource(apiVersion: string, kind: string): Promise<{ namespaced?: boolean } | undefined>;
        };
        const r = await api.resource(String(obj.apiVersion ?? ""), String(obj.kind ?? ""));
        return r ? Boolean(r.namespaced) : undefined;
      } catch {
        return undefined;
      }
    },
    async dryRunApply(obj) {
      try {
        return (await client.objects.patch(
          obj as never,
          undefined,
          "All",
          FIELD_MANAGER,
          true,
          client.k8s.PatchStrategy.ServerSideApply,
        )) as unknown as Obj;
      } catch (err) {
        throw toApiError(err);
      }
    },
  };
}

/** Maps `items` through `fn` with at most `limit` calls in flight; results keep the input order. */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
