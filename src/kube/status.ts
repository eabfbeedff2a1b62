// kstatus-style readiness of Flux objects, as upstream flux computes it:
// a dynamic object is settled when its Ready condition is for the latest generation
// (the condition's observedGeneration, or status.observedGeneration when the
// condition has none), it is not Reconciling and not Stalled.
import type { KubeObject } from "./rest.js";

export interface Condition {
  type: string;
  /** "True", "False" or "Unknown" by the API conventions; typed as the text the server sends. */
  status: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
}

export function conditionsOf(obj: KubeObject | undefined): Condition[] {
  const c = (obj?.status as { conditions?: unknown } | undefined)?.conditions;
  return Array.isArray(c) ? (c as Condition[]) : [];
}

export function findCondition(obj: KubeObject | undefined, type: string): Condition | undefined {
  return conditionsOf(obj).find((c) => c.type === type);
}

export type ObjectState =
  /** Not reconciled for the latest generation yet, or reconciling. */
  | { state: "InProgress"; message: string }
  /** Settled with Ready=True. */
  | { state: "Ready"; message: string }
  /** Settled and not ready: Ready=False without Reconciling, or Stalled=True. */
  | { state: "Failed"; message: string; stalled: boolean };

/**
 * Computes the state of a Flux object. When requestedAt is given, the object is
 * InProgress until status.lastHandledReconcileAt equals it.
 */
export function objectState(obj: KubeObject, requestedAt?: string): ObjectState {
  const status = (obj.status ?? {}) as { observedGeneration?: number; lastHandledReconcileAt?: string };
  const ready = findCondition(obj, "Ready");
  const readyMsg = ready?.message ?? "";
  if (requestedAt !== undefined && !handledRequest(status.lastHandledReconcileAt, requestedAt)) {
    return {
      state: "InProgress",
      message: "the controller has not handled the reconciliation request yet (is it running? see flux check)",
    };
  }
  const generation = obj.metadata.generation ?? 0;
  const observed = status.observedGeneration ?? -1;
  if (observed < 1) {
    // Not reconciled successfully yet. Controllers retrying a failure say why in
    // Ready=False: a timeout then carries the controller's own message.
    const failing = ready?.status === "False" && readyMsg !== "";
    return { state: "InProgress", message: failing ? readyMsg : "waiting for the object to be reconciled" };
  }
  if (!ready) return { state: "InProgress", message: "waiting for the Ready condition" };
  if (ready.observedGeneration && ready.observedGeneration !== generation)
    return { state: "InProgress", message: readyMsg };
  if (!ready.observedGeneration && observed !== generation) return { state: "InProgress", message: readyMsg };
  if (observed !== generation) return { state: "InProgress", message: readyMsg };
  const stalled = findCondition(obj, "Stalled");
  if (stalled?.status === "True") {
    // Stalled says that it gave up ("Failed to install after 1 attempt(s)"), Ready says why:
    // both, where upstream prints the first only.
    const why = ready.status === "False" && readyMsg && readyMsg !== stalled.message ? readyMsg : "";
    const message = [stalled.message, why].filter(Boolean).join(": ") || readyMsg;
    return { state: "Failed", message, stalled: true };
  }
  const reconciling = findCondition(obj, "Reconciling");
  if (reconciling?.status === "True") return { state: "InProgress", message: reconciling.message || readyMsg };
  if (ready.status === "True") return { state: "Ready", message: readyMsg };
  if (ready.status === "False") return { state: "Failed", message: readyMsg, stalled: false };
  return { state: "InProgress", message: readyMsg };
}

/**
 * The request was handled: lastHandledReconcileAt is our request, or a later one
 * (someone else requested again meanwhile; the controller coalesces requests).
 */
export function handledRequest(handled: string | undefined, requestedAt: string): boolean {
  if (!handled) return false;
  if (handled === requestedAt) return true;
  const h = Date.parse(handled);
  const r = Date.parse(requestedAt);
  return !Number.isNaN(h) && !Number.isNaN(r) && h > r;
}

/** True when the object is suspended (spec.suspend). */
export function isSuspended(obj: KubeObject): boolean {
  return (obj.spec as { suspend?: unknown } | undefined)?.suspend === true;
}
