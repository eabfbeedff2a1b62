// `flux uninstall`: deletes the Flux components (Deployments, Services, NetworkPolicies,
// ServiceAccounts in the namespace; ClusterRoles and ClusterRoleBindings; all selected
// by app.kubernetes.io/part-of=flux), then strips the finalizers of every Flux object
// in all namespaces (with the controllers gone nothing would remove them, and the
// controllers must not garbage-collect what they applied), then deletes the Flux CRDs
// and the namespace. The workloads Flux applied are left alone. Upstream's order.
import type { Deps, IO } from "../deps.js";
import { CliError } from "../errors.js";
import { FINALIZER_ORDER, kindsInOrder, resourceOf } from "../kinds/registry.js";
import { builtInResource } from "../kinds/resources.js";
import type { KubeClient } from "../kube/client.js";
import type { ResourceType } from "../kube/rest.js";
import type { Logger } from "../output/logger.js";
import { FLUX_SELECTOR } from "./cluster.js";
import { kubeRest, listAll, resourcePath, isNotFound, ContentType } from "../kube/rest.js";
import { kubeErrorMessage, createKubeClient } from "../kube/client.js";
import { getFluxClusterInfo, managedByFlux } from "./cluster.js";
import { confirm } from "./prompt.js";

export interface UninstallOptions {
  namespace: string;
  keepNamespace: boolean;
  dryRun: boolean;
  silent: boolean;
}

type Kind = ResourceType;

/** The Flux components, selected by app.kubernetes.io/part-of=flux (upstream's order). */
const COMPONENT_KINDS: Kind[] = [
  builtInResource("apps/v1", "Deployment"),
  builtInResource("v1", "Service"),
  builtInResource("networking.k8s.io/v1", "NetworkPolicy"),
  builtInResource("v1", "ServiceAccount"),
  builtInResource("rbac.authorization.k8s.io/v1", "ClusterRole"),
  builtInResource("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
];

/** The Flux kinds whose finalizers are removed (upstream's list and order). */
export const FINALIZER_KINDS: Kind[] = kindsInOrder(FINALIZER_ORDER).map(resourceOf);

const CRD_KIND: Kind = builtInResource("apiextensions.k8s.io/v1", "CustomResourceDefinition");

export interface UninstallDeps {
  kube: KubeClient;
  logger: Logger;
  io: IO;
}

/** Returns false when something could not be deleted (each failure is printed). */
export async function uninstall(opts: UninstallOptions, deps: UninstallDeps): Promise<boolean> {
  const { kube, logger } = deps;
  const suffix = opts.dryRun ? "(dry run)" : "";
  const dryQuery = opts.dryRun ? { dryRun: "All" } : {};
  let ok = true;
  const msg = (err: unknown) =>
    err instanceof Error && err.name === "KubeApiError" ? err.message : kubeErrorMessage(err);

  async function list(k: Kind, namespace: string | undefined, selector?: string) {
    try {
      return (await listAll(kube, resourcePath(k, namespace), selector ? { labelSelector: selector } : {})).items;
    } catch (err) {
      if (isNotFound(err)) return []; // the API (CRD) is not there
      throw err;
    }
  }

  async function del(k: Kind, namespace: string | undefined, name: string): Promise<void> {
    const id = namespace ? `${k.kind}/${namespace}/${name}` : `${k.kind}/${name}`;
    try {
      await kubeRest(kube, "DELETE", resourcePath(k, namespace, name), { query: dryQuery });
      logger.success(`${id} deleted ${suffix}`);
    } catch (err) {
      // Already gone (e.g. a second uninstall): upstream's wording, as a warning, since a ✗
      // line always means a failed run and nothing failed here.
      if (isNotFound(err)) logger.warning(`${id} deletion failed: ${msg(err)}`);
      else {
        ok = false;
        logger.failure(`${id} deletion failed: ${msg(err)}`);
      }
    }
  }

  logger.action(`deleting components in ${opts.namespace} namespace`);
  for (const k of COMPONENT_KINDS) {
    const ns = k.namespaced ? opts.namespace : undefined;
    for (const item of await list(k, ns, FLUX_SELECTOR)) await del(k, ns, item.metadata.name);
  }

  logger.action("deleting toolkit.fluxcd.io finalizers in all namespaces");
  for (const k of FINALIZER_KINDS) {
    for (const item of await list(k, undefined)) {
      const ns = item.metadata.namespace ?? "";
      const id = `${k.kind}/${ns}/${item.metadata.name}`;
      try {
        await kubeRest(kube, "PATCH", resourcePath(k, ns, item.metadata.name), {
          body: { metadata: { finalizers: null } },
          contentType: ContentType.MergePatch,
          query: dryQuery,
        });
        logger.success(`${id} finalizers deleted ${suffix}`);
      } catch (err) {
        if (isNotFound(err)) continue; // deleted meanwhile
        ok = false;
        logger.failure(`${id} removing finalizers failed: ${msg(err)}`);
      }
    }
  }

  logger.action("deleting toolkit.fluxcd.io custom resource definitions");
  for (const crd of await list(CRD_KIND, undefined, FLUX_SELECTOR)) await del(CRD_KIND, undefined, crd.metadata.name);

  if (!opts.keepNamespace) {
    await del({ kind: "Namespace", group: "", version: "v1", plural: "namespaces" }, undefined, opts.namespace);
  }
  logger.success("uninstall finished");
  return ok;
}

/** `flux uninstall` as the command line gives it (the namespace comes from the kube context). */
export type UninstallCommandOptions = Omit<UninstallOptions, "namespace">;

export async function runUninstall(options: UninstallCommandOptions, deps: Deps): Promise<void> {
  const kube = await createKubeClient(deps.globals);
  const o: UninstallOptions = { ...options, namespace: kube.namespace };
  if (!o.dryRun && !o.silent) {
    let info;
    try {
      info = await getFluxClusterInfo(kube);
    } catch (err) {
      throw new CliError(`cluster info unavailable: ${kubeErrorMessage(err)}`);
    }
    const label = managedByFlux(info)
      ? "Are you sure you want to delete Flux and its custom resource definitions"
      : `Flux is managed by ${info.managedBy}! Are you sure you want to delete Flux and its CRDs using Flux CLI`;
    if (!(await confirm(deps.io, label))) {
      throw new CliError(
        deps.io.stdin.isTTY
          ? "aborting"
          : "aborting: confirmation needs a terminal; use --silent to uninstall without asking",
      );
    }
  }
  try {
    if (!(await uninstall(o, { kube, logger: deps.logger, io: deps.io })))
      throw new CliError("uninstall failed: some objects could not be deleted (see above)");
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`uninstall failed: ${kubeErrorMessage(err)}`);
  }
}
