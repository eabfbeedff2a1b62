// Kubernetes Secrets of `flux create secret ...` (and the credentials secrets that
// `create source ...` writes). Pure: file contents and generated keys come in as strings.
// A class cannot come through the CLI build's deferred node:crypto facade by name
// (scripts/build.mjs): it is read from the module object when first used.
import crypto, { createHash, createPrivateKey } from "node:crypto";
import type { CommonOptions, KubeObject } from "./common.js";

export interface SecretOptions extends CommonOptions {
  stringData: Record<string, string>;
  type?: string | undefined;
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
  username?: string | undefined;
  password?: string | undefined;
  bearerToken?: string | undefined;
  /** --ca-crt-file contents (ca.crt) */
  caCrt?: string | undefined;
  /** deprecated --ca-file contents (caFile) */
  caFile?: string | undefined;
  /** OpenSSH private key */
  identity?: string | undefined;
  identityPub?: string | undefined;
  knownHosts?: string | undefined;
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
  tlsCrt?: string | undefined;
  tlsKey?: string | undefined;
  caCrt?: string | undefined;
}

/**
 * The credentials Secret of a Helm repository, as upstream's sourcesecret.GenerateHelm
 * writes it (create secret helm, create source helm): a client certificate pair wins
 * (kubernetes.io/tls, plus ca.crt), then basic auth (kubernetes.io/basic-auth, both
 * username and password, plus ca.crt), then a CA alone (Opaque); nothing given is an
 * empty Secret.
 */
export function helmSecret(o: CommonOptions & TLSSecretData & { username?: string; password?: string }): KubeObject {
  const d: Record<string, string> = {};
  if (o.tlsCrt || o.tlsKey) {
    if (!o.tlsKey) throw new Error("found certificate but missing private key");
    if (!o.tlsCrt) throw new Error("found private key but missing certificate");
    checkKeyPair(o.tlsCrt, o.tlsKey);
    put(d, "tls.crt", o.tlsCrt);
    put(d, "tls.key", o.tlsKey);
    put(d, "ca.crt", o.caCrt);
    return secret({ ...o, stringData: d, type: "kubernetes.io/tls" });
  }
  if (o.username || o.password) {
    if (!o.username) throw new Error("username is required");
    if (!o.password) throw new Error("password is required");
    put(d, "username", o.username);
    put(d, "password", o.password);
    put(d, "ca.crt", o.caCrt);
    return secret({ ...o, stringData: d, type: "kubernetes.io/basic-auth" });
  }
  if (o.caCrt) return secret({ ...o, stringData: { "ca.crt": o.caCrt }, type: "Opaque" });
  return secret({ ...o, stringData: d });
}

/** tls.X509KeyPair's check: the certificate parses and the key belongs to it. */
function checkKeyPair(certPem: string, keyPem: string): void {
  let ok: boolean;
  try {
    ok = new crypto.X509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem));
  } catch (err) {
    throw new Error(`invalid TLS certificate and key pair: ${(err as Error).message}`, { cause: err });
  }
  if (!ok) throw new Error("invalid TLS certificate and key pair: tls: private key does not match public key");
}

export function tlsSecret(o: CommonOptions & TLSSecretData): KubeObject {
  const d: Record<string, string> = {};
  put(d, "tls.crt", o.tlsCrt);
  put(d, "tls.key", o.tlsKey);
  put(d, "ca.crt", o.caCrt);
  return secret({ ...o, stringData: d, type: o.tlsCrt && o.tlsKey ? "kubernetes.io/tls" : undefined });
}

/**
 * The docker config JSON of an image pull secret as upstream's MakeRegistrySecret writes
 * it: encoding/json's key order, indented by two spaces (json.MarshalIndent).
 */
export function dockerConfigJson(registry: string, username: string, password: string): string {
  const auth = Buffer.from(`${username}:${password}`).toString("base64");
  return JSON.stringify({ auths: { [registry]: { username, password, auth } } }, null, 2);
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
  o: CommonOptions & {
    token: string;
    hostname: string;
    emailClaim?: string | undefined;
    audienceClaim?: string | undefined;
  },
): KubeObject {
  const d: Record<string, string> = { token: o.token };
  const url = `https://${o.hostname}${receiverWebhookPath(o.token, o.name, o.namespace)}`;
  put(d, "email", o.emailClaim);
  // gcr: the OIDC token audience defaults to the webhook URL (upstream's GenerateReceiver)
  if (o.emailClaim) d.audience = o.audienceClaim || url;
  return secret({ ...o, stringData: d, annotations: { [WEBHOOK_ANNOTATION]: url } });
}
