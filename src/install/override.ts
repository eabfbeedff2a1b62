// Install and bootstrap over a Flux installation that another tool manages (its CRDs
// carry app.kubernetes.io/managed-by, e.g. Helm): ask first, as upstream does; --force
// overrides without asking. Without a terminal to ask on, the answer is no.
import type { IO } from "../deps.js";
import { CliError } from "../errors.js";
import { type KubeClient, kubeErrorMessage } from "../kube/client.js";
import { type FluxClusterInfo, getFluxClusterInfo, managedByFlux } from "./cluster.js";
import { confirm } from "./prompt.js";

/** What the cluster says about an installed Flux, or "cluster info unavailable". */
export async function readClusterInfo(kube: KubeClient): Promise<FluxClusterInfo> {
  try {
    return await getFluxClusterInfo(kube);
  } catch (err) {
    throw new CliError(`cluster info unavailable: ${kubeErrorMessage(err)}`);
  }
}

/** Throws `<verb> cancelled` unless the installation is Flux's own, force is set, or the user agrees. */
export async function confirmOverride(
  info: FluxClusterInfo,
  io: IO,
  verb: "installation" | "bootstrap",
  force: boolean,
): Promise<void> {
  if (force || !info.installed || managedByFlux(info)) return;
  io.stderr.write(`Flux ${info.version} has been installed on this cluster with ${info.managedBy}!\n`);
  if (!(await confirm(io, `Are you sure you want to override the ${info.managedBy} installation? Y/N`))) {
    throw new CliError(`${verb} cancelled (use --force to override it without asking)`);
  }
}
