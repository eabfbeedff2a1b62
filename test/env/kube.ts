// Minimal raw Kubernetes REST access used by the test environment and its
// helpers. It goes through @kubernetes/client-node's KubeConfig for TLS/auth so
// it exercises the same kubeconfig the code under test uses, but gives full
// control over paths, subresources and patch content types.
import https from "node:https";
import http from "node:http";
import type { KubeConfig } from "@kubernetes/client-node";

export class KubeRequestError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly statusCode: number,
    readonly body: unknown,
  ) {
    const msg =
      body && typeof body === "object" && "message" in body
        ? String(body.message)
        : typeof body === "string"
          ? body.slice(0, 500)
          : JSON.stringify(body);
    super(`${method} ${path}: HTTP ${statusCode}: ${msg}`);
    this.name = "KubeRequestError";
  }
}

export const ContentType = {
  JSON: "application/json",
  MergePatch: "application/merge-patch+json",
  JsonPatch: "application/json-patch+json",
  StrategicMergePatch: "application/strategic-merge-patch+json",
  ApplyPatch: "application/apply-patch+yaml",
} as const;

export interface RequestOptions {
  body?: unknown;
  contentType?: string;
  /** Query parameters appended to the path. */
  query?: Record<string, string | number | boolean | undefined>;
  timeoutMs?: number;
}

/** Performs one request against the cluster of kc's current context and returns the parsed JSON body. */
export async function kubeRequest<T = unknown>(
  kc: KubeConfig,
  method: string,
  path: string,
  opts: RequestOptions = {},
): Promise<T> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error("kubeconfig has no current cluster");
  const url = new URL(path, cluster.server);
  for (const [k, v] of Object.entries(opts.query ?? {})) {
    if (v !== undefined) url.searchParams.set(k, String(v));
  }
  const reqOpts: https.RequestOptions = { method, headers: { Accept: "application/json" } };
  await kc.applyToHTTPSOptions(reqOpts);
  let payload: string | undefined;
  if (opts.body !== undefined) {
    payload = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
    reqOpts.headers = {
      ...(reqOpts.headers as Record<string, string>),
      "Content-Type": opts.contentType ?? ContentType.JSON,
      "Content-Length": String(Buffer.byteLength(payload)),
    };
  }
  const mod = url.protocol === "http:" ? http : https;
  return await new Promise<T>((resolve, reject) => {
    const req = mod.request(url, reqOpts, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let parsed: unknown = text;
        if (text && (res.headers["content-type"] ?? "").includes("json")) {
          try {
            parsed = JSON.parse(text);
          } catch {
            /* keep text */
          }
        }
        const code = res.statusCode ?? 0;
        if (code < 200 || code >= 300) reject(new KubeRequestError(method, url.pathname, code, parsed));
        else resolve(parsed as T);
      });
    });
    req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error(`${method} ${url.pathname}: timed out`)));
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export function isStatus(err: unknown, code: number): boolean {
  return err instanceof KubeRequestError && err.statusCode === code;
}

// ---------------------------------------------------------------------------
// Discovery

export interface ApiResourceInfo {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
}

interface APIResourceList {
  resources: { name: string; kind: string; namespaced: boolean }[];
}

/** Splits "group/version" (or "v1") into its parts. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf("/");
  return i < 0
    ? { group: "", version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export function groupVersionPath(group: string, version: string): string {
  return group === "" ? `/api/${version}` : `/apis/${group}/${version}`;
}

/** Looks up the REST resource for apiVersion+kind via discovery (uncached: CRDs come and go in tests). */
export async function discoverResource(kc: KubeConfig, apiVersion: string, kind: string): Promise<ApiResourceInfo> {
  const { group, version } = parseApiVersion(apiVersion);
  const list = await kubeRequest<APIResourceList>(kc, "GET", groupVersionPath(group, version));
  const r = list.resources.find((x) => x.kind === kind && !x.name.includes("/"));
  if (!r) throw new Error(`no resource for kind ${kind} in ${apiVersion}`);
  return { group, version, plural: r.name, kind: r.kind, namespaced: r.namespaced };
}

/** Path of a resource collection or object; namespace is ignored when undefined. */
export function resourcePath(r: {
  group: string;
  version: string;
  plural: string;
  namespace?: string | undefined;
  name?: string;
  subresource?: string;
}): string {
  let p = groupVersionPath(r.group, r.version);
  if (r.namespace) p += `/namespaces/${encodeURIComponent(r.namespace)}`;
  p += `/${r.plural}`;
  if (r.name) p += `/${encodeURIComponent(r.name)}`;
  if (r.subresource) p += `/${r.subresource}`;
  return p;
}
