// `flux debug helmrelease|kustomization <name>`: a failing reconciliation's inputs as
// the controller sees them: the object's status, its reconciliation history, and the
// final Helm values (valuesFrom merged as helm-controller does) or post-build variables
// (substituteFrom read from the cluster, then substitute). Values and variables may hold
// Secret data: upstream prints them, and so does this (its help says so).
import type { Deps } from "../deps.js";
import { CliError } from "../errors.js";
import { chartValues, clusterValues } from "../helm/values.js";
import { mustKind } from "../kinds/registry.js";
import { typedStatus } from "../kinds/serialization.js";
import { kubeReader } from "../kustomize/cluster.js";
import { loadVariables, type FluxKustomization } from "../kustomize/build.js";
import type { Writable } from "../output/logger.js";
import { toYaml } from "../yaml/printer.js";
import { clientFor, getObject } from "./common.js";

/** What the debug commands show; exactly one is set. */
export interface DebugCommandOptions {
  /** The positional arguments (cobra.ExactArgs(1)). */
  args: string[];
  showStatus: boolean;
  /** --show-values (helmrelease) or --show-vars (kustomization). */
  showInputs: boolean;
  showHistory: boolean;
}

interface DebugKind {
  kind: "HelmRelease" | "Kustomization";
  inputsFlag: string;
  statusDocs: string;
  historyDocs: string;
}

const HELMRELEASE: DebugKind = {
  kind: "HelmRelease",
  inputsFlag: "--show-values",
  statusDocs: "https://fluxcd.io/flux/components/helm/helmreleases/#helmrelease-status",
  historyDocs: "https://fluxcd.io/flux/components/helm/helmreleases/#history",
};

const KUSTOMIZATION: DebugKind = {
  kind: "Kustomization",
  inputsFlag: "--show-vars",
  statusDocs: "https://fluxcd.io/flux/components/kustomize/kustomizations/#kustomization-status",
  historyDocs: "https://fluxcd.io/flux/components/kustomize/kustomizations/#history",
};

/** The checks upstream makes before it connects: one name, exactly one --show-* flag. */
function validate(options: DebugCommandOptions, k: DebugKind): string {
  const [name] = options.args;
  if (name === undefined || options.args.length !== 1)
    throw new CliError(`accepts 1 arg(s), received ${options.args.length}`);
  const set = [options.showStatus, options.showInputs, options.showHistory].filter(Boolean).length;
  if (set !== 1) throw new CliError(`exactly one of --show-status, ${k.inputsFlag}, or --show-history must be set`);
  return name;
}

function printStatus(k: DebugKind, status: unknown, stdout: Writable): void {
  stdout.write(`# Status documentation: ${k.statusDocs}\n`);
  stdout.write(toYaml(typedStatus(k.kind, status ?? {})));
}

function printHistory(k: DebugKind, status: unknown, stdout: Writable): void {
  const history = (status as { history?: unknown[] } | undefined)?.history ?? [];
  stdout.write(`# History documentation: ${k.historyDocs}\n`);
  stdout.write(toYaml((typedStatus(k.kind, { history }) as { history: unknown[] }).history));
}

export async function runDebugHelmRelease(options: DebugCommandOptions, deps: Deps): Promise<void> {
  const name = validate(options, HELMRELEASE);
  const client = await clientFor(deps);
  const hr = await getObject(client, mustKind("HelmRelease"), client.namespace, name);
  const stdout = deps.io.stdout;
  if (options.showStatus) {
    printStatus(HELMRELEASE, hr.status, stdout);
    return;
  }
  if (options.showHistory) {
    printHistory(HELMRELEASE, hr.status, stdout);
    return;
  }
  const reader = kubeReader(client);
  const namespace = hr.metadata.namespace ?? client.namespace;
  const values = await chartValues(
    hr,
    clusterValues((kind, ref) => reader.get("v1", kind, namespace, ref), namespace),
  );
  stdout.write(toYaml(values));
}

export async function runDebugKustomization(options: DebugCommandOptions, deps: Deps): Promise<void> {
  const name = validate(options, KUSTOMIZATION);
  const client = await clientFor(deps);
  const ks = await getObject(client, mustKind("Kustomization"), client.namespace, name);
  const stdout = deps.io.stdout;
  if (options.showStatus) {
    printStatus(KUSTOMIZATION, ks.status, stdout);
    return;
  }
  if (options.showHistory) {
    printHistory(KUSTOMIZATION, ks.status, stdout);
    return;
  }
  const flux = ks as unknown as FluxKustomization;
  if (!flux.spec?.postBuild) throw new CliError("no post build substitutions found");
  const vars = await loadVariables(flux, { reader: kubeReader(client), namespace: client.namespace });
  const keys = [...vars.keys()].sort();
  stdout.write(keys.map((k) => `${k}=${vars.get(k)}\n`).join(""));
}
