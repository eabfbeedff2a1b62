// The cluster half of `flux create ...` (without --export): upsert, status lines with
// upstream's wording, watch-based readiness wait and the final report.
import type { Deps } from "../deps.js";
import { CliError } from "../errors.js";
import type { KubeObject } from "../manifests/common.js";
import { restTarget, upsert, waitReady, type RestTarget } from "./apply.js";
import { printExport } from "./common.js";
import type { CreateOptions } from "./options.js";

export interface ApplyPlan {
  /** "GitRepository source", "Kustomization", ... */
  what: string;
  /** Word used in "✔ <word> created|updated"; defaults to `what`. */
  createdAs?: string;
  /** completed: "<what> reconciliation completed"; named: "<Kind> <name> is ready"; static: no wait. */
  readyStyle: "completed" | "named" | "static";
  /** false: a static object (no status from a controller), existence is enough. */
  wait?: boolean;
  /** Lines after readiness (fetched revision, applied revision, webhook URL). */
  report?: ((ready: KubeObject, deps: Deps) => void) | undefined;
  /** Skip the "► applying ..." line (printed by the caller). */
  quietApply?: boolean;
}

export async function applyAndWait(
  deps: Deps,
  obj: KubeObject,
  plan: ApplyPlan,
  target?: RestTarget,
): Promise<KubeObject> {
  target ??= await restTarget(deps);
  const log = deps.logger;
  if (!plan.quietApply) log.action(`applying ${plan.what}`);
  const { result } = await upsert(target, obj);
  log.success(`${plan.createdAs ?? plan.what} ${result === "created" ? "created" : "updated"}`);
  if (plan.readyStyle === "static") {
    log.waiting(`waiting for ${plan.what} reconciliation`);
    log.success(`${obj.kind} ${obj.metadata.name} is ready`);
    return obj;
  }
  log.waiting(`waiting for ${plan.what} reconciliation`);
  const ready = plan.wait === false ? obj : await waitReady(target, obj, deps.globals.timeoutMs);
  if (plan.readyStyle === "completed") log.success(`${plan.what} reconciliation completed`);
  else log.success(`${obj.kind} ${obj.metadata.name} is ready`);
  plan.report?.(ready, deps);
  return ready;
}

/**
 * The usual create command: build the object from the flags, print it with --export,
 * otherwise announce "generating <what>", apply it and wait as the plan says.
 */
export function exportOrApply<O extends CreateOptions>(
  build: (options: O, deps: Deps) => KubeObject | Promise<KubeObject>,
  plan: ApplyPlan,
): (options: O, deps: Deps) => Promise<void> {
  return async (options, deps) => {
    const obj = await build(options, deps);
    if (options.export) {
      printExport(deps, [obj]);
      return;
    }
    deps.logger.generate(`generating ${plan.what}`);
    await applyAndWait(deps, obj, plan);
  };
}

export function artifactRevision(what: string): (ready: KubeObject, deps: Deps) => void {
  return (ready, deps) => {
    const artifact = (ready.status as { artifact?: { revision?: string } } | undefined)?.artifact;
    if (!artifact) throw new CliError(`${what} reconciliation completed but no artifact was found`);
    deps.logger.success(`fetched revision: ${artifact.revision ?? ""}`);
  };
}

export function appliedRevision(ready: KubeObject, deps: Deps): void {
  const rev = (ready.status as { lastAppliedRevision?: string } | undefined)?.lastAppliedRevision ?? "";
  deps.logger.success(`applied revision ${rev}`);
}

/** upstream's promptui confirmation; without a terminal, or at end of input, it aborts (use --silent). */
export async function confirm(deps: Deps, label: string): Promise<void> {
  // Lazy: node:readline loads only when there is a question to ask.
  const { confirm: ask } = await import("../install/prompt.js");
  if (!(await ask(deps.io, label, " "))) throw new CliError("aborting");
}
