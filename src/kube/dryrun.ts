// Server-side dry-run apply as kustomize-controller would apply (field manager
// kustomize-controller, force), plus reading the live object, with a bound on
// concurrent requests.
import type { KubeConfig } from "@kubernetes/client-node";
import type { KubeClient } from "./client.js";
import { kubeErrorMessage } from "./client.js";

export const FIELD_MANAGER = "kustomize-controller";

export type Obj = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown> & {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
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
        return (await client.objects.read({
          apiVersion: obj.apiVersion,
          kind: obj.kind,
          metadata: md,
        } as never)) as unknown as Obj;
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

// ----------------------------------------------------------------- REST with keep-alive

interface Discovered {
  plural: string;
  namespaced: boolean;
}

/**
 * A DryRunner speaking to the API server directly over one keep-alive HTTPS
 * agent (client-node opens a new connection per request, which makes hundreds
 * of dry-runs several times slower). Authentication comes from the kubeconfig
 * (certificates, tokens, exec plugins) through client-node.
 */
export async function restDryRunner(
  config: KubeConfig,
  opts: { maxSockets?: number } = {},
): Promise<DryRunner & { close(): void }> {
  const https = await import("node:https");
  const http = await import("node:http");
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new ApiError("no Kubernetes cluster configured");
  const server = new URL(cluster.server);
  const secure = server.protocol === "https:";
  const tls: Record<string, unknown> & { headers?: Record<string, string> } = {};
  await config.applyToHTTPSOptions(tls as never);
  const agentOptions = { keepAlive: true, maxSockets: opts.maxSockets ?? 8, ...tls };
  delete (agentOptions as Record<string, unknown>).headers;
  const agent = secure
    ? new https.Agent(agentOptions as never)
    : new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 8 });
  const basePath = server.pathname.replace(/\/$/, "");
  const headers = { ...(tls.headers ?? {}) };

  const request = (
    method: string,
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<{ status: number; body: unknown }> =>
    new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = (secure ? https : http).request(
        {
          protocol: server.protocol,
          hostname: server.hostname,
          port: server.port || (secure ? 443 : 80),
          path: basePath + path,
          method,
          agent,
          headers: {
            ...headers,
            Accept: "application/json",
            ...(data
              ? { "Content-Type": contentType ?? "application/json", "Content-Length": String(data.length) }
              : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              /* not JSON */
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
          res.on("error", reject);
        },
      );
      req.on("error", (err: NodeJS.ErrnoException) =>
        reject(
          new ApiError(
            err.code === "ECONNREFUSED" ||
              err.code === "ENOTFOUND" ||
              err.code === "EHOSTUNREACH" ||
              err.code === "ETIMEDOUT"
              ? `unable to connect to the Kubernetes API server (${err.code}): check that the cluster is running and --kubeconfig/--context point at it`
              : err.message,
          ),
        ),
      );
      if (data) req.write(data);
      req.end();
    });

  const failure = (res: { status: number; body: unknown }): ApiError => {
    const b = res.body as { message?: string; reason?: string; code?: number } | string | undefined;
    if (b && typeof b === "object")
      return new ApiError(b.message ?? `HTTP ${res.status}`, b.code ?? res.status, b.reason);
    return new ApiError(typeof b === "string" && b ? b.trim() : `HTTP ${res.status}`, res.status);
  };

  const discovery = new Map<string, Promise<Map<string, Discovered>>>();
  const resources = (apiVersion: string): Promise<Map<string, Discovered>> => {
    let p = discovery.get(apiVersion);
    if (!p) {
      p = (async () => {
        const res = await request("GET", apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`);
        const out = new Map<string, Discovered>();
        if (res.status === 404) return out;
        if (res.status >= 400) throw failure(res);
        for (const r of (res.body as { resources?: { name: string; kind: string; namespaced: boolean }[] })
          ?.resources ?? []) {
          if (!r.name.includes("/")) out.set(r.kind, { plural: r.name, namespaced: r.namespaced });
        }
        return out;
      })();
      discovery.set(apiVersion, p);
    }
    return p;
  };
  const resourcePath = async (obj: Obj): Promise<string> => {
    const apiVersion = String(obj.apiVersion ?? "");
    const kind = String(obj.kind ?? "");
    const found = (await resources(apiVersion)).get(kind);
    if (!found) throw new ApiError(`no matches for kind "${kind}" in version "${apiVersion}"`, 404, "NotFound");
    const prefix = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const ns = found.namespaced ? `/namespaces/${encodeURIComponent(obj.metadata?.namespace || "default")}` : "";
    return `${prefix}${ns}/${found.plural}/${encodeURIComponent(String(obj.metadata?.name ?? ""))}`;
  };

  return {
    async namespaced(obj) {
      try {
        return (await resources(String(obj.apiVersion ?? ""))).get(String(obj.kind ?? ""))?.namespaced;
      } catch {
        return undefined;
      }
    },
    async get(obj) {
      const res = await request("GET", await resourcePath(obj));
      if (res.status === 404) return undefined;
      if (res.status >= 400) throw failure(res);
      return res.body as Obj;
    },
    async dryRunApply(obj) {
      const q = `?dryRun=All&fieldManager=${FIELD_MANAGER}&force=true`;
      const res = await request("PATCH", (await resourcePath(obj)) + q, obj, "application/apply-patch+yaml");
      if (res.status >= 400) throw failure(res);
      return res.body as Obj;
    },
    close() {
      agent.destroy();
    },
  };
}

/** Maps `items` through `fn` with at most `limit` calls in flight; results keep the input order. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
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
