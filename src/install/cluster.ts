// What the cluster says about a Flux installation: the GitRepository CRD's labels
// (version, part-of, managed-by, bootstrap labels), the API server version, and the
// kstatus rules for the objects install and check wait on (Deployments and CRDs).
import { mustKind } from "../kinds/registry.js";
import { builtInResource } from "../kinds/resources.js";
import type { KubeClient } from "../kube/client.js";
import { isNotFound, kubeRest, resourcePath, type KubeObject } from "../kube/rest.js";

const CRD = builtInResource("apiextensions.k8s.io/v1", "CustomResourceDefinition");
const DEPLOYMENT = builtInResource("apps/v1", "Deployment");

export const PART_OF_LABEL = "app.kubernetes.io/part-of";
export const PART_OF_VALUE = "flux";
export const INSTANCE_LABEL = "app.kubernetes.io/instance";
export const VERSION_LABEL = "app.kubernetes.io/version";
export const FLUX_SELECTOR = `${PART_OF_LABEL}=${PART_OF_VALUE}`;

/** Labels kustomize-controller puts on what it applies: on the CRDs they mean "bootstrapped". */
const BOOTSTRAP_LABELS = ["kustomize.toolkit.fluxcd.io/name", "kustomize.toolkit.fluxcd.io/namespace"] as const;

export interface FluxClusterInfo {
  /** False when the GitRepository CRD is absent (Flux not installed). */
  installed: boolean;
  bootstrapped: boolean;
  managedBy: string;
  partOf: string;
  version: string;
}

/** `flux-v2.9.0` (part-of + version), or just the version, or "" when unknown. */
export function distribution(info: FluxClusterInfo): string {
  if (info.partOf !== "") return `${info.partOf}-${info.version}`;
  return info.version;
}

/** Installations made by flux itself (or with no manager label) need no confirmation to be overridden. */
export function managedByFlux(info: FluxClusterInfo): boolean {
  return info.managedBy === "" || info.managedBy === "flux";
}

export async function getFluxClusterInfo(kube: KubeClient): Promise<FluxClusterInfo> {
  const git = mustKind("GitRepository");
  try {
    // the API server's JSON: read what may be absent as absent
    const crd = await kubeRest<{ metadata?: { labels?: Record<string, string> } }>(
      kube,
      "GET",
      resourcePath(CRD, undefined, `${git.plural}.${git.group}`),
    );
    const labels = crd.metadata?.labels ?? {};
    return {
      installed: true,
      version: labels[VERSION_LABEL] ?? "",
      // upstream looks at the last bootstrap label only
      bootstrapped: BOOTSTRAP_LABELS[1] in labels,
      managedBy: labels["app.kubernetes.io/managed-by"] ?? "",
      partOf: labels[PART_OF_LABEL] ?? "",
    };
  } catch (err) {
    if (isNotFound(err)) return { installed: false, bootstrapped: false, managedBy: "", partOf: "", version: "" };
    throw err;
  }
}

/** The API server's gitVersion, e.g. "v1.34.4". */
export async function serverGitVersion(kube: KubeClient): Promise<string> {
  const info = await kubeRest<{ gitVersion: string }>(kube, "GET", "/version");
  return info.gitVersion;
}

// ---------------------------------------------------------------------------
// kstatus (sigs.k8s.io/cli-utils/pkg/kstatus) for the kinds install and check wait on.

export type KStatus = "Current" | "InProgress" | "Failed" | "NotFound";

export interface StatusResult {
  status: KStatus;
  message: string;
}

interface Cond {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

type Obj = {
  metadata?: { generation?: number };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
};

function conditions(obj: Obj): Cond[] {
  return ((obj.status?.conditions as Cond[] | undefined) ?? []).filter(Boolean);
}

/** kstatus for an apps/v1 Deployment. */
export function deploymentStatus(obj: Obj): StatusResult {
  const gen = obj.metadata?.generation ?? 0;
  const observed = obj.status?.observedGeneration as number | undefined;
  if (observed === undefined || observed < gen) {
    return {
      status: "InProgress",
      message: `Deployment generation is ${gen}, but latest observed generation is ${observed ?? 0}`,
    };
  }
  const specReplicas = (obj.spec?.replicas as number | undefined) ?? 1;
  const st = obj.status ?? {};
  const statusReplicas = (st.replicas as number | undefined) ?? 0;
  const updated = (st.updatedReplicas as number | undefined) ?? 0;
  const ready = (st.readyReplicas as number | undefined) ?? 0;
  const available = (st.availableReplicas as number | undefined) ?? 0;
  let progressing = false;
  let isAvailable = false;
  for (const c of conditions(obj)) {
    if (c.type === "Progressing") {
      if (c.reason === "ProgressDeadlineExceeded") return { status: "Failed", message: "Progress deadline exceeded" };
      if (c.status === "True" && c.reason === "NewReplicaSetAvailable") progressing = true;
    }
    if (c.type === "Available" && c.status === "True") isAvailable = true;
  }
  if (specReplicas > statusReplicas)
    return { status: "InProgress", message: `Replicas: ${statusReplicas}/${specReplicas}` };
  if (specReplicas > updated) return { status: "InProgress", message: `Updated: ${updated}/${specReplicas}` };
  if (statusReplicas > specReplicas)
    return { status: "InProgress", message: `Pending termination: ${statusReplicas - specReplicas}` };
  if (specReplicas > available) return { status: "InProgress", message: `Available: ${available}/${specReplicas}` };
  if (specReplicas > ready) return { status: "InProgress", message: `Ready: ${ready}/${specReplicas}` };
  if (!progressing) return { status: "InProgress", message: "ReplicaSet not Available" };
  if (!isAvailable) return { status: "InProgress", message: "Deployment not Available" };
  return { status: "Current", message: `Deployment is available. Replicas: ${statusReplicas}` };
}

/** kstatus for an apiextensions.k8s.io/v1 CustomResourceDefinition. */
export function crdStatus(obj: Obj): StatusResult {
  for (const c of conditions(obj)) {
    if (c.type === "NamesAccepted" && c.status === "False")
      return { status: "Failed", message: c.message ?? "Names not accepted" };
    if (c.type === "Established") {
      if (c.status === "True") return { status: "Current", message: "CRD is established" };
      return { status: "InProgress", message: "CRD is not established" };
    }
  }
  return { status: "InProgress", message: "Install in progress" };
}

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    });
  });

export interface DeploymentRef {
  namespace: string;
  name: string;
}

/**
 * upstream's StatusChecker.Assess for Deployments: polls until all are Current or the
 * timeout passes, then prints one line per Deployment sorted by name. Returns true when
 * all are ready.
 */
export async function assessDeployments(
  kube: KubeClient,
  refs: DeploymentRef[],
  opts: { pollIntervalMs: number; timeoutMs: number; logger: { success(m: string): void; failure(m: string): void } },
): Promise<boolean> {
  const deadline = Date.now() + opts.timeoutMs;
  const results = new Map<string, KStatus>();
  for (;;) {
    for (const ref of refs) {
      try {
        const d = await kubeRest<KubeObject>(kube, "GET", resourcePath(DEPLOYMENT, ref.namespace, ref.name));
        results.set(ref.name, deploymentStatus(d).status);
      } catch (err) {
        if (isNotFound(err)) results.set(ref.name, "NotFound");
        else throw err;
      }
    }
    if (refs.every((r) => results.get(r.name) === "Current")) break;
    const left = deadline - Date.now();
    if (left <= 0) break;
    await sleep(Math.min(opts.pollIntervalMs, left));
  }
  let ok = true;
  for (const ref of [...refs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const s = results.get(ref.name);
    if (s === "Current") opts.logger.success(`${ref.name}: deployment ready`);
    else {
      ok = false;
      if (s === "NotFound") opts.logger.failure(`${ref.name}: deployment not found`);
      else opts.logger.failure(`${ref.name}: deployment not ready`);
    }
  }
  return ok;
}
