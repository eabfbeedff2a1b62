// Kubernetes client wiring: kubeconfig loading with flux's global flags applied
// (--kubeconfig, --context, --cluster, --user, --server, --token, --certificate-authority,
// --insecure-skip-tls-verify) and the namespace rule (-n, or the context's namespace
// with --ns-follows-kube-context). @kubernetes/client-node is imported here only,
// and only by commands that talk to a cluster.
import { readFileSync } from "node:fs";
import type * as k8s from "@kubernetes/client-node";
import type { GlobalOptions } from "../cli/context.js";
import { CliError } from "../errors.js";

export type KubeOptions = Pick<
  GlobalOptions,
  | "kubeconfig"
  | "context"
  | "cluster"
  | "user"
  | "server"
  | "token"
  | "as"
  | "asGroup"
  | "certificateAuthority"
  | "insecureSkipTlsVerify"
  | "namespace"
  | "nsFollowsKubeContext"
  | "namespaceSet"
>;

export interface KubeClient {
  k8s: typeof k8s;
  config: k8s.KubeConfig;
  /** The namespace this request is scoped to. */
  namespace: string;
  objects: k8s.KubernetesObjectApi;
  custom: k8s.CustomObjectsApi;
  core: k8s.CoreV1Api;
  /** --as / --as-group, sent as Impersonate-* headers by src/kube/rest.ts. */
  impersonate?: { user?: string; groups?: string[] };
}

export async function loadKubeConfig(opts: Partial<KubeOptions>): Promise<k8s.KubeConfig> {
  const lib = await import("@kubernetes/client-node");
  const kc = new lib.KubeConfig();
  const path = opts.kubeconfig ?? process.env.KUBECONFIG?.split(":")[0];
  try {
    if (path) {
      const text = readFileSync(path, "utf8");
      kc.loadFromString(text);
    } else {
      kc.loadFromDefault();
    }
  } catch (err) {
    const where = path ?? "the default kubeconfig";
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      throw new CliError(`kubeconfig file ${where} not found: set --kubeconfig or KUBECONFIG to a valid file`);
    }
    throw new CliError(`unable to load kubeconfig from ${where}: ${(err as Error).message.split("\n")[0]}`);
  }
  if (opts.context) {
    if (!kc.getContextObject(opts.context)) {
      throw new CliError(`context "${opts.context}" does not exist in the kubeconfig`);
    }
    kc.setCurrentContext(opts.context);
  }
  applyOverrides(kc, opts);
  if (opts.as || opts.asGroup?.length) applyImpersonation(kc, opts.as, opts.asGroup ?? []);
  if (!kc.getCurrentCluster()) {
    throw new CliError(
      "no Kubernetes cluster configured: set --kubeconfig or KUBECONFIG, or --server, to point at a cluster",
    );
  }
  return kc;
}

function applyOverrides(kc: k8s.KubeConfig, opts: Partial<KubeOptions>): void {
  const ctxName = kc.getCurrentContext();
  const ctx = kc.getContextObject(ctxName);
  type Mutable<T> = { -readonly [K in keyof T]: T[K] };
  let clusterName = opts.cluster ?? ctx?.cluster;
  let userName = opts.user ?? ctx?.user;
  if (opts.cluster && !kc.getCluster(opts.cluster))
    throw new CliError(`cluster "${opts.cluster}" does not exist in the kubeconfig`);
  if (opts.user && !kc.getUser(opts.user)) throw new CliError(`user "${opts.user}" does not exist in the kubeconfig`);
  const needsOwnCluster = opts.server || opts.certificateAuthority || opts.insecureSkipTlsVerify;
  const clusters = kc.clusters as Mutable<k8s.Cluster>[];
  const users = kc.users as Mutable<k8s.User>[];
  if (needsOwnCluster) {
    const base = clusterName ? kc.getCluster(clusterName) : null;
    const cluster: Mutable<k8s.Cluster> = { ...(base ?? { name: "", server: "", skipTLSVerify: false }) };
    cluster.name = "tsflux-override";
    if (opts.server) cluster.server = opts.server;
    if (opts.certificateAuthority) {
      cluster.caFile = opts.certificateAuthority;
      cluster.caData = undefined;
    }
    if (opts.insecureSkipTlsVerify) cluster.skipTLSVerify = true;
    clusters.push(cluster);
    clusterName = cluster.name;
  }
  if (opts.token) {
    users.push({ name: "tsflux-override", token: opts.token });
    userName = "tsflux-override";
  }
  if (clusterName !== ctx?.cluster || userName !== ctx?.user || !ctx) {
    const contexts = kc.contexts as Mutable<k8s.Context>[];
    contexts.push({
      name: "tsflux-override",
      cluster: clusterName ?? "",
      user: userName ?? "",
      namespace: ctx?.namespace,
    });
    kc.setCurrentContext("tsflux-override");
  }
}

/**
 * --as / --as-group: every request made through this KubeConfig (client-node's API
 * clients, its fetch/https/watch helpers, and src/kube/rest.ts) carries the
 * Impersonate-User / Impersonate-Group headers.
 */
export function applyImpersonation(kc: k8s.KubeConfig, user: string | undefined, groups: string[]): void {
  if (groups.length > 0 && !user) {
    throw new CliError("--as-group requires --as: impersonating groups without a user is not allowed by Kubernetes");
  }
  const https = kc.applyToHTTPSOptions.bind(kc);
  kc.applyToHTTPSOptions = async (opts) => {
    await https(opts);
    const o = opts as { headers?: Record<string, string | string[] | number | undefined> };
    o.headers = { ...(o.headers ?? {}) };
    if (user) o.headers["Impersonate-User"] = user;
    if (groups.length > 0) o.headers["Impersonate-Group"] = groups;
  };
  const security = kc.applySecurityAuthentication.bind(kc);
  kc.applySecurityAuthentication = async (context) => {
    await security(context);
    if (user) context.setHeaderParam("Impersonate-User", user);
    // The generated clients hold one value per header: the first group (rest.ts sends all).
    if (groups.length > 0) context.setHeaderParam("Impersonate-Group", groups[0]!);
  };
}

/** -n wins; with --ns-follows-kube-context the context's namespace replaces the default. */
export function resolveNamespace(kc: k8s.KubeConfig, opts: Partial<KubeOptions>): string {
  if (opts.nsFollowsKubeContext && !opts.namespaceSet) {
    const ns = kc.getContextObject(kc.getCurrentContext())?.namespace;
    if (ns) return ns;
  }
  return opts.namespace ?? "flux-system";
}

export async function createKubeClient(opts: Partial<KubeOptions>): Promise<KubeClient> {
  const lib = await import("@kubernetes/client-node");
  const config = await loadKubeConfig(opts);
  return {
    k8s: lib,
    config,
    namespace: resolveNamespace(config, opts),
    objects: lib.KubernetesObjectApi.makeApiClient(config),
    custom: config.makeApiClient(lib.CustomObjectsApi),
    core: config.makeApiClient(lib.CoreV1Api),
    impersonate: opts.as || opts.asGroup?.length ? { user: opts.as, groups: opts.asGroup } : undefined,
  };
}

/** Turns client-node errors into one actionable line (no stack, no response dump). */
export function kubeErrorMessage(err: unknown): string {
  if (
    err instanceof Error &&
    (err.name === "KubeApiError" || err.name === "KubeConnectionError" || err instanceof CliError)
  ) {
    return err.message.split("\n")[0]!;
  }
  const e = err as { code?: number | string; body?: unknown; message?: string; cause?: { code?: string } };
  const causeCode = e.cause?.code ?? (typeof e.code === "string" ? e.code : undefined);
  if (
    causeCode === "ECONNREFUSED" ||
    causeCode === "ENOTFOUND" ||
    causeCode === "EHOSTUNREACH" ||
    causeCode === "ETIMEDOUT"
  ) {
    return `unable to connect to the Kubernetes API server (${causeCode}): check that the cluster is running and --kubeconfig/--context point at it`;
  }
  let body = e.body;
  if (typeof body === "string") {
    try {
      body = JSON.parse(body);
    } catch {
      /* not JSON */
    }
  }
  if (body && typeof body === "object" && "message" in body) return String((body as { message: unknown }).message);
  return e.message?.split("\n")[0] ?? String(err);
}
