// `flux install`: render the selected, customised Flux distribution from its release
// bundle with kustomize, then (unless --export) server-side apply it in two phases
// and wait for the controllers' Deployments to roll out.
import type { Deps, IO } from "../deps.js";
import { CliError } from "../errors.js";
import {
  type KubeClient,
  kubeErrorMessage,
  createKubeClient,
  resolveNamespace,
  loadKubeConfig,
} from "../kube/client.js";
import { apiGroupOf } from "../kube/api-version.js";
import { compareApplyOrder } from "../kube/apply-order.js";
import type { KubeObject } from "../kube/rest.js";
import type { Logger } from "../output/logger.js";
import { resolveBundle, type BundleSource } from "./bundle.js";
import {
  defaultInstallOptions,
  latestReleaseVersion,
  LOG_LEVELS,
  resolveVersion,
  validateComponents,
  validateNamespace,
  validateRegistryCreds,
  DEFAULT_COMPONENTS,
  type InstallOptions,
} from "./options.js";
import { renderInstall } from "./render.js";
import { parseAllDocuments } from "yaml";
import { assessDeployments } from "./cluster.js";
import { confirmOverride, readClusterInfo } from "./override.js";
import { applyObjects, changeLine, applyObject } from "../kube/apply.js";

export interface InstallRequest extends InstallOptions {
  export: boolean;
  force: boolean;
  verbose: boolean;
  timeoutMs: number;
  /** How often to poll the Deployments while verifying (default 2s). */
  pollIntervalMs?: number;
}

export interface InstallDeps {
  logger: Logger;
  io: IO;
  bundle: BundleSource;
  /** Created lazily: --export never talks to a cluster. */
  kube: () => Promise<KubeClient>;
}

/** Generates the manifests (gen warning + kustomize output). */
export async function generateInstallManifests(opts: InstallOptions, bundle: BundleSource): Promise<string> {
  const dir = await resolveBundle(opts.version, bundle);
  return await renderInstall(opts, { dir });
}

/** The objects in the order server-side apply takes them (src/kube/apply-order.ts). */
export function sortForApply(objs: KubeObject[]): KubeObject[] {
  const key = (o: KubeObject) => ({
    group: apiGroupOf(o.apiVersion),
    kind: o.kind ?? "",
    namespace: o.metadata.namespace ?? "",
    name: o.metadata.name,
  });
  return [...objs].sort((a, b) => compareApplyOrder(key(a), key(b)));
}

export function parseManifests(text: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    const [error] = doc.errors;
    if (error) throw new CliError(`invalid manifests: ${error.message}`);
    const obj = doc.toJS({ maxAliasCount: -1 }) as KubeObject | null;
    if (obj && typeof obj === "object") out.push(obj);
  }
  return out;
}

/** The image pull secret upstream's sourcesecret.GenerateOCI makes. */
export function imagePullSecret(opts: InstallOptions): KubeObject {
  const [user, ...rest] = opts.registryCredential.split(":");
  const password = rest.join(":");
  const auth = Buffer.from(`${user}:${password}`).toString("base64");
  const config = JSON.stringify({ auths: { [opts.registry]: { username: user, password, auth } } });
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: opts.imagePullSecret, namespace: opts.namespace },
    type: "kubernetes.io/dockerconfigjson",
    stringData: { ".dockerconfigjson": config },
  };
}

export async function install(req: InstallRequest, deps: InstallDeps): Promise<void> {
  const { logger, io } = deps;
  if (!req.export) logger.generate("generating manifests");
  const manifest = await generateInstallManifests(req, deps.bundle);
  if (req.export) {
    io.stdout.write(manifest);
    return;
  }
  if (req.verbose) io.stdout.write(manifest);
  logger.success("manifests build completed");
  logger.action(`installing components in ${req.namespace} namespace`);

  const kube = await deps.kube();
  const info = await readClusterInfo(kube);
  if (info.bootstrapped) {
    throw new CliError(
      `this cluster has already been bootstrapped with Flux ${info.version}! Please use 'flux bootstrap' to upgrade`,
    );
  }
  await confirmOverride(info, io, "installation", req.force);

  const objs = sortForApply(parseManifests(manifest));
  if (objs.length === 0) throw new CliError("install failed: no Kubernetes objects found in the generated manifests");
  let results;
  try {
    results = await applyObjects(kube, objs, { fieldManager: "flux", force: true, namespace: req.namespace });
  } catch (err) {
    throw new CliError(`install failed: ${err instanceof CliError ? err.message : kubeErrorMessage(err)}`);
  }
  io.stderr.write(results.map(changeLine).join("\n") + "\n");
  if (results.every((r) => r.action === "unchanged")) logger.success("no changes: the installation is up to date");

  if (req.imagePullSecret && req.registryCredential) {
    logger.action(`generating image pull secret ${req.imagePullSecret}`);
    try {
      await applyObject(kube, imagePullSecret(req), { fieldManager: "flux", force: true });
    } catch (err) {
      throw new CliError(`install failed: ${err instanceof CliError ? err.message : kubeErrorMessage(err)}`);
    }
  }

  logger.waiting("verifying installation");
  const refs = req.components.map((name) => ({ namespace: req.namespace, name }));
  const ok = await assessDeployments(kube, refs, {
    pollIntervalMs: req.pollIntervalMs ?? 2_000,
    timeoutMs: req.timeoutMs,
    logger,
  });
  if (!ok) throw new CliError("install failed");
  logger.success("install finished");
}

/**
 * The flags that select and customise the distribution, shared by `flux install` and
 * `flux bootstrap`, as given (undefined: not given, the default applies).
 */
export interface DistributionOptions {
  version: string;
  components: string[] | undefined;
  componentsExtra: string[];
  /** A local directory with the distribution's manifests (hidden flag). */
  manifests: string;
  registry: string | undefined;
  registryCreds: string;
  imagePullSecret: string;
  watchAllNamespaces: boolean;
  networkPolicy: boolean;
  logLevel: string | undefined;
  clusterDomain: string | undefined;
  tolerationKeys: string[];
}

export interface InstallCommandOptions extends DistributionOptions {
  export: boolean;
  force: boolean;
}

/** Turns the distribution flags into a validated request. */
export async function installRequestFrom(
  opts: DistributionOptions & { export?: boolean; force?: boolean },
  deps: Deps,
  namespace: string,
): Promise<InstallRequest> {
  const d = defaultInstallOptions();
  const components = [...(opts.components ?? DEFAULT_COMPONENTS), ...opts.componentsExtra];
  validateComponents(components);
  const registryCredential = opts.registryCreds;
  const pullSecret = opts.imagePullSecret;
  validateRegistryCreds(registryCredential, pullSecret);
  validateNamespace(namespace);
  const logLevel = opts.logLevel ?? d.logLevel;
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new CliError(`unsupported log level '${logLevel}', must be one of: ${LOG_LEVELS.join(", ")}`);
  }
  const version = await resolveVersion(opts.version, () => latestReleaseVersion());
  return {
    version,
    namespace,
    components,
    registry: opts.registry ?? d.registry,
    registryCredential,
    imagePullSecret: pullSecret,
    watchAllNamespaces: opts.watchAllNamespaces,
    networkPolicy: opts.networkPolicy,
    logLevel,
    clusterDomain: opts.clusterDomain ?? d.clusterDomain,
    tolerationKeys: opts.tolerationKeys,
    export: Boolean(opts.export),
    force: Boolean(opts.force),
    verbose: deps.globals.verbose,
    timeoutMs: deps.globals.timeoutMs,
  };
}

export async function runInstall(options: InstallCommandOptions, deps: Deps): Promise<void> {
  const g = deps.globals;
  let namespace = g.namespace;
  if (g.nsFollowsKubeContext && !g.namespaceSet) {
    try {
      namespace = resolveNamespace(await loadKubeConfig(g), g);
    } catch (err) {
      // --export needs no cluster: without a usable kubeconfig the default namespace stays.
      if (!options.export) throw err;
    }
  }
  const req = await installRequestFrom(options, deps, namespace);
  await install(req, {
    logger: deps.logger,
    io: deps.io,
    bundle: {
      manifestsPath: options.manifests || undefined,
      download: { timeoutMs: g.timeoutMs },
    },
    kube: () => createKubeClient({ ...g, namespace }),
  });
}
