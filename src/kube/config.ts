// The kubeconfig, read without @kubernetes/client-node: clusters, users and contexts
// (client-node's field names, so the overrides in client.ts read alike), and the TLS
// options and Authorization header of a request for certificates, bearer tokens,
// token files and basic auth. Loading client-node costs more than a whole `flux get`
// (about 80 MB and a second on a small machine), so it is loaded only for what it
// alone does here: exec and auth-provider plugins and proxies.
import { readFileSync } from "node:fs";
import type https from "node:https";
import path from "node:path";

export interface Cluster {
  name: string;
  server: string;
  caData?: string | undefined;
  caFile?: string | undefined;
  skipTLSVerify: boolean;
  tlsServerName?: string | undefined;
  proxyUrl?: string | undefined;
}

export interface User {
  name: string;
  token?: string | undefined;
  certData?: string | undefined;
  certFile?: string | undefined;
  keyData?: string | undefined;
  keyFile?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
  impersonateUser?: string | undefined;
  exec?: unknown;
  authProvider?: unknown;
}

export interface Context {
  name: string;
  cluster: string;
  user: string;
  namespace?: string | undefined;
}

/** What a request needs from a kubeconfig (client-node's KubeConfig has the same shape). */
export interface KubeConfigSource {
  getCurrentCluster(): Cluster | null;
  applyToHTTPSOptions(opts: https.RequestOptions): Promise<void>;
}

type Dict = Record<string, unknown>;

function text(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function named(list: unknown, what: string): Dict[] {
  if (!Array.isArray(list)) return [];
  return list.map((e: unknown, i) => {
    if (!e || typeof e !== "object" || !text((e as Dict).name)) throw new Error(`${what}[${i}].name is missing`);
    return e as Dict;
  });
}

function bufferFrom(file: string | undefined, data: string | undefined): Buffer | undefined {
  if (file) return readFileSync(file);
  if (data) return Buffer.from(data, "base64");
  return undefined;
}

/**
 * The kubeconfig's document. A JSON kubeconfig (YAML's JSON subset, as generated ones
 * often are) is read with JSON.parse: loading the YAML parser costs a `flux get` more
 * than reading the list it prints.
 */
async function parseDocument(source: string): Promise<unknown> {
  if (/^\s*\{/.test(source)) {
    try {
      return JSON.parse(source) as unknown;
    } catch {
      // not JSON after all (YAML's flow style allows more): the YAML parser decides
    }
  }
  const { parse } = await import("yaml");
  return parse(source) as unknown;
}

export class KubeConfig implements KubeConfigSource {
  clusters: Cluster[] = [];
  users: User[] = [];
  contexts: Context[] = [];
  currentContext = "";
  /** client-node's KubeConfig for exec/auth-provider users and proxies, built on first use. */
  private plugin: Promise<KubeConfigSource> | undefined;

  /** Parses a kubeconfig document (client-node's rules: entries need a name, contexts a cluster). */
  static async fromString(source: string): Promise<KubeConfig> {
    const doc = ((await parseDocument(source)) ?? {}) as Dict;
    if (typeof doc !== "object") throw new Error("the kubeconfig is not a YAML mapping");
    const kc = new KubeConfig();
    kc.clusters = named(doc.clusters, "clusters").map((e, i) => {
      const c = (e.cluster ?? {}) as Dict;
      const server = text(c.server);
      if (!server) throw new Error(`clusters[${i}].cluster.server is missing`);
      return {
        name: String(e.name),
        server: server.replace(/\/$/, ""),
        caData: text(c["certificate-authority-data"]),
        caFile: text(c["certificate-authority"]),
        skipTLSVerify: c["insecure-skip-tls-verify"] === true,
        tlsServerName: text(c["tls-server-name"]),
        proxyUrl: text(c["proxy-url"]),
      };
    });
    kc.users = named(doc.users, "users").map((e) => {
      const u = (e.user ?? {}) as Dict;
      const tokenFile = text(u["token-file"]);
      return {
        name: String(e.name),
        token: text(u.token) ?? (tokenFile ? readFileSync(tokenFile, "utf8") : undefined),
        certData: text(u["client-certificate-data"]),
        certFile: text(u["client-certificate"]),
        keyData: text(u["client-key-data"]),
        keyFile: text(u["client-key"]),
        username: text(u.username),
        password: text(u.password),
        impersonateUser: text(u.as),
        exec: u.exec ?? undefined,
        authProvider: u["auth-provider"] ?? undefined,
      };
    });
    kc.contexts = named(doc.contexts, "contexts").map((e, i) => {
      const c = e.context as Dict | undefined;
      if (!c) throw new Error(`contexts[${i}].context is missing`);
      if (!text(c.cluster)) throw new Error(`contexts[${i}].context.cluster is missing`);
      return {
        name: String(e.name),
        cluster: String(c.cluster),
        user: text(c.user) ?? "",
        namespace: text(c.namespace),
      };
    });
    kc.currentContext = text(doc["current-context"]) ?? "";
    return kc;
  }

  /** Relative certificate, key and token paths read from the kubeconfig's folder (client-node's loadFromFile). */
  makePathsAbsolute(root: string): void {
    const abs = (p: string | undefined) => (p && !path.isAbsolute(p) ? path.join(root, p) : p);
    for (const c of this.clusters) c.caFile = abs(c.caFile);
    for (const u of this.users) {
      u.certFile = abs(u.certFile);
      u.keyFile = abs(u.keyFile);
    }
  }

  getCurrentContext(): string {
    return this.currentContext;
  }

  setCurrentContext(name: string): void {
    this.currentContext = name;
    this.plugin = undefined;
  }

  getContextObject(name: string): Context | null {
    return this.contexts.find((c) => c.name === name) ?? null;
  }

  getCluster(name: string): Cluster | null {
    return this.clusters.find((c) => c.name === name) ?? null;
  }

  getUser(name: string): User | null {
    return this.users.find((u) => u.name === name) ?? null;
  }

  getCurrentCluster(): Cluster | null {
    const ctx = this.getContextObject(this.currentContext);
    return ctx ? this.getCluster(ctx.cluster) : null;
  }

  getCurrentUser(): User | null {
    const ctx = this.getContextObject(this.currentContext);
    return ctx ? this.getUser(ctx.user) : null;
  }

  /** TLS material and credentials of the current context, as client-node applies them. */
  async applyToHTTPSOptions(opts: https.RequestOptions): Promise<void> {
    const cluster = this.getCurrentCluster();
    const user = this.getCurrentUser();
    if (user?.exec || user?.authProvider || cluster?.proxyUrl) {
      await (await this.pluginConfig()).applyToHTTPSOptions(opts);
      return;
    }
    if (!user) return;
    const headers = { ...((opts.headers as Record<string, string | string[]> | undefined) ?? {}) };
    if (cluster?.skipTLSVerify) opts.rejectUnauthorized = false;
    if (cluster?.tlsServerName) opts.servername = cluster.tlsServerName;
    const ca = cluster ? bufferFrom(cluster.caFile, cluster.caData) : undefined;
    if (ca) opts.ca = ca;
    const cert = bufferFrom(user.certFile, user.certData);
    if (cert) opts.cert = cert;
    const key = bufferFrom(user.keyFile, user.keyData);
    if (key) opts.key = key;
    if (user.impersonateUser) headers["Impersonate-User"] = user.impersonateUser;
    if (user.token) headers.Authorization = `Bearer ${user.token}`;
    if (user.username) opts.auth = `${user.username}:${user.password ?? ""}`;
    opts.headers = headers;
  }

  /** client-node's KubeConfig with the same entries (overrides included). */
  private pluginConfig(): Promise<KubeConfigSource> {
    this.plugin ??= import("@kubernetes/client-node").then((lib) => {
      const kc = new lib.KubeConfig();
      kc.loadFromOptions({
        clusters: this.clusters,
        users: this.users,
        contexts: this.contexts,
        currentContext: this.currentContext,
      });
      return kc;
    });
    return this.plugin;
  }
}
