// flux create source git|helm|oci|bucket|chart
import type { Deps } from "../deps.js";
import { CliError, redactUrls } from "../errors.js";
import {
  bucket,
  gitRepository,
  helmChart,
  helmRepository,
  ociRepository,
  type OCIRepositoryOptions,
} from "../manifests/sources.js";
import { gitSecret, helmSecret, secret } from "../manifests/secrets.js";
import type { KubeObject } from "../manifests/common.js";
import { upsert, restTarget, type RestTarget } from "./apply.js";
import { parseLabels, parseUrl, printExport, readUserFile, requireName } from "./common.js";
import {
  ecdsaCurve,
  flagValue,
  localHelmChartSource,
  publicKeyAlgorithm,
  rsaKeyBits,
  sourceBucketProvider,
  sourceGitProvider,
  sourceOCIProvider,
  sourceOCIVerifyProvider,
} from "../util/flag-values.js";
import { applyAndWait, artifactRevision, confirm } from "./flow.js";
import type {
  CreateSourceBucketOptions,
  CreateSourceChartOptions,
  CreateSourceGitOptions,
  CreateSourceHelmOptions,
  CreateSourceOCIOptions,
  GitCredentialOptions,
  SshKeyOptions,
  VerifyOptions,
} from "./options.js";
import {
  generateKeyPair,
  loadKeyPair,
  scanHostKey,
  type EcdsaCurve,
  type HostKeyScanner,
  type KeyAlgorithm,
} from "./sshkeys.js";

/** Test seams of the create engines that talk to the network or the cluster. */
export interface SourceDeps extends Deps {
  scanHostKey?: HostKeyScanner;
  target?: RestTarget;
}

/** --ssh-key-algorithm, --ssh-ecdsa-curve and --ssh-rsa-bits, checked before anything happens. */
export function checkSshFlags(opts: SshKeyOptions): void {
  flagValue(opts.sshKeyAlgorithm, "ssh-key-algorithm", publicKeyAlgorithm);
  flagValue(opts.sshEcdsaCurve, "ssh-ecdsa-curve", ecdsaCurve);
  flagValue(opts.sshRsaBits, "ssh-rsa-bits", rsaKeyBits);
}

/** A flag value the CLI checks as it reads it, checked again for library callers. */
function checkFlag(value: string | undefined, flag: string, parse: (value: string) => unknown): void {
  if (value !== undefined) flagValue(value, flag, parse);
}

/** Applies the credentials Secret of a source and points the source's secretRef at it. */
async function applyCredentials(
  deps: Deps,
  target: RestTarget,
  source: KubeObject,
  credentials: KubeObject,
  what: string,
): Promise<void> {
  deps.logger.action(`applying secret with ${what}`);
  await upsert(target, credentials);
  (source.spec as Record<string, unknown>).secretRef = { name: credentials.metadata.name };
  deps.logger.success("authentication configured");
}

// ------------------------------------------------------------------ git

export function buildGitRepository(opts: CreateSourceGitOptions, deps: Deps): KubeObject {
  const name = requireName(opts.name);
  const url = opts.url;
  if (url === "") throw new CliError("url is required");
  const u = parseUrl(url);
  if (!u) throw new CliError(`git URL parse failed: parse "${redactUrls(url)}": invalid URL`);
  if (u.scheme !== "ssh" && u.scheme !== "http" && u.scheme !== "https") {
    throw new CliError(`git URL scheme '${u.scheme}' not supported, can be: ssh, http and https`);
  }
  if (!opts.branch && !opts.tag && !opts.tagSemver && !opts.commit && !opts.refName) {
    throw new CliError(
      "a Git ref is required, use one of the following: --branch, --tag, --commit, --ref-name or --tag-semver",
    );
  }
  if (opts.caFile && u.scheme === "ssh") throw new CliError("specifying a CA file is not supported for Git over SSH");
  checkFlag(opts.provider, "provider", sourceGitProvider);
  checkSshFlags(opts);
  const labels = parseLabels(opts.label);
  return gitRepository({
    name,
    namespace: deps.globals.namespace,
    labels,
    url,
    interval: opts.interval || "1m",
    branch: opts.branch,
    tag: opts.tag,
    semver: opts.tagSemver,
    refName: opts.refName,
    commit: opts.commit,
    secretRef: opts.secretRef,
    proxySecretRef: opts.proxySecretRef,
    provider: opts.provider ?? "",
    recurseSubmodules: opts.recurseSubmodules,
    ignorePaths: opts.ignorePaths,
    sparseCheckoutPaths: opts.sparseCheckoutPaths,
    fetchTimeout: opts.fetchTimeout,
  });
}

export async function gitCredentials(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  url: string,
  opts: GitCredentialOptions,
  deps: SourceDeps,
): Promise<KubeObject | undefined> {
  const u = parseUrl(url);
  if (!u) throw new CliError(`git URL parse failed: parse "${redactUrls(url)}": invalid URL`);
  if (u.scheme === "ssh") {
    const keyFile = opts.privateKeyFile;
    const password = opts.password;
    const pair = keyFile
      ? loadKeyPair(readUserFile(keyFile, "unable to read the private key file"), password)
      : generateKeyPair({
          algorithm: (opts.sshKeyAlgorithm || "ecdsa") as KeyAlgorithm,
          rsaBits: flagValue(opts.sshRsaBits, "ssh-rsa-bits", rsaKeyBits),
          ecdsaCurve: (opts.sshEcdsaCurve || "p384") as EcdsaCurve,
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
  if (u.scheme === "http") deps.logger.warning("insecure configuration: credentials configured for an HTTP URL");
  const caFile = opts.caFile;
  const caCrt = caFile && u.scheme === "https" ? readUserFile(caFile, "unable to read TLS CA file") : undefined;
  const s = gitSecret({ name, namespace, labels, username: opts.username, password: opts.password, caCrt });
  return s.stringData ? s : undefined;
}

export async function runCreateSourceGit(opts: CreateSourceGitOptions, deps: SourceDeps): Promise<void> {
  const repo = buildGitRepository(opts, deps);
  if (opts.export) {
    printExport(deps, [repo]);
    return;
  }
  const log = deps.logger;
  const target = deps.target ?? (await restTarget(deps));
  log.generate("generating GitRepository source");
  if (!opts.secretRef) {
    const name = repo.metadata.name;
    const s = await gitCredentials(
      name,
      deps.globals.namespace,
      {}, // as upstream, the credentials secret carries no labels
      opts.url,
      opts,
      deps,
    );
    if (s) {
      const data = s.stringData as Record<string, string>;
      if (data.known_hosts) log.success(`collected public key from SSH server:\n${data.known_hosts}`);
      if (data["identity.pub"]) {
        log.generate(`deploy key: ${data["identity.pub"]}`);
        if (!opts.silent) await confirm(deps, "Have you added the deploy key to your repository");
      }
      await applyCredentials(deps, target, repo, s, "repository credentials");
    }
  }
  await applyAndWait(
    deps,
    repo,
    { what: "GitRepository source", readyStyle: "completed", report: artifactRevision("GitRepository source") },
    target,
  );
}

// ------------------------------------------------------------------ helm

export function buildHelmRepository(opts: CreateSourceHelmOptions, deps: Deps): KubeObject {
  const name = requireName(opts.name);
  const url = opts.url;
  if (url === "") throw new CliError("url is required");
  const labels = parseLabels(opts.label);
  const u = parseUrl(url);
  if (!u) throw new CliError(`url parse failed: parse "${redactUrls(url)}": invalid URL`);
  if (u.scheme !== "http" && u.scheme !== "https" && u.scheme !== "oci")
    throw new CliError(`url scheme '${u.scheme}' not supported, can be: http, https and oci`);
  if (!u.host) throw new CliError("url host is required");
  const secretRef = opts.secretRef;
  return helmRepository({
    name,
    namespace: deps.globals.namespace,
    labels,
    url,
    interval: opts.interval || "1m",
    secretRef,
    // upstream sets passCredentials only together with a secret reference
    passCredentials: secretRef !== "" && opts.passCredentials,
    ociProvider: opts.ociProvider,
    fetchTimeout: opts.fetchTimeout,
  });
}

export async function runCreateSourceHelm(opts: CreateSourceHelmOptions, deps: SourceDeps): Promise<void> {
  const repo = buildHelmRepository(opts, deps);
  if (opts.export) {
    printExport(deps, [repo]);
    return;
  }
  const target = deps.target ?? (await restTarget(deps));
  const log = deps.logger;
  log.generate("generating HelmRepository source");
  if (!opts.secretRef) {
    const both = opts.certFile !== "" && opts.keyFile !== "";
    const certFile = both ? opts.certFile : "";
    const keyFile = both ? opts.keyFile : "";
    const caFile = opts.caFile;
    const s = helmSecret({
      name: `helm-${repo.metadata.name}`,
      namespace: deps.globals.namespace,
      // as upstream, the credentials secret carries no labels
      username: opts.username,
      password: opts.password,
      tlsCrt: certFile ? readUserFile(certFile, "failed to read cert file") : undefined,
      tlsKey: keyFile ? readUserFile(keyFile, "failed to read key file") : undefined,
      caCrt: caFile ? readUserFile(caFile, "failed to read ca file") : undefined,
    });
    if (s.stringData) {
      await applyCredentials(deps, target, repo, s, "repository credentials");
      if (opts.passCredentials) (repo.spec as Record<string, unknown>).passCredentials = true;
    }
  }
  const isOCI = (repo.spec as { type?: string }).type === "oci";
  await applyAndWait(
    deps,
    repo,
    {
      what: "HelmRepository source",
      createdAs: "source",
      readyStyle: "completed",
      wait: !isOCI,
      report: isOCI ? undefined : artifactRevision("HelmRepository source"),
    },
    target,
  );
}

// ------------------------------------------------------------------ oci

function verifyOptions(
  opts: VerifyOptions,
): { provider?: string; secretRef?: string; oidcIssuer?: string; oidcSubject?: string } | undefined {
  const provider = opts.verifyProvider;
  if (provider) flagValue(provider, "verify-provider", sourceOCIVerifyProvider);
  const secretRef = opts.verifySecretRef;
  const oidcIssuer = opts.verifyIssuer;
  const oidcSubject = opts.verifySubject;
  if (!provider) {
    if (secretRef) throw new CliError("a verification provider must be specified when a secret is specified");
    if (oidcIssuer || oidcSubject)
      throw new CliError("a verification provider must be specified when OIDC issuer/subject is specified");
    return undefined;
  }
  return { provider, secretRef, oidcIssuer, oidcSubject };
}

export function buildOCIRepository(opts: CreateSourceOCIOptions, deps: Deps): KubeObject {
  const name = requireName(opts.name);
  const url = opts.url;
  if (url === "") throw new CliError("url is required");
  if (!opts.tagSemver && !opts.tag && !opts.digest) throw new CliError("--tag, --tag-semver or --digest is required");
  const layerSelector = parseLayerSelector(opts.layerSelector);
  const u = parseUrl(url);
  if (!u) throw new CliError(`url parse failed: parse "${redactUrls(url)}": invalid URL`);
  if (u.scheme !== "oci") throw new CliError(`url scheme '${u.scheme}' not supported, must be oci`);
  checkFlag(opts.provider, "provider", sourceOCIProvider);
  const labels = parseLabels(opts.label);
  return ociRepository({
    name,
    namespace: deps.globals.namespace,
    labels,
    url,
    interval: opts.interval || "1m",
    tag: opts.tag,
    semver: opts.tagSemver,
    digest: opts.digest,
    provider: opts.provider || "generic",
    secretRef: opts.secretRef,
    serviceAccount: opts.serviceAccount,
    certSecretRef: opts.certRef,
    proxySecretRef: opts.proxySecretRef,
    ignorePaths: opts.ignorePaths,
    insecure: opts.insecure,
    verify: verifyOptions(opts),
    fetchTimeout: opts.fetchTimeout,
    layerSelector,
  });
}

/** `--layer-selector <media-type>:<operation>`, as upstream parses it. */
function parseLayerSelector(selector: string): OCIRepositoryOptions["layerSelector"] {
  if (!selector) return undefined;
  const cut = selector.indexOf(":");
  const mediaType = cut < 0 ? "" : selector.slice(0, cut);
  const operation = cut < 0 ? "" : selector.slice(cut + 1);
  if (!mediaType || !operation)
    throw new CliError(`invalid --layer-selector "${selector}": must be in the format '<media-type>:<operation>'`);
  if (operation !== "extract" && operation !== "copy")
    throw new CliError(`invalid --layer-selector "${selector}": operation must be "extract" or "copy"`);
  return { mediaType, operation };
}

export async function runCreateSourceOCI(opts: CreateSourceOCIOptions, deps: Deps): Promise<void> {
  const repo = buildOCIRepository(opts, deps);
  if (opts.export) {
    printExport(deps, [repo]);
    return;
  }
  await applyAndWait(deps, repo, {
    what: "OCIRepository",
    readyStyle: "completed",
    report: (ready, c) => {
      const artifact = (ready.status as { artifact?: { revision?: string } } | undefined)?.artifact;
      if (!artifact) throw new CliError("no artifact was found");
      c.logger.success(`fetched revision: ${artifact.revision ?? ""}`);
    },
  });
}

// ------------------------------------------------------------------ bucket

export function buildBucket(opts: CreateSourceBucketOptions, deps: Deps): KubeObject {
  const name = requireName(opts.name);
  if (!opts.bucketName) throw new CliError("bucket-name is required");
  if (!opts.endpoint) throw new CliError("endpoint is required");
  checkFlag(opts.provider, "provider", sourceBucketProvider);
  return bucket({
    name,
    namespace: deps.globals.namespace,
    labels: parseLabels(opts.label),
    bucketName: opts.bucketName,
    endpoint: opts.endpoint,
    interval: opts.interval || "1m",
    provider: opts.provider || "generic",
    region: opts.region,
    insecure: opts.insecure,
    secretRef: opts.secretRef,
    proxySecretRef: opts.proxySecretRef,
    ignorePaths: opts.ignorePaths,
    fetchTimeout: opts.fetchTimeout,
  });
}

export async function runCreateSourceBucket(opts: CreateSourceBucketOptions, deps: SourceDeps): Promise<void> {
  const b = buildBucket(opts, deps);
  if (opts.export) {
    printExport(deps, [b]);
    return;
  }
  const target = deps.target ?? (await restTarget(deps));
  deps.logger.generate("generating Bucket source");
  if (!opts.secretRef && opts.accessKey && opts.secretKey) {
    const s = secret({
      name: `bucket-${b.metadata.name}`,
      namespace: deps.globals.namespace,
      labels: b.metadata.labels,
      stringData: { accesskey: opts.accessKey, secretkey: opts.secretKey },
    });
    await applyCredentials(deps, target, b, s, "the bucket credentials");
  }
  await applyAndWait(
    deps,
    b,
    { what: "Bucket source", readyStyle: "completed", report: artifactRevision("Bucket source") },
    target,
  );
}

// ------------------------------------------------------------------ chart

export function buildHelmChart(opts: CreateSourceChartOptions, deps: Deps): KubeObject {
  const name = requireName(opts.name);
  const source = opts.source;
  let kind = "";
  let sourceName = "";
  if (source !== "") ({ kind, name: sourceName } = flagValue(source, "source", localHelmChartSource));
  if (!kind || !sourceName) throw new CliError("chart source is required");
  if (!opts.chart) throw new CliError("chart name or path is required");
  const labels = parseLabels(opts.label);
  return helmChart({
    name,
    namespace: deps.globals.namespace,
    labels,
    chart: opts.chart,
    version: opts.chartVersion,
    interval: opts.interval || "1m",
    sourceKind: kind,
    sourceName,
    reconcileStrategy: opts.reconcileStrategy || "ChartVersion",
    verify: verifyOptions(opts),
  });
}

export async function runCreateSourceChart(opts: CreateSourceChartOptions, deps: Deps): Promise<void> {
  const chart = buildHelmChart(opts, deps);
  deps.logger.generate("generating HelmChart source");
  if (opts.export) {
    printExport(deps, [chart]);
    return;
  }
  await applyAndWait(deps, chart, {
    what: "HelmChart source",
    createdAs: "source",
    readyStyle: "completed",
    report: artifactRevision("HelmChart source"),
  });
}
