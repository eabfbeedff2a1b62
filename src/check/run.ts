// `flux check [--pre]`: the API server version against Flux's supported range, then
// (without --pre) the installed distribution, the controllers' Deployments (kstatus,
// like upstream's status checker) and the Flux CRDs with their stored versions.
import type { Deps } from "../deps.js";
import { CliError } from "../errors.js";
import type { KubeClient } from "../kube/client.js";
import type { Logger } from "../output/logger.js";
import {
  assessDeployments,
  distribution,
  FLUX_SELECTOR,
  getFluxClusterInfo,
  PART_OF_LABEL,
  PART_OF_VALUE,
  serverGitVersion,
} from "../install/cluster.js";
import { parseSemVer, satisfiesMin, semVerString } from "./semver.js";
import { kubeErrorMessage, createKubeClient } from "../kube/client.js";
import { parseDuration } from "../util/duration.js";
import { listAll, resourcePath } from "../kube/rest.js";
import { builtInResource } from "../kinds/resources.js";

/** The Kubernetes versions Flux v2.9 supports (upstream's kubernetesConstraints). */
export const KUBERNETES_CONSTRAINTS = [">=1.33.0-0"];

export interface CheckOptions {
  pre: boolean;
  namespace: string;
  pollIntervalMs: number;
  timeoutMs: number;
}

export interface CheckDeps {
  kube: KubeClient;
  logger: Logger;
}

/** Runs the checks; returns true when all passed. Prints upstream's lines on the logger. */
export async function check(opts: CheckOptions, deps: CheckDeps): Promise<boolean> {
  const { logger, kube } = deps;
  logger.action("checking prerequisites");
  let failed = !(await kubernetesCheck(kube, logger, KUBERNETES_CONSTRAINTS));
  if (opts.pre) {
    if (!failed) logger.success("prerequisites checks passed");
    return !failed;
  }
  logger.action("checking version in cluster");
  if (!(await versionCheck(kube, logger))) failed = true;
  logger.action("checking controllers");
  if (!(await componentsCheck(kube, logger, opts))) failed = true;
  logger.action("checking crds");
  if (!(await crdsCheck(kube, logger))) failed = true;
  if (failed) {
    logger.failure("check failed");
    return false;
  }
  logger.success("all checks passed");
  return true;
}

export async function kubernetesCheck(kube: KubeClient, logger: Logger, constraints: string[]): Promise<boolean> {
  let gitVersion: string;
  try {
    gitVersion = await serverGitVersion(kube);
  } catch (err) {
    logger.failure(`Kubernetes API call failed: ${kubeErrorMessage(err)}`);
    return false;
  }
  const v = parseSemVer(gitVersion);
  if (!v) {
    logger.failure("Kubernetes version can't be determined");
    return false;
  }
  const match = constraints.find((c) => satisfiesMin(v, c));
  if (!match) {
    logger.failure(`Kubernetes version ${v.original} does not match ${constraints[0]}`);
    return false;
  }
  logger.success(`Kubernetes ${semVerString(v)} ${match}`);
  return true;
}

async function versionCheck(kube: KubeClient, logger: Logger): Promise<boolean> {
  try {
    const info = await getFluxClusterInfo(kube);
    if (!info.installed) {
      logger.failure(
        `checking failed: customresourcedefinitions.apiextensions.k8s.io "gitrepositories.source.toolkit.fluxcd.io" not found`,
      );
      return false;
    }
    const dist = distribution(info);
    if (dist !== "") logger.success(`distribution: ${dist}`);
    logger.success(`bootstrapped: ${info.bootstrapped}`);
    return true;
  } catch (err) {
    logger.failure(`checking failed: ${kubeErrorMessage(err)}`);
    return false;
  }
}

/** The fields check reads of a Deployment and of a CRD (API server JSON, so all optional). */
interface Deployment {
  metadata?: { name?: string };
  spec?: { template?: { spec?: { containers?: { image?: string }[] } } };
}
interface Crd {
  metadata?: { name?: string };
  status?: { storedVersions?: string[] };
}

async function componentsCheck(kube: KubeClient, logger: Logger, opts: CheckOptions): Promise<boolean> {
  let items: Deployment[];
  try {
    const deployments = builtInResource("apps/v1", "Deployment");
    items = (
      await listAll<Deployment>(kube, resourcePath(deployments, opts.namespace), { labelSelector: FLUX_SELECTOR })
    ).items;
  } catch (err) {
    logger.failure(`listing controllers failed: ${kubeErrorMessage(err)}`);
    return false;
  }
  if (items.length === 0) {
    logger.failure(
      `no controllers found in the '${opts.namespace}' namespace with the label selector '${PART_OF_LABEL}=${PART_OF_VALUE}'`,
    );
    return false;
  }
  let ok = true;
  for (const d of items) {
    const name = d.metadata?.name ?? "";
    if (!(await assessDeployments(kube, [{ namespace: opts.namespace, name }], { ...opts, logger }))) ok = false;
    for (const c of d.spec?.template?.spec?.containers ?? []) logger.action(c.image ?? "");
  }
  return ok;
}

async function crdsCheck(kube: KubeClient, logger: Logger): Promise<boolean> {
  let items: Crd[];
  try {
    const crds = builtInResource("apiextensions.k8s.io/v1", "CustomResourceDefinition");
    items = (await listAll<Crd>(kube, resourcePath(crds), { labelSelector: FLUX_SELECTOR })).items;
  } catch (err) {
    logger.failure(`listing crds failed: ${kubeErrorMessage(err)}`);
    return false;
  }
  if (items.length === 0) {
    logger.failure(`no crds found with the label selector '${PART_OF_LABEL}=${PART_OF_VALUE}'`);
    return false;
  }
  let ok = true;
  for (const crd of items) {
    const versions = crd.status?.storedVersions ?? [];
    const name = crd.metadata?.name ?? "";
    if (versions.length > 0) logger.success(`${name}/${versions[versions.length - 1]}`);
    else {
      ok = false;
      logger.failure(`no stored versions for ${name}`);
    }
  }
  return ok;
}

/** `flux check` as the command line gives it. */
export interface CheckCommandOptions {
  pre: boolean;
  /** --poll-interval as given (Go duration). */
  pollInterval: string;
}

export async function runCheck(options: CheckCommandOptions, deps: Deps): Promise<void> {
  let kube: KubeClient;
  try {
    kube = await createKubeClient(deps.globals);
  } catch (err) {
    throw new CliError(`Kubernetes client initialization failed: ${(err as Error).message}`);
  }
  const ok = await check(
    {
      pre: options.pre,
      namespace: kube.namespace,
      pollIntervalMs: parseDuration(options.pollInterval),
      timeoutMs: deps.globals.timeoutMs,
    },
    { kube, logger: deps.logger },
  );
  // The failure lines are already printed; exit 1 without another message.
  if (!ok) throw new CliError("", 1);
}
