// The cluster half of `flux create ...` (without --export): upsert, status lines with
// upstream's wording, watch-based readiness wait and the final report.
import type { Run } from "../cli/action.js";
import type { CommandContext } from "../cli/context.js";
import { CliError } from "../errors.js";
import type { KubeObject } from "../manifests/common.js";
import { restTarget, upsert, waitReady, type RestTarget } from "./apply.js";
import { printExport, type Opts } from "./common.js";

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
  report?: (ready: KubeObject, ctx: CommandContext) => void;
  /** Skip the "► applying ..." line (printed by the caller). */
  quietApply?: boolean;
}

export interface FlowDeps {
  target?: RestTarget;
}

export async function applyAndWait(
  ctx: CommandContext,
  obj: KubeObject,
  plan: ApplyPlan,
  deps: FlowDeps = {},
): Promise<KubeObject> {
  const target = deps.target ?? (await restTarget(ctx));
  const log = ctx.logger;
  if (!plan.quietApply) log.action(`applying ${plan.what}`);
  const { result } = await upsert(target, obj);
  log.success(`${plan.createdAs ?? plan.what} ${result === "created" ? "created" : "updated"}`);
  if (plan.readyStyle === "static") {
    log.waiting(`waiting for ${plan.what} reconciliation`);
    log.success(`${obj.kind} ${obj.metadata.name} is ready`);
    return obj;
  }
  log.waiting(`waiting for ${plan.what} reconciliation`);
  const ready = plan.wait === false ? obj : await waitReady(target, obj, ctx.globals.timeoutMs);
  if (plan.readyStyle === "completed") log.success(`${plan.what} reconciliation completed`);
  else log.success(`${obj.kind} ${obj.metadata.name} is ready`);
  plan.report?.(ready, ctx);
  return ready;
}

/**
 * The usual create command: build the object from the flags, print it with --export,
 * otherwise announce "generating <what>", apply it and wait as the plan says.
 */
export function exportOrApply(
  build: (args: string[], opts: Opts, ctx: CommandContext) => KubeObject | Promise<KubeObject>,
  plan: ApplyPlan,
): Run {
  return async (args, opts, ctx) => {
    const obj = await build(args, opts, ctx);
    if (opts.export) return printExport(ctx, [obj]);
    ctx.logger.generate(`generating ${plan.what}`);
    await applyAndWait(ctx, obj, plan);
  };
}

export function artifactRevision(what: string): (ready: KubeObject, ctx: CommandContext) => void {
  return (ready, ctx) => {
    const artifact = (ready.status as { artifact?: { revision?: string } } | undefined)?.artifact;
    if (!artifact) throw new CliError(`${what} reconciliation completed but no artifact was found`);
    ctx.logger.success(`fetched revision: ${artifact.revision ?? ""}`);
  };
}

export function appliedRevision(ready: KubeObject, ctx: CommandContext): void {
  const rev = (ready.status as { lastAppliedRevision?: string } | undefined)?.lastAppliedRevision ?? "";
  ctx.logger.success(`applied revision ${rev}`);
}

/** upstream's promptui confirmation; without a terminal, or at end of input, it aborts (use --silent). */
export async function confirm(ctx: CommandContext, label: string): Promise<void> {
  const { confirm: ask } = await import("../install/prompt.js");
  if (!(await ask(ctx.io, label, " "))) throw new CliError("aborting");
}
