// Watch-based waits (the watch API, not polling): a GET for the current state, then
// a watch on the object from that resourceVersion, re-established when the server
// closes it and re-listed when the resourceVersion expires (410 Gone).
import { CliError } from "../errors.js";
import {
  isNotFound,
  KubeConnectionError,
  KubeApiError,
  resourcePath,
  watchCollection,
  kubeRest,
  type KubeObject,
  type ResourceType,
  type RestTarget,
} from "./rest.js";
import { objectState } from "./status.js";

export type { ResourceType } from "./rest.js";

export interface WaitOptions {
  /** Give up after this many milliseconds. */
  timeoutMs: number;
  /** The reconcile.fluxcd.io/requestedAt value that status.lastHandledReconcileAt must reach. */
  requestedAt?: string;
  /** Abort the wait (rejects with an AbortError). */
  signal?: AbortSignal | undefined;
  /** Called with every observed version of the object. */
  onUpdate?: (obj: KubeObject) => void;
}

/** The verdict of a wait predicate: keep waiting (with a progress message), done, or fail. */
export type WaitVerdict<T> = { done: true; value: T } | { done: false; message?: string } | { fail: Error };

export class WaitTimeoutError extends CliError {
  constructor(message: string) {
    super(message);
    this.name = "WaitTimeoutError";
  }
}

/** Rejected when the object settles but is not ready (Ready=False or Stalled=True). */
export class NotReadyError extends CliError {
  constructor(
    readonly kind: string,
    readonly readyMessage: string,
    readonly stalled: boolean,
    readonly object: KubeObject,
  ) {
    super(`${kind} reconciliation failed: '${readyMessage}'`);
    this.name = "NotReadyError";
  }
}

function describe(type: ResourceType, namespace: string, name: string): string {
  return type.namespaced === false || !namespace ? `${type.kind}/${name}` : `${type.kind}/${namespace}/${name}`;
}

/**
 * Waits until check(obj) says done. obj is undefined while the object does not exist.
 * Rejects on timeout (WaitTimeoutError with the last progress message), on a
 * failing verdict, on API errors other than 404, or on abort.
 */
export async function waitFor<T>(
  client: RestTarget,
  type: ResourceType,
  namespace: string,
  name: string,
  check: (obj: KubeObject | undefined) => WaitVerdict<T>,
  opts: Omit<WaitOptions, "requestedAt"> & { what?: string },
): Promise<T> {
  const what = opts.what ?? describe(type, namespace, name);
  const ns = type.namespaced === false ? undefined : namespace;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), Math.max(0, opts.timeoutMs));
  const signals = [timeout.signal, ...(opts.signal ? [opts.signal] : [])];
  const signal = AbortSignal.any(signals);
  let lastMessage: string | undefined;
  // Set from the callbacks (evaluate); a holder, since TypeScript would keep a local's narrowing across the awaits.
  const outcome: { settled?: { value?: T; error?: Error } } = {};
  // Read through a call for the same reason: the awaits in the loops may abort it.
  const stopped = (): boolean => signal.aborted;
  let connectionErrors = 0;
  let lastConnectionError: KubeConnectionError | undefined;

  const evaluate = (obj: KubeObject | undefined): boolean => {
    if (obj) opts.onUpdate?.(obj);
    const v = check(obj);
    if ("fail" in v) {
      outcome.settled = { error: v.fail };
      return true;
    }
    if (v.done) {
      outcome.settled = { value: v.value };
      return true;
    }
    if (v.message) lastMessage = v.message;
    return false;
  };

  try {
    for (;;) {
      if (stopped()) break;
      // Current state and the resourceVersion to watch from.
      let obj: KubeObject | undefined;
      let rv: string | undefined;
      try {
        obj = await kubeRest<KubeObject>(client, "GET", resourcePath(type, ns, name), { signal });
        rv = obj.metadata.resourceVersion;
      } catch (err) {
        if (stopped()) break;
        if (err instanceof KubeConnectionError && connectionErrors < 5) {
          connectionErrors++;
          lastConnectionError = err;
          await new Promise((r) => setTimeout(r, 250 * 2 ** connectionErrors));
          continue;
        }
        if (!isNotFound(err)) throw err;
        obj = undefined;
      }
      if (evaluate(obj)) break;
      if (!rv) {
        type ListMeta = { metadata: { resourceVersion?: string } };
        const list: ListMeta = await kubeRest<ListMeta>(client, "GET", resourcePath(type, ns), {
          query: { fieldSelector: `metadata.name=${name}`, limit: 1 },
          signal,
        }).catch((err: unknown) => {
          if (stopped()) return { metadata: {} };
          throw err;
        });
        rv = list.metadata.resourceVersion;
      }
      // Watch from rv until the server closes the stream or we are done.
      const inner = new AbortController();
      const watchSignal = AbortSignal.any([signal, inner.signal]);
      let gone = false;
      for (;;) {
        try {
          await watchCollection(
            client,
            resourcePath(type, ns),
            {
              fieldSelector: `metadata.name=${name}`,
              resourceVersion: rv,
              timeoutSeconds: Math.max(1, Math.ceil(opts.timeoutMs / 1000) + 5),
            },
            (ev) => {
              if (outcome.settled) return;
              if (ev.object.metadata.resourceVersion) rv = ev.object.metadata.resourceVersion;
              if (ev.type === "BOOKMARK") return;
              if (evaluate(ev.type === "DELETED" ? undefined : ev.object)) inner.abort();
            },
            watchSignal,
          );
        } catch (err) {
          if (
            err instanceof KubeApiError &&
            (err.statusCode === 410 || err.reason === "Expired" || err.reason === "Gone")
          ) {
            gone = true;
          } else if (err instanceof KubeConnectionError && !stopped() && connectionErrors < 5) {
            // A dropped connection (API server restart, proxy timeout): back off, then re-read and re-watch.
            connectionErrors++;
            lastConnectionError = err;
            await new Promise((r) => setTimeout(r, 250 * 2 ** connectionErrors));
            gone = true;
          } else if (!stopped() && !inner.signal.aborted) {
            throw err;
          }
        }
        if (outcome.settled || stopped() || gone) break;
      }
      if (outcome.settled || stopped()) break;
    }
  } finally {
    clearTimeout(timer);
  }
  if (outcome.settled?.error) throw outcome.settled.error;
  if (outcome.settled) return outcome.settled.value as T;
  if (opts.signal?.aborted) {
    throw Object.assign(new Error(`waiting for ${what} was aborted`), { name: "AbortError" });
  }
  // Never reached the API server: say so rather than "timeout".
  if (lastConnectionError && !lastMessage) throw lastConnectionError;
  throw new WaitTimeoutError(`timeout waiting for ${what}${lastMessage ? `: ${lastMessage}` : ""}`);
}

/**
 * Resolves with the object once it is Current and Ready=True: status.observedGeneration
 * (or the Ready condition's) equals metadata.generation, not Reconciling, and
 * status.lastHandledReconcileAt == requestedAt when given. Rejects with NotReadyError
 * (the Ready or Stalled message) when it settles not ready, with WaitTimeoutError on timeout.
 */
export async function waitForReady(
  client: RestTarget,
  type: ResourceType,
  namespace: string,
  name: string,
  opts: WaitOptions,
): Promise<KubeObject> {
  return await waitFor<KubeObject>(
    client,
    type,
    namespace,
    name,
    (obj) => {
      if (!obj) return { done: false, message: "object not found" };
      const st = objectState(obj, opts.requestedAt);
      if (st.state === "Ready") return { done: true, value: obj };
      if (st.state === "Failed") return { fail: new NotReadyError(type.kind, st.message, st.stalled, obj) };
      return { done: false, message: st.message };
    },
    { ...opts, what: `${type.kind} ${namespace ? `${namespace}/` : ""}${name} to become ready` },
  );
}

/** Resolves once the object is gone (404 or DELETED). */
export async function waitForDeletion(
  client: RestTarget,
  type: ResourceType,
  namespace: string,
  name: string,
  opts: Omit<WaitOptions, "requestedAt">,
): Promise<void> {
  await waitFor<undefined>(
    client,
    type,
    namespace,
    name,
    (obj) => (obj ? { done: false, message: "object still exists" } : { done: true, value: undefined }),
    {
      ...opts,
      what: `${type.kind} ${namespace ? `${namespace}/` : ""}${name} to be deleted`,
    },
  );
}
