// Kubernetes Secrets of `flux create secret ...` (and the credentials secrets that
// `create source ...` writes). Pure: file contents and generated keys come in as strings.
import { createHash } from "node:crypto";
import type { CommonOptions, KubeObject } from "./common.js";

export interface SecretOptions extends CommonOptions {
  stringData: Record<string, string>;
  type?: string;
  annotations?: Record<string, string>;
}

export function secret(o: SecretOptions): KubeObject {
  const metadata: KubeObject["metadata"] = { name: o.name, namespace: o.namespace };
  if (o.labels && Object.keys(o.labels).length > 0) metadata.labels = { ...o.labels };
  if (o.annotations && Object.keys(o.annotations).length > 0) metadata.annotations = { ...o.annotations };
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata,
    stringData: Object.keys(o.stringData).length > 0 ? { ...o.stringData } : undefined,
    type: o.type,
  };
}

function put(data: Record<string, string>, key: string, value: string | undefined): void {
  if (value !== undefined && value !== "") data[key] = value;
}

export interface GitSecretData {
  username?: string;
  password?: string;
  bearerToken?: string;
  /** --ca-crt-file contents (ca.crt) */
  caCrt?: string;
  /** deprecated --ca-file contents (caFile) */
  caFile?: string;
  /** OpenSSH private key */
  identity?: string;
  identityPub?: string;
  knownHosts?: string;
}

export function gitSecret(o: CommonOptions & GitSecretData): KubeObject {
  const d: Record<string, string> = {};
  put(d, "username", o.username);
  put(d, "password", o.password);
  put(d, "bearerToken", o.bearerToken);
  put(d, "ca.crt", o.caCrt);
  put(d, "caFile", o.caFile);
  put(d, "identity", o.identity);
  put(d, "identity.pub", o.identityPub);
  put(d, "known_hosts", o.knownHosts);
  return secret({ ...o, stringData: d });
}

export interface TLSSecretData {
  tlsCrt?: string;
  tlsKey?: string;
  caCrt?: string;
}

export function helmSecret(o: CommonOptions & TLSSecretData & { username?: string; password?: string }): KubeObject {
  const d: Record<string, string> = {};
  put(d, "username", o.username);
  put(d, "password", o.password);
  put(d, "tls.crt", o.tlsCrt);
  put(d, "tls.key", o.tlsKey);
  put(d, "ca.crt", o.caCrt);
  return secret({ ...o, stringData: d });
}

export function tlsSecret(o: CommonOptions & TLSSecretData): KubeObject {
  const d: Record<string, string> = {};
  put(d, "tls.crt", o.tlsCrt);
  put(d, "tls.key", o.tlsKey);
  put(d, "ca.crt", o.caCrt);
  return secret({ ...o, stringData: d, type: o.tlsCrt && o.tlsKey ? "kubernetes.io/tls" : undefined });
}

/** The docker config JSON of an image pull secret, with Go's encoding/json key order. */
export function dockerConfigJson(registry: string, username: string, password: string): string {
  const auth = Buffer.from(`${username}:${password}`).toString("base64");
  return JSON.stringify({ auths: { [registry]: { username, password, auth } } });
}

export function ociSecret(o: CommonOptions & { registry: string; username: string; password: string }): KubeObject {
  return secret({
    ...o,
    stringData: { ".dockerconfigjson": dockerConfigJson(o.registry, o.username, o.password) },
    type: "kubernetes.io/dockerconfigjson",
  });
}

export interface GitHubAppData {
  appID: string;
  installationID?: string;
  installationOwner?: string;
  privateKey: string;
  baseURL?: string;
}

export function githubAppSecret(o: CommonOptions & GitHubAppData): KubeObject {
  const d: Record<string, string> = {};
  put(d, "githubAppID", o.appID);
  put(d, "githubAppInstallationID", o.installationID);
  put(d, "githubAppInstallationOwner", o.installationOwner);
  put(d, "githubAppPrivateKey", o.privateKey);
  put(d, "githubAppBaseURL", o.baseURL);
  return secret({ ...o, stringData: d, type: "Opaque" });
}

export function proxySecret(o: CommonOptions & { address: string; username?: string; password?: string }): KubeObject {
  const d: Record<string, string> = {};
  put(d, "address", o.address);
  put(d, "username", o.username);
  put(d, "password", o.password);
  return secret({ ...o, stringData: d, type: "Opaque" });
}

export function notationSecret(
  o: CommonOptions & { caCerts: { key: string; data: string }[]; trustPolicy: string },
): KubeObject {
  const d: Record<string, string> = {};
  for (const c of o.caCerts) d[c.key] = c.data;
  d["trustpolicy.json"] = o.trustPolicy;
  return secret({ ...o, stringData: d });
}

export const WEBHOOK_ANNOTATION = "notification.toolkit.fluxcd.io/webhook";

/** notification-controller's webhook path: /hook/sha256(token + name + namespace). */
export function receiverWebhookPath(token: string, name: string, namespace: string): string {
  const digest = createHash("sha256")
    .update(token + name + namespace)
    .digest("hex");
  return `/hook/${digest}`;
}

export function receiverSecret(
  o: CommonOptions & { token: string; hostname: string; emailClaim?: string; audienceClaim?: string },
): KubeObject {
  const d: Record<string, string> = { token: o.token };
  put(d, "email", o.emailClaim);
  put(d, "audience", o.audienceClaim);
  const url = `https://${o.hostname}${receiverWebhookPath(o.token, o.name, o.namespace)}`;
  return secret({ ...o, stringData: d, annotations: { [WEBHOOK_ANNOTATION]: url } });
}
