// flux create source git|helm|oci|bucket|chart
import type { Run } from "../cli/action.js";
import type { CommandContext } from "../cli/context.js";
import { CliError, redactUrls } from "../errors.js";
import { bucket, gitRepository, helmChart, helmRepository, ociRepository } from "../manifests/sources.js";
import { gitSecret, helmSecret, secret } from "../manifests/secrets.js";
import type { KubeObject } from "../manifests/common.js";
import { upsert, restTarget, type RestTarget } from "./apply.js";
import {
  invalidFlag,
  list,
  parseKindName,
  parseLabels,
  parseUrl,
  printExport,
  readUserFile,
  requireName,
  sourceKind,
  str,
  type Opts,
} from "./common.js";
import { applyAndWait, artifactRevision, confirm } from "./flow.js";
import {
  ECDSA_CURVES,
  KEY_ALGORITHMS,
  generateKeyPair,
  loadKeyPair,
  scanHostKey,
  type EcdsaCurve,
  type HostKeyScanner,
  type KeyAlgorithm,
} from "./sshkeys.js";

export interface SourceDeps {
  scanHostKey?: HostKeyScanner;
}

export function rsaBits(value: unknown): number {
  const s = str(value);
  if (s.trim() === "") return 2048;
  if (!/^[+-]?\d+$/.test(s)) throw invalidFlag(s, "ssh-rsa-bits", `strconv.Atoi: parsing "${s}": invalid syntax`);
  const bits = Number(s);
  if (bits === 0 || bits % 8 !== 0) throw invalidFlag(s, "ssh-rsa-bits", "RSA key bit size must be a multiples of 8");
  if (bits < 1024) throw invalidFlag(s, "ssh-rsa-bits", "RSA key bit size must be at least 1024");
  return bits;
}

/** pflag Value flags with a fixed set of values: upstream's "invalid argument" wording. */
export function checkEnum(opts: Opts, key: string, flag: string, what: string, allowed: readonly string[]): void {
  const v = opts[key];
  if (v === undefined) return;
  const s = str(v);
  if (!allowed.includes(s)) {
    throw invalidFlag(s, flag, `${what} '${s}' is not supported, must be one of: ${allowed.join(", ")}`);
  }
}

/** --ssh-key-algorithm, --ssh-ecdsa-curve and --ssh-rsa-bits, checked before anything happens. */
export function checkSshFlags(opts: Opts): void {
  const alg = opts.sshKeyAlgorithm;
  if (alg !== undefined && !(KEY_ALGORITHMS as readonly string[]).includes(str(alg))) {
    throw invalidFlag(
      str(alg),
      "ssh-key-algorithm",
      `unsupported public key algorithm '${str(alg)}', must be one of: ${KEY_ALGORITHMS.join(", ")}`,
    );
  }
  const curve = opts.sshEcdsaCurve;
  if (curve !== undefined && !(ECDSA_CURVES as readonly string[]).includes(str(curve))) {
    throw invalidFlag(
      str(curve),
      "ssh-ecdsa-curve",
      `unsupported curve '${str(curve)}', should be one of: ${ECDSA_CURVES.join(", ")}`,
    );
  }
  rsaBits(opts.sshRsaBits);
}

export const GIT_PROVIDERS = ["generic", "azure", "github"] as const;
export const BUCKET_PROVIDERS = ["generic", "aws", "azure", "gcp"] as const;
export const OCI_PROVIDERS = ["generic", "aws", "azure", "gcp"] as const;

/** Applies the credentials Secret of a source and points the source's secretRef at it. */
async function applyCredentials(
  ctx: CommandContext,
  target: RestTarget,
  source: KubeObject,
  credentials: KubeObject,
  what: string,
): Promise<void> {
  ctx.logger.action(`applying secret with ${what}`);
  await upsert(target, credentials);
  (source.spec as Record<string, unknown>).secretRef = { name: credentials.metadata.name };
  ctx.logger.success("authentication configured");
}

// ------------------------------------------------------------------ git

export function buildGitRepository(args: string[], opts: Opts, ctx: CommandContext): KubeObject {
  const name = requireName(args);
  const url = str(opts.url);
  if (url === "") throw new CliError("url is required");
  const u = parseUrl(url);
  if (!u) throw new CliError(`git URL parse failed: parse "${redactUrls(url)}": invalid URL`);
  if (u.scheme !== "ssh" && u.scheme !== "http" && u.scheme !== "https") {
    throw new CliError(`git URL scheme '${u.scheme}' not supported, can be: ssh, http and https`);
  }
  if (!str(opts.branch) && !str(opts.tag) && !str(opts.tagSemver) && !str(opts.commit) && !str(opts.refName)) {
    throw new CliError(
      "a Git ref is required, use one of the following: --branch, --tag, --commit, --ref-name or --tag-semver",
    );
  }
  if (str(opts.caFile) && u.scheme === "ssh")
    throw new CliError("specifying a CA file is not supported for Git over SSH");
  checkEnum(opts, "provider", "provider", "source Git provider", GIT_PROVIDERS);
  checkSshFlags(opts);
  const labels = parseLabels(list(opts.label));
  return gitRepository({
    name,
    namespace: ctx.globals.namespace,
    labels,
    url,
    interval: str(opts.interval) || "1m",
    branch: str(opts.branch),
    tag: str(opts.tag),
    semver: str(opts.tagSemver),
    refName: str(opts.refName),
    commit: str(opts.commit),
    secretRef: str(opts.secretRef),
    proxySecretRef: str(opts.proxySecretRef),
    provider: str(opts.provider),
    recurseSubmodules: opts.recurseSubmodules === true,
    ignorePaths: list(opts.ignorePaths),
    sparseCheckoutPaths: list(opts.sparseCheckoutPaths),
    fetchTimeout: str(opts.fetchTimeout),
  });
}

export async function gitCredentials(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  url: string,
  opts: Opts,
  ctx: CommandContext,
  deps: SourceDeps,
): Promise<KubeObject | undefined> {
  const u = parseUrl(url)!;
  if (u.scheme === "ssh") {
    const keyFile = str(opts.privateKeyFile);
    const password = str(opts.password);
    const pair = keyFile
      ? loadKeyPair(readUserFile(keyFile, "unable to read the private key file"), password)
      : generateKeyPair({
          algorithm: (str(opts.sshKeyAlgorithm) || "ecdsa") as KeyAlgorithm,
          rsaBits: rsaBits(opts.sshRsaBits),
          ecdsaCurve: (str(opts.sshEcdsaCurve) || "p384") as EcdsaCurve,
        });
    const knownHosts = await (deps.scanHostKey ?? scanHostKey)(u.host, 30_000);
    return gitSecret({
      name,
      namespace,
      labels,
      identity: pair.privateKey,
      identityPub: pair.publicKey,
      knownHosts,
      password: password || undefined,
    });
  }
  if (u.scheme === "http") ctx.logger.warning("insecure configuration: credentials configured for an HTTP URL");
  const caFile = str(opts.caFile);
  const caCrt = caFile && u.scheme === "https" ? readUserFile(caFile, "unable to read TLS CA file") : undefined;
  const s = gitSecret({ name, namespace, labels, username: str(opts.username), password: str(opts.password), caCrt });
  return s.stringData ? s : undefined;
}

export function createSourceGit(deps: SourceDeps = {}): Run {
  return async (args, opts, ctx) => {
    const repo = buildGitRepository(args, opts, ctx);
    if (opts.export) return printExport(ctx, [repo]);
    const log = ctx.logger;
    const target = await restTarget(ctx);
    log.generate("generating GitRepository source");
    if (!str(opts.secretRef)) {
      const name = repo.metadata.name;
      const s = await gitCredentials(
        name,
        ctx.globals.namespace,
        {}, // as upstream, the credentials secret carries no labels
        str(opts.url),
        opts,
        ctx,
        deps,
      );
      if (s) {
        const data = s.stringData as Record<string, string>;
        if (data.known_hosts) log.success(`collected public key from SSH server:\n${data.known_hosts}`);
        if (data["identity.pub"]) {
          log.generate(`deploy key: ${data["identity.pub"]}`);
          if (opts.silent !== true) await confirm(ctx, "Have you added the deploy key to your repository");
        }
        await applyCredentials(ctx, target, repo, s, "repository credentials");
      }
    }
    await applyAndWait(
      ctx,
      repo,
      { what: "GitRepository source", readyStyle: "completed", report: artifactRevision("GitRepository source") },
      { target },
    );
  };
}

export const runCreateSourceGit: Run = (args, opts, ctx) => createSourceGit()(args, opts, ctx);

// ------------------------------------------------------------------ helm

export function buildHelmRepository(args: string[], opts: Opts, ctx: CommandContext): KubeObject {
  const name = requireName(args);
  const url = str(opts.url);
  if (url === "") throw new CliError("url is required");
  const u = parseUrl(url);
  if (!u) throw new CliError(`url parse failed: parse "${redactUrls(url)}": invalid URL`);
  const secretRef = str(opts.secretRef);
  return helmRepository({
    name,
    namespace: ctx.globals.namespace,
    labels: parseLabels(list(opts.label)),
    url,
    interval: str(opts.interval) || "1m",
    secretRef,
    // upstream sets passCredentials only together with a secret reference
    passCredentials: secretRef !== "" && opts.passCredentials === true,
    ociProvider: str(opts.ociProvider),
    fetchTimeout: str(opts.fetchTimeout),
  });
}

export const runCreateSourceHelm: Run = async (args, opts, ctx) => {
  const repo = buildHelmRepository(args, opts, ctx);
  if (opts.export) return printExport(ctx, [repo]);
  const target = await restTarget(ctx);
  const log = ctx.logger;
  log.generate("generating HelmRepository source");
  if (!str(opts.secretRef)) {
    const both = str(opts.certFile) !== "" && str(opts.keyFile) !== "";
    const certFile = both ? str(opts.certFile) : "";
    const keyFile = both ? str(opts.keyFile) : "";
    const caFile = str(opts.caFile);
    const s = helmSecret({
      name: `helm-${repo.metadata.name}`,
      namespace: ctx.globals.namespace,
      // as upstream, the credentials secret carries no labels
      username: str(opts.username),
      password: str(opts.password),
      tlsCrt: certFile ? readUserFile(certFile, "failed to read cert file") : undefined,
      tlsKey: keyFile ? readUserFile(keyFile, "failed to read key file") : undefined,
      caCrt: caFile ? readUserFile(caFile, "failed to read ca file") : undefined,
    });
    if (s.stringData) {
      await applyCredentials(ctx, target, repo, s, "repository credentials");
      if (opts.passCredentials === true) (repo.spec as Record<string, unknown>).passCredentials = true;
    }
  }
  const isOCI = (repo.spec as { type?: string }).type === "oci";
  await applyAndWait(
    ctx,
    repo,
    {
      what: "HelmRepository source",
      createdAs: "source",
      readyStyle: "completed",
      wait: !isOCI,
      report: isOCI ? undefined : artifactRevision("HelmRepository source"),
    },
    { target },
  );
};

// ------------------------------------------------------------------ oci

const VERIFY_PROVIDERS = ["cosign"];

function verifyOptions(
  opts: Opts,
): { provider?: string; secretRef?: string; oidcIssuer?: string; oidcSubject?: string } | undefined {
  const provider = str(opts.verifyProvider);
  if (provider && !VERIFY_PROVIDERS.includes(provider)) {
    throw invalidFlag(
      provider,
      "verify-provider",
      `source OCI verify provider '${provider}' is not supported, must be one of: ${VERIFY_PROVIDERS.join(", ")}`,
    );
  }
  const secretRef = str(opts.verifySecretRef);
  const oidcIssuer = str(opts.verifyIssuer);
  const oidcSubject = str(opts.verifySubject);
  if (!provider) {
    if (secretRef) throw new CliError("a verification provider must be specified when a secret is specified");
    if (oidcIssuer || oidcSubject)
      throw new CliError("a verification provider must be specified when OIDC issuer/subject is specified");
    return undefined;
  }
  return { provider, secretRef, oidcIssuer, oidcSubject };
}

export function buildOCIRepository(args: string[], opts: Opts, ctx: CommandContext): KubeObject {
  const name = requireName(args);
  const url = str(opts.url);
  if (url === "") throw new CliError("url is required");
  if (!str(opts.tagSemver) && !str(opts.tag) && !str(opts.digest))
    throw new CliError("--tag, --tag-semver or --digest is required");
  const u = parseUrl(url);
  if (!u) throw new CliError(`url parse failed: parse "${redactUrls(url)}": invalid URL`);
  if (u.scheme !== "oci") throw new CliError(`url scheme '${u.scheme}' not supported, must be oci`);
  checkEnum(opts, "provider", "provider", "source OCI provider", OCI_PROVIDERS);
  const labels = parseLabels(list(opts.label));
  return ociRepository({
    name,
    namespace: ctx.globals.namespace,
    labels,
    url,
    interval: str(opts.interval) || "1m",
    tag: str(opts.tag),
    semver: str(opts.tagSemver),
    digest: str(opts.digest),
    provider: str(opts.provider) || "generic",
    secretRef: str(opts.secretRef),
    serviceAccount: str(opts.serviceAccount),
    certSecretRef: str(opts.certRef),
    proxySecretRef: str(opts.proxySecretRef),
    ignorePaths: list(opts.ignorePaths),
    insecure: opts.insecure === true,
    verify: verifyOptions(opts),
    fetchTimeout: str(opts.fetchTimeout),
  });
}

export const runCreateSourceOCI: Run = async (args, opts, ctx) => {
  const repo = buildOCIRepository(args, opts, ctx);
  if (opts.export) return printExport(ctx, [repo]);
  await applyAndWait(ctx, repo, {
    what: "OCIRepository",
    readyStyle: "completed",
    report: (ready, c) => {
      const artifact = (ready.status as { artifact?: { revision?: string } } | undefined)?.artifact;
      if (!artifact) throw new CliError("no artifact was found");
      c.logger.success(`fetched revision: ${artifact.revision ?? ""}`);
    },
  });
};

// ------------------------------------------------------------------ bucket

export function buildBucket(args: string[], opts: Opts, ctx: CommandContext): KubeObject {
  const name = requireName(args);
  if (!str(opts.bucketName)) throw new CliError("bucket-name is required");
  if (!str(opts.endpoint)) throw new CliError("endpoint is required");
  checkEnum(opts, "provider", "provider", "source bucket provider", BUCKET_PROVIDERS);
  return bucket({
    name,
    namespace: ctx.globals.namespace,
    labels: parseLabels(list(opts.label)),
    bucketName: str(opts.bucketName),
    endpoint: str(opts.endpoint),
    interval: str(opts.interval) || "1m",
    provider: str(opts.provider) || "generic",
    region: str(opts.region),
    insecure: opts.insecure === true,
    secretRef: str(opts.secretRef),
    proxySecretRef: str(opts.proxySecretRef),
    ignorePaths: list(opts.ignorePaths),
    fetchTimeout: str(opts.fetchTimeout),
  });
}

export const runCreateSourceBucket: Run = async (args, opts, ctx) => {
  const b = buildBucket(args, opts, ctx);
  if (opts.export) return printExport(ctx, [b]);
  const target = await restTarget(ctx);
  ctx.logger.generate("generating Bucket source");
  if (!str(opts.secretRef) && str(opts.accessKey) && str(opts.secretKey)) {
    const s = secret({
      name: `bucket-${b.metadata.name}`,
      namespace: ctx.globals.namespace,
      labels: b.metadata.labels,
      stringData: { accesskey: str(opts.accessKey), secretkey: str(opts.secretKey) },
    });
    await applyCredentials(ctx, target, b, s, "the bucket credentials");
  }
  await applyAndWait(
    ctx,
    b,
    { what: "Bucket source", readyStyle: "completed", report: artifactRevision("Bucket source") },
    { target },
  );
};

// ------------------------------------------------------------------ chart

export const HELM_CHART_SOURCE_KINDS = ["HelmRepository", "GitRepository", "Bucket"] as const;

export function buildHelmChart(args: string[], opts: Opts, ctx: CommandContext): KubeObject {
  const name = requireName(args);
  const source = str(opts.source);
  let kind = "";
  let sourceName = "";
  if (source !== "") {
    const p = parseKindName(source);
    if (p.kind === "" || p.name === "") {
      throw invalidFlag(source, "source", `invalid helm chart source '${source}', must be in format <kind>/<name>`);
    }
    kind = sourceKind(HELM_CHART_SOURCE_KINDS, p.kind, source, "|");
    sourceName = p.name;
  }
  if (!kind || !sourceName) throw new CliError("chart source is required");
  if (!str(opts.chart)) throw new CliError("chart name or path is required");
  const labels = parseLabels(list(opts.label));
  return helmChart({
    name,
    namespace: ctx.globals.namespace,
    labels,
    chart: str(opts.chart),
    version: str(opts.chartVersion),
    interval: str(opts.interval) || "1m",
    sourceKind: kind,
    sourceName,
    reconcileStrategy: str(opts.reconcileStrategy) || "ChartVersion",
    verify: verifyOptions(opts),
  });
}

export const runCreateSourceChart: Run = async (args, opts, ctx) => {
  const chart = buildHelmChart(args, opts, ctx);
  ctx.logger.generate("generating HelmChart source");
  if (opts.export) return printExport(ctx, [chart]);
  await applyAndWait(ctx, chart, {
    what: "HelmChart source",
    createdAs: "source",
    readyStyle: "completed",
    report: artifactRevision("HelmChart source"),
  });
};
