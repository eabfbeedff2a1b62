// flux create secret git|helm|tls|oci|githubapp|proxy|notation|receiver
// With --export the Secret (credentials included, as upstream) goes to stdout
// followed by a blank line; otherwise it is applied. Secrets never reach the logs.
import { randomBytes } from "node:crypto";
import { basename } from "node:path";
import type { Run } from "../cli/action.js";
import type { CommandContext } from "../cli/context.js";
import { CliError, redactUrls } from "../errors.js";
import type { KubeObject } from "../manifests/common.js";
import {
  githubAppSecret,
  notationSecret,
  ociSecret,
  proxySecret,
  receiverSecret,
  secret,
} from "../manifests/secrets.js";
import { restTarget, upsert, type RestTarget } from "./apply.js";
import { list, parseLabels, parseUrl, printExport, readUserFile, requireName, str, type Opts } from "./common.js";
import { receiverType } from "./resources.js";
import { checkSshFlags, gitCredentials, type SourceDeps } from "./sources.js";

export interface SecretDeps extends SourceDeps {
  target?: RestTarget;
}

async function finish(
  ctx: CommandContext,
  opts: Opts,
  s: KubeObject,
  what: string,
  deps: SecretDeps,
  blankLine = true,
): Promise<void> {
  // upstream prints secrets with Println (a blank line after the document), except tls.
  if (opts.export) return printExport(ctx, [s], blankLine);
  const target = deps.target ?? (await restTarget(ctx));
  await upsert(target, s);
  ctx.logger.action(`${what} secret '${s.metadata.name}' created in '${s.metadata.namespace}' namespace`);
}

// ------------------------------------------------------------------ git

export async function buildGitSecret(
  args: string[],
  opts: Opts,
  ctx: CommandContext,
  deps: SourceDeps = {},
): Promise<KubeObject> {
  const name = requireName(args);
  const url = str(opts.url);
  if (!url) throw new CliError("url is required");
  const u = parseUrl(url);
  if (!u) throw new CliError(`git URL parse failed: parse "${redactUrls(url)}": invalid URL`);
  const labels = parseLabels(list(opts.label));
  const namespace = ctx.globals.namespace;
  switch (u.scheme) {
    case "ssh": {
      checkSshFlags(opts);
      return (await gitCredentials(name, namespace, labels, url, opts, ctx, deps))!;
    }
    case "http":
    case "https": {
      const username = str(opts.username);
      const password = str(opts.password);
      const bearerToken = str(opts.bearerToken);
      if (!password && !bearerToken) {
        throw new CliError("for Git over HTTP/S the username and password, or a bearer token is required");
      }
      if ((username || password) && bearerToken)
        throw new CliError("user credentials and bearer token cannot be used together");
      const caCrtFile = str(opts.caCrtFile);
      const caFile = str(opts.caFile);
      const caCrt = caCrtFile ? readUserFile(caCrtFile, "unable to read TLS CA file") : undefined;
      const caLegacy = !caCrtFile && caFile ? readUserFile(caFile, "unable to read TLS CA file") : undefined;
      const { gitSecret } = await import("../manifests/secrets.js");
      return gitSecret({ name, namespace, labels, username, password, bearerToken, caCrt, caFile: caLegacy });
    }
    default:
      throw new CliError(`git URL scheme '${u.scheme}' not supported, can be: ssh, http and https`);
  }
}

export function createSecretGit(deps: SecretDeps = {}): Run {
  return async (args, opts, ctx) => {
    const s = await buildGitSecret(args, opts, ctx, deps);
    const pub = (s.stringData as Record<string, string> | undefined)?.["identity.pub"];
    if (!opts.export && pub) ctx.logger.generate(`deploy key: ${pub}`);
    await finish(ctx, opts, s, "git", deps);
  };
}

export const runCreateSecretGit: Run = (args, opts, ctx) => createSecretGit()(args, opts, ctx);

// ------------------------------------------------------------------ helm / tls

/**
 * TLS material as upstream's sourcesecret writes it: --tls-crt-file/--tls-key-file
 * (both) as tls.crt/tls.key, else the deprecated --cert-file/--key-file as
 * certFile/keyFile; --ca-crt-file as ca.crt, else the deprecated --ca-file as caFile.
 */
function tlsData(opts: Opts): Record<string, string> {
  const d: Record<string, string> = {};
  const caCrtFile = str(opts.caCrtFile);
  const caFile = str(opts.caFile);
  if (caCrtFile) d["ca.crt"] = readUserFile(caCrtFile, "unable to read TLS CA file");
  else if (caFile) d["caFile"] = readUserFile(caFile, "unable to read TLS CA file");
  const crt = str(opts.tlsCrtFile);
  const key = str(opts.tlsKeyFile);
  const certFile = str(opts.certFile);
  const keyFile = str(opts.keyFile);
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

function deprecations(ctx: CommandContext, opts: Opts, message: (flag: string) => string): void {
  for (const [key, flag] of [
    ["certFile", "cert-file"],
    ["keyFile", "key-file"],
    ["caFile", "ca-file"],
  ] as const) {
    if (opts[key] !== undefined) ctx.io.stderr.write(`Flag --${flag} has been deprecated, ${message(flag)}\n`);
  }
}

export function buildHelmSecret(args: string[], opts: Opts, ctx: CommandContext): KubeObject {
  const name = requireName(args);
  const labels = parseLabels(list(opts.label));
  const d: Record<string, string> = {};
  if (str(opts.username)) d.username = str(opts.username);
  if (str(opts.password)) d.password = str(opts.password);
  Object.assign(d, tlsData(opts));
  return secret({ name, namespace: ctx.globals.namespace, labels, stringData: d });
}

export const runCreateSecretHelm: Run = async (args, opts, ctx) => {
  deprecations(ctx, opts, () => "please use the command `flux create secret tls` to generate TLS secrets");
  await finish(ctx, opts, buildHelmSecret(args, opts, ctx), "helm", {});
};

export function buildTLSSecret(args: string[], opts: Opts, ctx: CommandContext): KubeObject {
  const name = requireName(args);
  const labels = parseLabels(list(opts.label));
  const d = tlsData(opts);
  if (Object.keys(d).length === 0) {
    throw new CliError("--tls-crt-file and --tls-key-file, or --ca-crt-file are required");
  }
  return secret({
    name,
    namespace: ctx.globals.namespace,
    labels,
    stringData: d,
    type: d["tls.crt"] && d["tls.key"] ? "kubernetes.io/tls" : undefined,
  });
}

export const runCreateSecretTLS: Run = async (args, opts, ctx) => {
  const repl: Record<string, string> = {
    "cert-file": "--tls-crt-file",
    "key-file": "--tls-key-file",
    "ca-file": "--ca-crt-file",
  };
  deprecations(ctx, opts, (flag) => `please use ${repl[flag]} instead`);
  // upstream prints tls secrets with Print: no blank line after the document
  await finish(ctx, opts, buildTLSSecret(args, opts, ctx), "tls", {}, false);
};

// ------------------------------------------------------------------ oci

export function buildOCISecret(args: string[], opts: Opts, ctx: CommandContext): KubeObject {
  const name = requireName(args);
  const url = str(opts.url);
  if (!url) throw new CliError("--url is required");
  const username = str(opts.username);
  const password = str(opts.password);
  if (!username) throw new CliError("--username is required");
  if (!password) throw new CliError("--password is required");
  if (/\s/.test(url) || url.includes("://")) {
    throw new CliError(`error parsing url: 'could not parse reference: ${redactUrls(url)}'`);
  }
  // upstream passes the URL as the registry key and sets no labels on this secret
  return ociSecret({ name, namespace: ctx.globals.namespace, registry: url, username, password });
}

export const runCreateSecretOCI: Run = async (args, opts, ctx) =>
  finish(ctx, opts, buildOCISecret(args, opts, ctx), "oci", {});

// ------------------------------------------------------------------ githubapp

export function buildGitHubAppSecret(args: string[], opts: Opts, ctx: CommandContext): KubeObject {
  const name = requireName(args);
  const appID = str(opts.appId);
  if (!appID) throw new CliError("--app-id is required");
  const installationID = str(opts.appInstallationId);
  const installationOwner = str(opts.appInstallationOwner);
  if (!installationID && !installationOwner)
    throw new CliError("--app-installation-id or --app-installation-owner is required");
  const keyFile = str(opts.appPrivateKey);
  if (!keyFile) throw new CliError("--app-private-key is required");
  const privateKey = readUserFile(keyFile, "unable to read private key file");
  // as upstream, the githubapp secret carries no labels
  return githubAppSecret({
    name,
    namespace: ctx.globals.namespace,
    appID,
    installationID,
    installationOwner,
    privateKey,
    baseURL: str(opts.appBaseUrl),
  });
}

export const runCreateSecretGitHubApp: Run = async (args, opts, ctx) =>
  finish(ctx, opts, buildGitHubAppSecret(args, opts, ctx), "githubapp", {});

// ------------------------------------------------------------------ proxy

export function buildProxySecret(args: string[], opts: Opts, ctx: CommandContext): KubeObject {
  const name = requireName(args);
  const labels = parseLabels(list(opts.label));
  const address = str(opts.address);
  if (!address) throw new CliError("address is required");
  return proxySecret({
    name,
    namespace: ctx.globals.namespace,
    labels,
    address,
    username: str(opts.username),
    password: str(opts.password),
  });
}

export const runCreateSecretProxy: Run = async (args, opts, ctx) =>
  finish(ctx, opts, buildProxySecret(args, opts, ctx), "proxy", {});

// ------------------------------------------------------------------ notation

/** A JSON.parse error as one line that does not quote the file's content back. */
function jsonErrorReason(err: unknown): string {
  const reason = (err as Error).message.replace(/, ".*" is not valid JSON$/s, "").split("\n")[0];
  return `not valid JSON: ${reason}`;
}

export function buildNotationSecret(args: string[], opts: Opts, ctx: CommandContext): KubeObject {
  const name = requireName(args);
  const caFiles = list(opts.caCertFile);
  if (caFiles.length === 0) throw new CliError("--ca-cert-file is required");
  const policyFile = str(opts.trustPolicyFile);
  if (!policyFile) throw new CliError("--trust-policy-file is required");
  const labels = parseLabels(list(opts.label));
  const trustPolicy = readUserFile(policyFile, "unable to read trust policy file");
  let doc: unknown;
  try {
    doc = JSON.parse(trustPolicy);
  } catch (err) {
    throw new CliError(`failed to unmarshal trust policy ${policyFile}: ${jsonErrorReason(err)}`);
  }
  const policies = (doc as { trustPolicies?: unknown } | null)?.trustPolicies;
  if (!doc || typeof doc !== "object" || !Array.isArray(policies) || policies.length === 0) {
    throw new CliError("invalid trust policy: trust policy document has no trust policy statements");
  }
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
  return notationSecret({ name, namespace: ctx.globals.namespace, labels, caCerts, trustPolicy });
}

export const runCreateSecretNotation: Run = async (args, opts, ctx) =>
  finish(ctx, opts, buildNotationSecret(args, opts, ctx), "notation configuration", {});

// ------------------------------------------------------------------ receiver

export function buildReceiverSecret(args: string[], opts: Opts, ctx: CommandContext): KubeObject {
  const name = requireName(args);
  const type = receiverType(opts);
  if (!type) throw new CliError("--type is required");
  const hostname = str(opts.hostname);
  if (!hostname) throw new CliError("--hostname is required");
  const emailClaim = str(opts.emailClaim);
  if (type === "gcr" && !emailClaim) throw new CliError("--email-claim is required for gcr receiver type");
  const labels = parseLabels(list(opts.label));
  const token = str(opts.token) || randomBytes(32).toString("hex");
  return receiverSecret({
    name,
    namespace: ctx.globals.namespace,
    labels,
    token,
    hostname,
    emailClaim: type === "gcr" ? emailClaim : undefined,
    audienceClaim: type === "gcr" ? str(opts.audienceClaim) : undefined,
  });
}

export const runCreateSecretReceiver: Run = async (args, opts, ctx) => {
  const s = buildReceiverSecret(args, opts, ctx);
  if (opts.export) return printExport(ctx, [s], true);
  await upsert(await restTarget(ctx), s);
  ctx.logger.action(`receiver secret '${s.metadata.name}' created in '${s.metadata.namespace}' namespace`);
};
