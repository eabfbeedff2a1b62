// Kubernetes client wiring: kubeconfig loading with flux's global flags applied
// (--kubeconfig, --context, --cluster, --user, --server, --token, --certificate-authority,
// --client-certificate, --client-key, --tls-server-name, --insecure-skip-tls-verify),
// impersonation (--as, --as-group, --as-uid, --as-user-extra), the client-side rate
// limit (--kube-api-qps, --kube-api-burst), --disable-compression, and the namespace rule (-n, or the context's namespace
// with --ns-follows-kube-context). Requests go through src/kube/rest.ts; the
// kubeconfig is read by src/kube/config.ts, which loads @kubernetes/client-node only
// for exec and auth-provider plugins, proxies and in-cluster configuration.
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import type { GlobalOptions } from "../deps.js";
import { CliError } from "../errors.js";
import { KubeConfig, type Cluster, type User } from "./config.js";
import { rateLimiter } from "./ratelimit.js";
import type { RestTarget } from "./rest.js";

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
  | "asUid"
  | "asUserExtra"
  | "certificateAuthority"
  | "clientCertificate"
  | "clientKey"
  | "tlsServerName"
  | "disableCompression"
  | "kubeApiQps"
  | "kubeApiBurst"
  | "cacheDir"
  | "insecureSkipTlsVerify"
  | "namespace"
  | "nsFollowsKubeContext"
  | "namespaceSet"
  | "timeoutMs"
>;

export interface KubeClient extends RestTarget {
  config: KubeConfig;
  /** The namespace this request is scoped to. */
  namespace: string;
  /**
   * --timeout caps each request of src/kube/rest.ts, within 10s..60s: a stalled API
   * server fails the command instead of hanging it, and a short --timeout meant for a
   * wait does not cut off an apply on a busy server.
   */
  requestTimeoutMs?: number | undefined;
  /** --cache-dir: where discovery answers are kept between runs. */
  cacheDir?: string | undefined;
}

/** ~/.kube/config, used when neither --kubeconfig nor KUBECONFIG names a file. */
function homeKubeconfig(): string | undefined {
  const home = join(homedir(), ".kube", "config");
  return existsSync(home) ? home : undefined;
}

/** client-node's default loading (in-cluster service account, ...) when there is no kubeconfig file. */
async function defaultKubeConfig(): Promise<KubeConfig> {
  // Lazy: client-node is only needed without a kubeconfig file (in-cluster and friends).
  const lib = await import("@kubernetes/client-node");
  const kc = new lib.KubeConfig();
  kc.loadFromDefault();
  const out = new KubeConfig();
  out.clusters = kc.clusters.map((c) => ({ ...c }));
  out.users = kc.users.map((u) => ({ ...u }));
  out.contexts = kc.contexts.map((c) => ({ ...c }));
  out.currentContext = kc.getCurrentContext();
  return out;
}

export async function loadKubeConfig(opts: Partial<KubeOptions>): Promise<KubeConfig> {
  let kc: KubeConfig;
  const given = opts.kubeconfig ?? process.env.KUBECONFIG?.split(":")[0];
  const path = given ?? homeKubeconfig();
  try {
    if (path) {
      kc = await KubeConfig.fromString(readFileSync(path, "utf8"));
      if (!given) kc.makePathsAbsolute(dirname(path));
    } else kc = await defaultKubeConfig();
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
  checkImpersonation(opts);
  if (!kc.getCurrentCluster()) {
    throw new CliError(
      "no Kubernetes cluster configured: set --kubeconfig or KUBECONFIG, or --server, to point at a cluster",
    );
  }
  return kc;
}

function applyOverrides(kc: KubeConfig, opts: Partial<KubeOptions>): void {
  const ctxName = kc.getCurrentContext();
  const ctx = kc.getContextObject(ctxName);
  let clusterName = opts.cluster ?? ctx?.cluster;
  let userName = opts.user ?? ctx?.user;
  if (opts.cluster && !kc.getCluster(opts.cluster))
    throw new CliError(`cluster "${opts.cluster}" does not exist in the kubeconfig`);
  if (opts.user && !kc.getUser(opts.user)) throw new CliError(`user "${opts.user}" does not exist in the kubeconfig`);
  const needsOwnCluster = opts.server || opts.certificateAuthority || opts.insecureSkipTlsVerify || opts.tlsServerName;
  const clusters = kc.clusters;
  const users = kc.users;
  if (needsOwnCluster) {
    const base = clusterName ? kc.getCluster(clusterName) : null;
    const cluster: Cluster = { ...(base ?? { name: "", server: "", skipTLSVerify: false }) };
    cluster.name = "tsflux-override";
    if (opts.server) cluster.server = opts.server;
    if (opts.certificateAuthority) {
      cluster.caFile = opts.certificateAuthority;
      cluster.caData = undefined;
    }
    if (opts.insecureSkipTlsVerify) cluster.skipTLSVerify = true;
    if (opts.tlsServerName) cluster.tlsServerName = opts.tlsServerName;
    clusters.push(cluster);
    clusterName = cluster.name;
  }
  if (opts.token || opts.clientCertificate || opts.clientKey) {
    // As kubectl: --token replaces the user's credentials; --client-certificate and
    // --client-key replace its certificate pair and keep the rest.
    const base = !opts.token && userName ? kc.getUser(userName) : null;
    const user: User = { ...(base ?? {}), name: "tsflux-override" };
    if (opts.token) user.token = opts.token;
    if (opts.clientCertificate) {
      user.certFile = opts.clientCertificate;
      user.certData = undefined;
    }
    if (opts.clientKey) {
      user.keyFile = opts.clientKey;
      user.keyData = undefined;
    }
    users.push(user);
    userName = "tsflux-override";
  }
  if (clusterName !== ctx?.cluster || userName !== ctx?.user || !ctx) {
    kc.contexts.push({
      name: "tsflux-override",
      cluster: clusterName ?? "",
      user: userName ?? "",
      namespace: ctx?.namespace,
    });
    kc.setCurrentContext("tsflux-override");
  }
}

/** --as-group, --as-uid and --as-user-extra need --as (Kubernetes impersonates them only with a user). */
function checkImpersonation(opts: Partial<KubeOptions>): void {
  if (opts.as) return;
  if (opts.asGroup?.length) {
    throw new CliError("--as-group requires --as: impersonating groups without a user is not allowed by Kubernetes");
  }
  if (opts.asUid || opts.asUserExtra?.length) {
    throw new CliError("--as-uid and --as-user-extra require --as: Kubernetes impersonates them only with a user");
  }
}

/** --as-user-extra key=value, repeatable: the values of each key. */
function userExtra(items: string[]): Record<string, string[]> | undefined {
  if (items.length === 0) return undefined;
  const out: Record<string, string[]> = {};
  for (const item of items) {
    const i = item.indexOf("=");
    if (i <= 0) throw new CliError(`invalid --as-user-extra ${JSON.stringify(item)}: expected key=value`);
    (out[item.slice(0, i)] ??= []).push(item.slice(i + 1));
  }
  return out;
}

/** -n wins; with --ns-follows-kube-context the context's namespace replaces the default. */
export function resolveNamespace(kc: KubeConfig, opts: Partial<KubeOptions>): string {
  if (opts.nsFollowsKubeContext && !opts.namespaceSet) {
    const ns = kc.getContextObject(kc.getCurrentContext())?.namespace;
    if (ns) return ns;
  }
  return opts.namespace ?? "flux-system";
}

export async function createKubeClient(opts: Partial<KubeOptions>): Promise<KubeClient> {
  const config = await loadKubeConfig(opts);
  return {
    config,
    namespace: resolveNamespace(config, opts),
    impersonate: opts.as
      ? { user: opts.as, groups: opts.asGroup, uid: opts.asUid, extra: userExtra(opts.asUserExtra ?? []) }
      : undefined,
    requestTimeoutMs: opts.timeoutMs ? Math.min(Math.max(opts.timeoutMs, 10_000), 60_000) : undefined,
    rateLimiter: rateLimiter(opts.kubeApiQps, opts.kubeApiBurst),
    disableCompression: opts.disableCompression,
    cacheDir: opts.cacheDir,
  };
}

/** Turns client-node errors into one actionable line (no stack, no response dump). */
export function kubeErrorMessage(err: unknown): string {
  if (
    err instanceof Error &&
    (err.name === "KubeApiError" || err.name === "KubeConnectionError" || err instanceof CliError)
  ) {
    return err.message.split("\n", 1)[0] ?? ""; // a split: never empty
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
  if (body && typeof body === "object" && "message" in body) return String(body.message);
  return e.message?.split("\n")[0] ?? String(err);
}
