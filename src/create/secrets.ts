// flux create secret git|helm|tls|oci|githubapp|proxy|notation|receiver
// With --export the Secret (credentials included, as upstream) goes to stdout
// followed by a blank line; otherwise it is applied. Secrets never reach the logs.
import { randomBytes } from "node:crypto";
import { basename } from "node:path";
import type { Deps } from "../deps.js";
import { CliError, redactUrls } from "../errors.js";
import type { KubeObject } from "../manifests/common.js";
import {
  githubAppSecret,
  helmSecret,
  notationSecret,
  ociSecret,
  proxySecret,
  receiverSecret,
  secret,
  gitSecret,
} from "../manifests/secrets.js";
import { parseReference, ReferenceError } from "../oci/reference.js";
import { restTarget, upsert, type RestTarget } from "./apply.js";
import { parseLabels, parseUrl, printExport, readUserFile, requireName } from "./common.js";
import type {
  CreateOptions,
  CreateSecretGitHubAppOptions,
  CreateSecretGitOptions,
  CreateSecretHelmOptions,
  CreateSecretNotationOptions,
  CreateSecretOCIOptions,
  CreateSecretProxyOptions,
  CreateSecretReceiverOptions,
  CreateSecretTLSOptions,
  TlsFileOptions,
} from "./options.js";
import { receiverType } from "./resources.js";
import { checkSshFlags, gitCredentials, type SourceDeps } from "./sources.js";
import { must } from "../util/must.js";

async function finish(
  deps: SourceDeps & { target?: RestTarget },
  opts: CreateOptions,
  s: KubeObject,
  what: string,
  blankLine = true,
): Promise<void> {
  // upstream prints secrets with Println (a blank line after the document), except tls.
  if (opts.export) {
    printExport(deps, [s], blankLine);
    return;
  }
  const target = deps.target ?? (await restTarget(deps));
  await upsert(target, s);
  deps.logger.action(`${what} secret '${s.metadata.name}' created in '${s.metadata.namespace}' namespace`);
}

// ------------------------------------------------------------------ git

export async function buildGitSecret(opts: CreateSecretGitOptions, deps: SourceDeps): Promise<KubeObject> {
  const name = requireName(opts.name);
  const url = opts.url;
  if (!url) throw new CliError("url is required");
  const u = parseUrl(url);
  if (!u) throw new CliError(`git URL parse failed: parse "${redactUrls(url)}": invalid URL`);
  const labels = parseLabels(opts.label);
  const namespace = deps.globals.namespace;
  switch (u.scheme) {
    case "ssh": {
      checkSshFlags(opts);
      return must(await gitCredentials(name, namespace, labels, url, opts, deps), "the SSH git credentials");
    }
    case "http":
    case "https": {
      const username = opts.username;
      const password = opts.password;
      const bearerToken = opts.bearerToken;
      if (!password && !bearerToken) {
        throw new CliError("for Git over HTTP/S the username and password, or a bearer token is required");
      }
      if ((username || password) && bearerToken)
        throw new CliError("user credentials and bearer token cannot be used together");
      const caCrtFile = opts.caCrtFile;
      const caFile = opts.caFile;
      const caCrt = caCrtFile ? readUserFile(caCrtFile, "unable to read TLS CA file") : undefined;
      const caLegacy = !caCrtFile && caFile ? readUserFile(caFile, "unable to read TLS CA file") : undefined;
      return gitSecret({ name, namespace, labels, username, password, bearerToken, caCrt, caFile: caLegacy });
    }
    default:
      throw new CliError(`git URL scheme '${u.scheme}' not supported, can be: ssh, http and https`);
  }
}

export async function runCreateSecretGit(opts: CreateSecretGitOptions, deps: SourceDeps): Promise<void> {
  const s = await buildGitSecret(opts, deps);
  const pub = (s.stringData as Record<string, string> | undefined)?.["identity.pub"];
  if (!opts.export && pub) deps.logger.generate(`deploy key: ${pub}`);
  await finish(deps, opts, s, "git");
}

// ------------------------------------------------------------------ helm / tls

/**
 * TLS material as upstream's sourcesecret writes it: --tls-crt-file/--tls-key-file
 * (both) as tls.crt/tls.key, else the deprecated --cert-file/--key-file as
 * certFile/keyFile; --ca-crt-file as ca.crt, else the deprecated --ca-file as caFile.
 */
function tlsData(opts: TlsFileOptions): Record<string, string> {
  const d: Record<string, string> = {};
  const caCrtFile = opts.caCrtFile;
  const caFile = opts.caFile;
  if (caCrtFile) d["ca.crt"] = readUserFile(caCrtFile, "unable to read TLS CA file");
  else if (caFile) d["caFile"] = readUserFile(caFile, "unable to read TLS CA file");
  const crt = opts.tlsCrtFile;
  const key = opts.tlsKeyFile;
  const certFile = opts.certFile;
  const keyFile = opts.keyFile;
  if (crt && key) {
    d["tls.crt"] = readUserFile(crt, "failed to read cert file");
    d["tls.key"] = readUserFile(key, "failed to read key file");
  } else if (certFile && keyFile) {
    d["certFile"] = readUserFile(certFile, "failed to read cert file");
    d["keyFile"] = readUserFile(keyFile, "failed to read key file");
  } else if (crt || key) {
    throw new CliError("--tls-crt-file and --tls-key-file are both required for TLS client authentication");
  }
  return d;
}

export function buildHelmSecret(opts: CreateSecretHelmOptions, deps: Deps): KubeObject {
  const name = requireName(opts.name);
  const labels = parseLabels(opts.label);
  const read = (file: string | undefined, what: string) => (file ? readUserFile(file, what) : undefined);
  return helmSecret({
    name,
    namespace: deps.globals.namespace,
    labels,
    username: opts.username,
    password: opts.password,
    caCrt: read(opts.caCrtFile, "unable to read TLS CA file") ?? read(opts.caFile, "unable to read TLS CA file"),
    tlsCrt: read(opts.tlsCrtFile, "failed to read cert file") ?? read(opts.certFile, "failed to read cert file"),
    tlsKey: read(opts.tlsKeyFile, "failed to read key file") ?? read(opts.keyFile, "failed to read key file"),
  });
}

// The deprecation lines of --cert-file, --key-file and --ca-file are printed by the CLI (deprecateOption).
export async function runCreateSecretHelm(opts: CreateSecretHelmOptions, deps: Deps): Promise<void> {
  await finish(deps, opts, buildHelmSecret(opts, deps), "helm");
}

export function buildTLSSecret(opts: CreateSecretTLSOptions, deps: Deps): KubeObject {
  const name = requireName(opts.name);
  const labels = parseLabels(opts.label);
  const d = tlsData(opts);
  if (Object.keys(d).length === 0) {
    throw new CliError("--tls-crt-file and --tls-key-file, or --ca-crt-file are required");
  }
  return secret({
    name,
    namespace: deps.globals.namespace,
    labels,
    stringData: d,
    type: d["tls.crt"] && d["tls.key"] ? "kubernetes.io/tls" : undefined,
  });
}

export async function runCreateSecretTLS(opts: CreateSecretTLSOptions, deps: Deps): Promise<void> {
  // upstream prints tls secrets with Print: no blank line after the document
  await finish(deps, opts, buildTLSSecret(opts, deps), "tls", false);
}

// ------------------------------------------------------------------ oci

export function buildOCISecret(opts: CreateSecretOCIOptions, deps: Deps): KubeObject {
  const name = requireName(opts.name);
  const url = opts.url;
  if (!url) throw new CliError("--url is required");
  const username = opts.username;
  const password = opts.password;
  if (!username) throw new CliError("--username is required");
  if (!password) throw new CliError("--password is required");
  // name.ParseReference, as upstream: what it accepts (host[:port][/path][:tag|@digest]) is a registry URL here
  try {
    parseReference(url);
  } catch (err) {
    if (!(err instanceof ReferenceError)) throw err;
    throw new CliError(`error parsing url: '${redactUrls(err.message)}'`);
  }
  // upstream passes the URL as the registry key and sets no labels on this secret
  return ociSecret({ name, namespace: deps.globals.namespace, registry: url, username, password });
}

export async function runCreateSecretOCI(opts: CreateSecretOCIOptions, deps: Deps): Promise<void> {
  await finish(deps, opts, buildOCISecret(opts, deps), "oci");
}

// ------------------------------------------------------------------ githubapp

export function buildGitHubAppSecret(opts: CreateSecretGitHubAppOptions, deps: Deps): KubeObject {
  const name = requireName(opts.name);
  const appID = opts.appId;
  if (!appID) throw new CliError("--app-id is required");
  const installationID = opts.appInstallationId;
  const installationOwner = opts.appInstallationOwner;
  const keyFile = opts.appPrivateKey;
  if (!keyFile) throw new CliError("--app-private-key is required");
  const privateKey = readUserFile(keyFile, "unable to read private key file");
  // MakeGitHubAppSecret: one installation selector, never both
  if (Boolean(installationID) === Boolean(installationOwner))
    throw new CliError("exactly one of githubAppInstallationOwner or githubAppInstallationID must be provided");
  // as upstream, the githubapp secret carries no labels
  return githubAppSecret({
    name,
    namespace: deps.globals.namespace,
    appID,
    installationID,
    installationOwner,
    privateKey,
    baseURL: opts.appBaseUrl,
  });
}

export async function runCreateSecretGitHubApp(opts: CreateSecretGitHubAppOptions, deps: Deps): Promise<void> {
  await finish(deps, opts, buildGitHubAppSecret(opts, deps), "githubapp");
}

// ------------------------------------------------------------------ proxy

export function buildProxySecret(opts: CreateSecretProxyOptions, deps: Deps): KubeObject {
  const name = requireName(opts.name);
  const labels = parseLabels(opts.label);
  const address = opts.address;
  if (!address) throw new CliError("address is required");
  return proxySecret({
    name,
    namespace: deps.globals.namespace,
    labels,
    address,
    username: opts.username,
    password: opts.password,
  });
}

export async function runCreateSecretProxy(opts: CreateSecretProxyOptions, deps: Deps): Promise<void> {
  await finish(deps, opts, buildProxySecret(opts, deps), "proxy");
}

// ------------------------------------------------------------------ notation

/** A JSON.parse error as one line that does not quote the file's content back. */
function jsonErrorReason(err: unknown): string {
  const reason = (err as Error).message.replace(/, ".*" is not valid JSON$/s, "").split("\n")[0];
  return `not valid JSON: ${reason}`;
}

interface TrustPolicyDocument {
  version?: string;
  trustPolicies?: {
    name?: string;
    signatureVerification?: { level?: string };
    trustStores?: string[];
    trustedIdentities?: string[];
  }[];
}

/** notation-go's trustpolicy Document.Validate, for the rules a hand-written policy breaks. */
function trustPolicyProblem(doc: TrustPolicyDocument): string | undefined {
  if (!doc.version) return "trust policy document has empty version, version must be specified";
  if (doc.version !== "1.0") return `trust policy document uses unsupported version ${JSON.stringify(doc.version)}`;
  const statements = doc.trustPolicies ?? [];
  if (statements.length === 0) return "trust policy document can not have zero trust policy statements";
  const names = new Set<string>();
  for (const st of statements) {
    const name = st.name ?? "";
    if (names.has(name))
      return `multiple trust policy statements use the same name ${JSON.stringify(name)}, statement names must be unique`;
    if (!name) return "trust policy: a trust policy statement is missing a name, every statement requires a name";
    const stores = st.trustStores ?? [];
    const identities = st.trustedIdentities ?? [];
    if (st.signatureVerification?.level === "skip") {
      if (stores.length > 0 || identities.length > 0)
        return `trust policy: trust policy statement ${JSON.stringify(name)} is set to skip signature verification but configured with trust stores and/or trusted identities, remove them if signature verification needs to be skipped`;
    } else if (stores.length === 0 || identities.length === 0) {
      return `trust policy: trust policy statement ${JSON.stringify(name)} is either missing trust stores or trusted identities, both must be specified`;
    }
    names.add(name);
  }
  return undefined;
}

export function buildNotationSecret(opts: CreateSecretNotationOptions, deps: Deps): KubeObject {
  const name = requireName(opts.name);
  const caFiles = opts.caCertFile;
  if (caFiles.length === 0) throw new CliError("--ca-cert-file is required");
  const policyFile = opts.trustPolicyFile;
  if (!policyFile) throw new CliError("--trust-policy-file is required");
  const labels = parseLabels(opts.label);
  const trustPolicy = readUserFile(policyFile, "unable to read trust policy file");
  let doc: unknown;
  try {
    doc = JSON.parse(trustPolicy);
  } catch (err) {
    throw new CliError(`failed to unmarshal trust policy ${policyFile}: ${jsonErrorReason(err)}`);
  }
  const goType = Array.isArray(doc) ? "array" : typeof doc === "boolean" ? "bool" : typeof doc;
  if (doc !== null && goType !== "object") {
    throw new CliError(
      `failed to unmarshal trust policy ${policyFile}: json: cannot unmarshal ${goType} into Go value of type trustpolicy.Document`,
    );
  }
  const problem = trustPolicyProblem(doc ?? {});
  if (problem) throw new CliError(`invalid trust policy: ${problem}`);
  const errors: string[] = [];
  const caCerts: { key: string; data: string }[] = [];
  for (const f of caFiles) {
    const base = basename(f);
    if (!base.endsWith(".crt") && !base.endsWith(".pem")) {
      errors.push(`${base} must end with either .crt or .pem`);
      continue;
    }
    try {
      caCerts.push({ key: base, data: readUserFile(f, "unable to read TLS CA file") });
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  if (errors.length > 0) throw new CliError(errors.join("\n"));
  return notationSecret({ name, namespace: deps.globals.namespace, labels, caCerts, trustPolicy });
}

export async function runCreateSecretNotation(opts: CreateSecretNotationOptions, deps: Deps): Promise<void> {
  await finish(deps, opts, buildNotationSecret(opts, deps), "notation configuration");
}

// ------------------------------------------------------------------ receiver

export function buildReceiverSecret(opts: CreateSecretReceiverOptions, deps: Deps): KubeObject {
  const name = requireName(opts.name);
  const type = receiverType(opts);
  if (!type) throw new CliError("--type is required");
  const hostname = opts.hostname;
  if (!hostname) throw new CliError("--hostname is required");
  const emailClaim = opts.emailClaim;
  if (type === "gcr" && !emailClaim) throw new CliError("--email-claim is required for gcr receiver type");
  const labels = parseLabels(opts.label);
  const token = opts.token || randomBytes(32).toString("hex");
  return receiverSecret({
    name,
    namespace: deps.globals.namespace,
    labels,
    token,
    hostname,
    emailClaim: type === "gcr" ? emailClaim : undefined,
    audienceClaim: type === "gcr" ? opts.audienceClaim : undefined,
  });
}

export async function runCreateSecretReceiver(opts: CreateSecretReceiverOptions, deps: Deps): Promise<void> {
  const s = buildReceiverSecret(opts, deps);
  if (opts.export) {
    printExport(deps, [s], true);
    return;
  }
  await upsert(await restTarget(deps), s);
  deps.logger.action(`receiver secret '${s.metadata.name}' created in '${s.metadata.namespace}' namespace`);
}
