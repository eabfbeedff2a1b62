// `flux reconcile <kind> <name>`: annotate reconcile.fluxcd.io/requestedAt (merge patch,
// retried on conflict), then watch until the controller handled that request and the
// object is Current; Ready=False or Stalled fails with the Ready message.
import { CliError, errorMessage } from "../errors.js";
import { kindInfo, resourceOf, type KindInfo } from "../kinds/registry.js";
import { ContentType, isConflict, kubeRest, resourcePath, type KubeObject, type RestTarget } from "../kube/rest.js";
import { isSuspended } from "../kube/status.js";
import { waitForReady } from "../kube/wait.js";
import type { Logger } from "../output/logger.js";
import { getObject, listKind, mapConcurrent, unique } from "./common.js";

export const REQUESTED_AT = "reconcile.fluxcd.io/requestedAt";
export const FORCE_AT = "reconcile.fluxcd.io/forceAt";
export const RESET_AT = "reconcile.fluxcd.io/resetAt";

export interface ReconcileOptions {
  kind: KindInfo;
  names: string[];
  all: boolean;
  namespace: string;
  /** Reconcile the source first (Kustomization, HelmRelease). */
  withSource: boolean;
  /** HelmRelease: force a one-off install/upgrade. */
  force: boolean;
  /** HelmRelease: reset the failure counts. */
  reset: boolean;
  /** false: annotate and return. */
  wait: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Clock for the request timestamp (tests). */
  now?: () => string;
}

export interface ReconcileDeps {
  client: RestTarget;
  logger: Logger;
}

/** Go's time.Now().Format(time.RFC3339Nano) in UTC: fractional seconds without trailing zeros. */
export function rfc3339Nano(date = new Date(), extraNanos = Number(process.hrtime.bigint() % 1_000_000n)): string {
  const iso = date.toISOString(); // 2024-01-02T03:04:05.678Z
  const ms = iso.slice(20, 23);
  const frac = (ms + String(extraNanos).padStart(6, "0")).replace(/0+$/, "");
  return `${iso.slice(0, 19)}${frac ? `.${frac}` : ""}Z`;
}

/** Sets the request annotations with a merge patch; retried on conflict. Returns the timestamp. */
export async function requestReconciliation(
  client: RestTarget,
  k: KindInfo,
  namespace: string,
  name: string,
  extra: { force?: boolean; reset?: boolean } = {},
  now: () => string = () => rfc3339Nano(),
): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const ts = now();
    const annotations: Record<string, string> = { [REQUESTED_AT]: ts };
    if (extra.force) annotations[FORCE_AT] = ts;
    if (extra.reset) annotations[RESET_AT] = ts;
    try {
      await kubeRest(client, "PATCH", resourcePath(resourceOf(k), namespace, name), {
        body: { metadata: { annotations } },
        contentType: ContentType.MergePatch,
      });
      return ts;
    } catch (err) {
      if (!isConflict(err) || attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 10 * 2 ** attempt));
    }
  }
}

/** Reconciles one object: the status lines and the wait. */
export async function reconcileOne(
  k: KindInfo,
  namespace: string,
  name: string,
  opts: Omit<ReconcileOptions, "kind" | "names" | "all" | "namespace">,
  deps: ReconcileDeps,
): Promise<KubeObject | undefined> {
  const obj = await getObject(deps.client, k, namespace, name);
  if (!k.reconcilable || k.staticStatus || k.isStaticObject?.(obj)) {
    deps.logger.success("reconciliation not supported by the object");
    return undefined;
  }
  if (isSuspended(obj))
    throw new CliError(
      `resource is suspended: resume ${k.kind} ${namespace}/${name} first with 'flux resume ${k.cli.join(" ")} ${name} -n ${namespace}'`,
    );

  if (opts.withSource) {
    const ref = k.reconcileSourceRef?.(obj) ?? k.sourceRef?.(obj);
    if (!ref) throw new CliError(`${k.kind} ${namespace}/${name} has no source to reconcile`);
    const sk = kindInfo(ref.kind);
    if (!sk) throw new CliError(`cannot reconcile source of unsupported kind ${ref.kind}`);
    await reconcileOne(
      sk,
      ref.namespace,
      ref.name,
      { ...opts, withSource: Boolean(sk.sourceReconcilesItsSource), force: false, reset: false, wait: true },
      deps,
    );
  }

  deps.logger.action(`annotating ${k.kind} ${name} in ${namespace} namespace`);
  const requestedAt = await requestReconciliation(
    deps.client,
    k,
    namespace,
    name,
    { force: Boolean(k.forceReset) && opts.force, reset: Boolean(k.forceReset) && opts.reset },
    opts.now,
  );
  deps.logger.success(`${k.kind} annotated`);
  if (!opts.wait) return undefined;

  deps.logger.waiting(`waiting for ${k.kind} reconciliation`);
  const ready = await waitForReady(deps.client, resourceOf(k), namespace, name, {
    timeoutMs: opts.timeoutMs,
    requestedAt,
    signal: opts.signal,
  });
  deps.logger.success(k.successMessage(ready));
  return ready;
}

export async function reconcileObjects(opts: ReconcileOptions, deps: ReconcileDeps): Promise<void> {
  const k = opts.kind;
  if (opts.withSource && !k.sourceRef) throw new CliError(`--with-source is not supported for ${k.kind}`);
  if ((opts.force || opts.reset) && !k.forceReset) throw new CliError("--force and --reset apply to HelmRelease only");
  if (!opts.all) {
    if (opts.names.length < 1) throw new CliError(`${k.kind} name is required`);
    const names = unique(opts.names);
    const [only] = names;
    if (only !== undefined && names.length === 1) {
      await reconcileOne(k, opts.namespace, only, opts, deps);
      return;
    }
    await reconcileMany(k, names, opts, deps);
    return;
  }
  if (opts.names.length > 0) throw new CliError("--all cannot be combined with names");
  const objs = await listKind(deps.client, k, { namespace: opts.namespace });
  if (objs.length === 0) throw new CliError(`no ${k.kind} objects found in ${opts.namespace} namespace`);
  const names = objs.filter((o) => !isSuspended(o)).map((o) => o.metadata.name);
  for (const o of objs) if (isSuspended(o)) deps.logger.warning(`skipping suspended ${k.kind} ${o.metadata.name}`);
  await reconcileMany(k, names, opts, deps);
}

/** Reconciles several objects concurrently; fails when any of them failed. */
async function reconcileMany(k: KindInfo, names: string[], opts: ReconcileOptions, deps: ReconcileDeps): Promise<void> {
  const results = await mapConcurrent(names, 16, async (name) => {
    try {
      await reconcileOne(k, opts.namespace, name, opts, deps);
      return undefined;
    } catch (err) {
      return `${k.kind} ${opts.namespace}/${name}: ${errorMessage(err)}`;
    }
  });
  const failures = results.filter((r): r is string => r !== undefined);
  for (const f of failures) deps.logger.failure(f);
  if (failures.length > 0) throw new CliError(`${failures.length} of ${names.length} ${k.kind} reconciliations failed`);
}
