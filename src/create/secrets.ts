// flux create secret git|helm|tls|oci|githubapp|proxy|notation|receiver
// With --export the Secret (credentials included, as upstream) goes to stdout
// followed by a blank line; otherwise it is applied. Secrets never reach the logs.
import { randomBytes } from "node:crypto";
import { basename } from "node:path";
import type { Run } from "../cli/action.js";
import type { CommandContext } from "../cli/context.js";
import { CliError } from "../errors.js";
import type { KubeObject } from "../manifests/common.js";
import {
  githubAppSecret,
  helmSecret,
  notationSecret,
  ociSecret,
  proxySecret,
  receiverSecret,
  tlsSecret,
} from "../manifests/secrets.js";
import { restTarget, upsert, type RestTarget } from "./apply.js";
import { parseLabels, parseUrl, printExport, readUserFile, requireName } from "./common.js";
import { checkReceiverType } from "./resources.js";
import { gitCredentials, type SourceDeps } from "./sources.js";
import { ECDSA_CURVES, KEY_ALGORITHMS } from "./sshkeys.js";

type Opts = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === "string" ? v : "");
const list = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);

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
  if (!u) throw new CliError(`git URL parse failed: parse "${url}": invalid URL`);
  const labels = parseLabels(list(opts.label));
  const namespace = ctx.globals.namespace;
  switch (u.scheme) {
    case "ssh": {
      const alg = str(opts.sshKeyAlgorithm) || "ecdsa";
      if (!(KEY_ALGORITHMS as readonly string[]).includes(alg)) {
        throw new CliError(
          `invalid argument "${alg}" for "--ssh-key-algorithm" flag: unsupported public key algorithm '${alg}', must be one of: ${KEY_ALGORITHMS.join(", ")}`,
        );
      }
      const curve = str(opts.sshEcdsaCurve) || "p384";
      if (!(ECDSA_CURVES as readonly string[]).includes(curve)) {
        throw new CliError(
          `invalid argument "${curve}" for "--ssh-ecdsa-curve" flag: unsupported curve '${curve}', should be one of: ${ECDSA_CURVES.join(", ")}`,
        );
      }
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

function tlsFiles(opts: Opts): { tlsCrt?: string; tlsKey?: string; caCrt?: string } {
  const crtFile = str(opts.tlsCrtFile) || str(opts.certFile);
  const keyFile = str(opts.tlsKeyFile) || str(opts.keyFile);
  const caFile = str(opts.caCrtFile) || str(opts.caFile);
  if ((crtFile && !keyFile) || (!crtFile && keyFile)) {
    throw new CliError("--tls-crt-file and --tls-key-file are both required to configure TLS client authentication");
  }
  return {
    tlsCrt: crtFile ? readUserFile(crtFile, "failed to read TLS certificate file") : undefined,
    tlsKey: keyFile ? readUserFile(keyFile, "failed to read TLS key file") : undefined,
    caCrt: caFile ? readUserFile(caFile, "failed to read CA certificate file") : undefined,
  };
}

export function buildHelmSecret(args: string[], opts: Opts, ctx: CommandContext): KubeObject {
  const name = requireName(args);
  const labels = parseLabels(list(opts.label));
  const username = str(opts.username);
  const password = str(opts.password);
  if ((username && !password) || (!username && password)) {
    throw new CliError("both --username and --password are required for basic authentication");
  }
  return helmSecret({ name, namespace: ctx.globals.namespace, labels, username, password, ...tlsFiles(opts) });
}

export const runCreateSecretHelm: Run = async (args, opts, ctx) =>
  finish(ctx, opts, buildHelmSecret(args, opts, ctx), "helm", {});

export function buildTLSSecret(args: string[], opts: Opts, ctx: CommandContext): KubeObject {
  const name = requireName(args);
  const labels = parseLabels(list(opts.label));
  for (const [old, repl] of [
    ["certFile", "--tls-crt-file"],
    ["keyFile", "--tls-key-file"],
    ["caFile", "--ca-crt-file"],
  ] as const) {
    if (str(opts[old])) {
      const flag = old.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      ctx.io.stderr.write(`Flag --${flag} has been deprecated, please use ${repl} instead\n`);
    }
  }
  const files = tlsFiles(opts);
  if (!files.tlsCrt && !files.caCrt) {
    throw new CliError("--tls-crt-file and --tls-key-file, or --ca-crt-file are required");
  }
  return tlsSecret({ name, namespace: ctx.globals.namespace, labels, ...files });
}

export const runCreateSecretTLS: Run = async (args, opts, ctx) => {
  const s = buildTLSSecret(args, opts, ctx);
  await finish(ctx, opts, s, "tls", {}, false);
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
  const labels = parseLabels(list(opts.label));
  const registry = url.replace(/^oci:\/\//, "").split("/")[0]!;
  if (registry === "") throw new CliError(`error parsing url '${url}': the registry host is missing`);
  return ociSecret({ name, namespace: ctx.globals.namespace, labels, registry, username, password });
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
  const labels = parseLabels(list(opts.label));
  return githubAppSecret({
    name,
    namespace: ctx.globals.namespace,
    labels,
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
  const address = str(opts.address);
  if (!address) throw new CliError("--address is required");
  const u = parseUrl(address);
  if (!u || !u.host)
    throw new CliError(
      `invalid proxy address '${address}': must be a URL with a scheme and host, e.g. https://proxy.example.com:8080`,
    );
  const username = str(opts.username);
  const password = str(opts.password);
  if (username && !password) throw new CliError("--password is required when --username is set");
  if (!username && password) throw new CliError("--username is required when --password is set");
  const labels = parseLabels(list(opts.label));
  return proxySecret({ name, namespace: ctx.globals.namespace, labels, address, username, password });
}

export const runCreateSecretProxy: Run = async (args, opts, ctx) =>
  finish(ctx, opts, buildProxySecret(args, opts, ctx), "proxy", {});

// ------------------------------------------------------------------ notation

export function buildNotationSecret(args: string[], opts: Opts, ctx: CommandContext): KubeObject {
  const name = requireName(args);
  const caFiles = list(opts.caCertFile);
  if (caFiles.length === 0) throw new CliError("--ca-cert-file is required");
  const policyFile = str(opts.trustPolicyFile);
  if (!policyFile) throw new CliError("--trust-policy-file is required");
  const trustPolicy = readUserFile(policyFile, "unable to read trust policy file");
  try {
    const policy = JSON.parse(trustPolicy) as { trustPolicies?: unknown };
    if (!policy || typeof policy !== "object" || !Array.isArray(policy.trustPolicies)) {
      throw new Error("missing trustPolicies");
    }
  } catch (err) {
    throw new CliError(`failed to unmarshal trust policy ${policyFile}: ${(err as Error).message}`);
  }
  const caCerts = caFiles.map((f) => {
    const base = basename(f);
    if (!base.endsWith(".crt") && !base.endsWith(".pem")) {
      throw new CliError(`${f} must end with either .crt or .pem`);
    }
    return {
      key: base.endsWith(".crt") ? "ca.crt" : "ca.pem",
      data: readUserFile(f, "unable to read CA certificate file"),
    };
  });
  const labels = parseLabels(list(opts.label));
  return notationSecret({ name, namespace: ctx.globals.namespace, labels, caCerts, trustPolicy });
}

export const runCreateSecretNotation: Run = async (args, opts, ctx) =>
  finish(ctx, opts, buildNotationSecret(args, opts, ctx), "notation", {});

// ------------------------------------------------------------------ receiver

export function buildReceiverSecret(args: string[], opts: Opts, ctx: CommandContext): KubeObject {
  const name = requireName(args);
  const type = str(opts.type);
  if (opts.type !== undefined && type.trim() === "") {
    throw new CliError(
      `invalid argument "" for "--type" flag: no receiver type given, please specify the receiver type`,
    );
  }
  if (type) checkReceiverType(type);
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
