// How upstream flux prints a Flux object's spec: through its typed API structs
// (json.Marshal of the Go types), not as the server stored it. Three effects matter
// for `export`: metav1.Duration fields print in Go's canonical form (5m -> 5m0s),
// fields tagged omitempty drop their zero value (force: false, messageTemplate: ""),
// and pointer fields keep theirs. The tables come from the v2.9.5 API types
// (source, kustomize, helm, notification, image controllers and fluxcd/pkg/apis):
// every metav1.Duration field is named interval, timeout or retryInterval, every bool
// is omitempty except prune, and the strings without omitempty are the ones below.
import { canonicalDuration } from "../util/duration.js";

/** Keys of metav1.Duration fields in the Flux API types. */
const DURATION_KEYS = new Set(["interval", "timeout", "retryInterval"]);

/** bool fields that print false: prune (no omitempty) and the *bool pointers. */
const KEEP_FALSE = new Set([
  "prune",
  "ignoreTestFailures",
  "persistentClient",
  "remediateLastFailure",
  "serverSideApply",
]);

/** string fields without omitempty (and *string pointers), which print "". */
const KEEP_EMPTY_STRING = new Set([
  "apiVersion",
  "address",
  "bucketName",
  "chart",
  "email",
  "endpoint",
  "expression",
  "extract",
  "issuer",
  "issuerURL",
  "kind",
  "loginPath",
  "name",
  "namespace",
  "op",
  "patch",
  "path",
  "pattern",
  "provider",
  "range",
  "subject",
  "tag",
  "type",
  "url",
  "deletionPropagation",
  "ignore",
]);

/**
 * Free-form fields (apiextensionsv1.JSON, map[string]string): copied as stored, their
 * entries are data, not typed fields.
 */
const OPAQUE_KEYS = new Set(["values", "substitute", "labels", "annotations", "matchLabels", "data", "stringData"]);

/** int fields that print 0: the *int pointers. */
const KEEP_ZERO = new Set(["maxHistory", "size"]);

function normalise(value: unknown, key: string | undefined): unknown {
  if (Array.isArray(value)) return value.map((v) => normalise(v, undefined));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === false && !KEEP_FALSE.has(k)) continue;
      if (v === "" && !KEEP_EMPTY_STRING.has(k)) continue;
      if (v === 0 && !KEEP_ZERO.has(k)) continue;
      out[k] = OPAQUE_KEYS.has(k) ? v : normalise(v, k);
    }
    return out;
  }
  if (typeof value === "string" && key !== undefined && DURATION_KEYS.has(key)) {
    try {
      return canonicalDuration(value);
    } catch {
      return value;
    }
  }
  return value;
}

/** A Flux object's spec as upstream's typed structs print it. */
export function typedSpec(spec: unknown): unknown {
  return normalise(spec, undefined);
}

/**
 * A Flux object's status as upstream prints it through its typed structs (`flux debug
 * --show-status|--show-history`). The controllers wrote the status from those structs,
 * so what the API server stored is already what json.Marshal gives, except that it
 * dropped the nulls: a zero metav1.Time prints null even with omitempty (HelmRelease
 * history's deleted, its test hooks' lastStarted/lastCompleted). Durations print in
 * Go's canonical form.
 */
export function typedStatus(kind: string, status: unknown): unknown {
  const normalised = normaliseDurations(status, undefined);
  if (kind !== "HelmRelease" || !normalised || typeof normalised !== "object") return normalised;
  const history = (normalised as { history?: unknown }).history;
  if (Array.isArray(history)) (normalised as { history: unknown[] }).history = history.map(helmSnapshot);
  return normalised;
}

/** A HelmRelease history entry (helm-controller's v2 Snapshot) with its zero times as null. */
export function helmSnapshot(entry: unknown): unknown {
  if (!entry || typeof entry !== "object") return entry;
  const out: Record<string, unknown> = { ...(entry as Record<string, unknown>) };
  out.deleted ??= null;
  const hooks = out.testHooks as Record<string, Record<string, unknown> | null> | undefined;
  if (hooks && typeof hooks === "object") {
    out.testHooks = Object.fromEntries(
      Object.entries(hooks).map(([name, h]) => [
        name,
        h && typeof h === "object"
          ? { ...h, lastStarted: h.lastStarted ?? null, lastCompleted: h.lastCompleted ?? null }
          : h,
      ]),
    );
  }
  return out;
}

/** metav1.Duration fields of the Flux status types. */
const STATUS_DURATION_KEYS = new Set(["lastReconciledDuration", "lastAttemptedReleaseActionDuration"]);

function normaliseDurations(value: unknown, key: string | undefined): unknown {
  if (Array.isArray(value)) return value.map((v) => normaliseDurations(v, undefined));
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normaliseDurations(v, k)]));
  if (typeof value === "string" && key !== undefined && STATUS_DURATION_KEYS.has(key)) {
    try {
      return canonicalDuration(value);
    } catch {
      return value;
    }
  }
  return value;
}
