// `flux events`: Kubernetes events of Flux objects (and, with --for Kind/name, of the
// objects it references), upstream's table sorted by time, or a stream with -w.
import type { Deps } from "../deps.js";
import { CliError } from "../errors.js";
import { kindInfo, resourceOf, type KindInfo } from "../kinds/registry.js";
import {
  KubeApiError,
  kubeRest,
  listAll,
  resourcePath,
  watchCollection,
  type KubeObject,
  type RestTarget,
} from "../kube/rest.js";
import type { Logger, Writable } from "../output/logger.js";
import {
  asList,
  parseOutputFormat,
  printStructured,
  printTable,
  TABLE_FORMATS,
  type OutputFormat,
} from "../output/printers.js";
import { clientFor } from "./common.js";

export interface KubeEvent extends KubeObject {
  involvedObject: { kind?: string; name?: string; namespace?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string } | null;
}

/** k8s.io/apimachinery's duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(ms / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 8 * 24) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    return dy === 0 ? `${Math.trunc(hours / 24 / 365)}y` : `${Math.trunc(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

function since(ts: string | null | undefined, now: number): string {
  if (!ts) return "<unknown>";
  const t = Date.parse(ts);
  if (Number.isNaN(t) || t <= 0) return "<unknown>";
  return humanDuration(now - t);
}

/** kubectl's LAST SEEN: "5m", "2m (x3 over 10m)". */
export function lastSeen(e: KubeEvent, now: number): string {
  const first = e.eventTime ? since(e.eventTime, now) : since(e.firstTimestamp, now);
  if (e.series) return `${since(e.series.lastObservedTime, now)} (x${e.series.count ?? 0} over ${first})`;
  if ((e.count ?? 0) > 1) return `${since(e.lastTimestamp, now)} (x${e.count} over ${first})`;
  return first;
}

/** The time events are sorted by. */
export function eventTime(e: KubeEvent): number {
  const t =
    e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp;
  const v = t ? Date.parse(t) : 0;
  return Number.isNaN(v) ? 0 : v;
}

export function eventHeaders(showNamespace: boolean): string[] {
  const h = ["Last seen", "Type", "Reason", "Object", "Message"];
  return showNamespace ? ["Namespace", ...h] : h;
}

export function eventRow(e: KubeEvent, showNamespace: boolean, now: number): string[] {
  const row = [
    lastSeen(e, now),
    e.type ?? "",
    e.reason ?? "",
    `${e.involvedObject.kind ?? ""}/${e.involvedObject.name ?? ""}`,
    e.message ?? "",
  ];
  return showNamespace ? [e.metadata.namespace ?? "", ...row] : row;
}

const EVENT_TYPES = ["Normal", "Warning"];

export function validateEventTypes(types: string[]): void {
  for (const t of types) {
    if (!EVENT_TYPES.some((x) => x.toLowerCase() === t.toLowerCase())) {
      throw new CliError(`type '${t}' not supported. Supported types are Normal, Warning`);
    }
  }
}

/** Upstream's filter: only events of Flux kinds, and of the requested types. */
export function keepEvent(e: KubeEvent, types: string[]): boolean {
  if (!e.involvedObject.kind || !kindInfo(e.involvedObject.kind)?.verbs.includes("events")) return false;
  if (types.length > 0 && !types.some((t) => t.toLowerCase() === (e.type ?? "").toLowerCase())) return false;
  return true;
}

interface Selector {
  namespace?: string | undefined;
  fieldSelector: string;
}

function fieldSelector(kind: string, name?: string): string {
  return name ? `involvedObject.kind=${kind},involvedObject.name=${name}` : `involvedObject.kind=${kind}`;
}

/** The objects --for Kind/name refers to (its source, provider, generated HelmChart...). */
async function referencedSelectors(
  client: RestTarget,
  k: KindInfo,
  name: string,
  namespace: string,
): Promise<Selector[]> {
  if (!k.sourceRef && !k.eventRefs) return [];
  let obj: KubeObject;
  try {
    obj = await kubeRest<KubeObject>(client, "GET", resourcePath(resourceOf(k), namespace, name));
  } catch (err) {
    if (err instanceof KubeApiError && err.statusCode === 404)
      throw new CliError(`${k.plural}.${k.group} "${name}" not found`);
    throw err;
  }
  const out: Selector[] = [];
  const ref = k.sourceRef?.(obj);
  if (ref) out.push({ namespace: ref.namespace, fieldSelector: fieldSelector(ref.kind, ref.name) });
  for (const r of k.eventRefs?.(obj) ?? [])
    out.push({ namespace: r.namespace, fieldSelector: fieldSelector(r.kind, r.name) });
  return out;
}

export interface EventsOptions {
  namespace: string;
  allNamespaces: boolean;
  for?: string | undefined;
  types: string[];
  watch: boolean;
  /** table (default), json or yaml (a v1 List of the events). */
  output?: OutputFormat | undefined;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  now?: () => number;
}

export async function showEvents(
  opts: EventsOptions,
  deps: { client: RestTarget; stdout: Writable; logger: Logger },
): Promise<void> {
  validateEventTypes(opts.types);
  const now = opts.now ?? Date.now;
  const ns = opts.allNamespaces ? undefined : opts.namespace;
  const own: Selector = { namespace: ns, fieldSelector: "" };
  const selectors: Selector[] = [own];
  let diffRefNs = false;
  if (opts.for) {
    const i = opts.for.indexOf("/");
    const kind = i < 0 ? opts.for : opts.for.slice(0, i);
    const name = i < 0 ? "" : opts.for.slice(i + 1);
    if (!kind) throw new CliError("--for selector must be of format <kind>[/<name>]");
    const k = kindInfo(kind);
    if (!k?.verbs.includes("events")) throw new CliError(`'${kind}' is not a recognized Flux kind`);
    own.fieldSelector = fieldSelector(k.kind, name || undefined);
    if (name) {
      for (const sel of await referencedSelectors(deps.client, k, name, opts.namespace)) {
        if (sel.namespace !== ns) diffRefNs = true;
        selectors.push(sel);
      }
    }
  }
  const showNamespace = ns === undefined || diffRefNs;
  const path = (namespace?: string) => resourcePath({ group: "", version: "v1", plural: "events" }, namespace);

  if (opts.watch) {
    const timeout = AbortSignal.timeout(opts.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
    // read through a call: the awaits in the loop below may abort it
    const stopped = (): boolean => signal.aborted;
    let first = true;
    const onEvent = (e: KubeEvent) => {
      if (!keepEvent(e, opts.types)) return;
      if (opts.output === "json" || opts.output === "yaml") {
        deps.stdout.write(printStructured({ apiVersion: "v1", kind: "Event", ...e }, opts.output));
        if (opts.output === "yaml") deps.stdout.write("---\n");
        return;
      }
      const header = first ? eventHeaders(showNamespace) : undefined;
      first = false;
      deps.stdout.write(printTable(header, [eventRow(e, showNamespace, now())]));
    };
    await Promise.all(
      selectors.map(async (sel) => {
        let rv: string | undefined;
        while (!stopped()) {
          try {
            await watchCollection(
              deps.client,
              path(sel.namespace),
              { fieldSelector: sel.fieldSelector || undefined, resourceVersion: rv },
              (ev) => {
                if (ev.object.metadata.resourceVersion) rv = ev.object.metadata.resourceVersion;
                if (ev.type === "ADDED" || ev.type === "MODIFIED") onEvent(ev.object as KubeEvent);
              },
              signal,
            );
          } catch (err) {
            if (stopped()) break;
            if (err instanceof KubeApiError && err.statusCode === 410) {
              rv = undefined;
              continue;
            }
            throw err;
          }
        }
      }),
    );
    return;
  }

  const lists = await Promise.all(
    selectors.map((sel) =>
      listAll<KubeEvent>(deps.client, path(sel.namespace), { fieldSelector: sel.fieldSelector || undefined }),
    ),
  );
  const events = lists.flatMap((l) => l.items).filter((e) => keepEvent(e, opts.types));
  const indexed = events.map((e, i) => ({ e, i, t: eventTime(e) }));
  indexed.sort((a, b) => a.t - b.t || a.i - b.i);
  if (opts.output === "json" || opts.output === "yaml") {
    deps.stdout.write(
      printStructured(asList(indexed.map(({ e }) => ({ apiVersion: "v1", kind: "Event", ...e }))), opts.output),
    );
    return;
  }
  if (indexed.length === 0) {
    deps.logger.failure(opts.allNamespaces ? "No events found." : `No events found in ${opts.namespace} namespace.`);
    return;
  }
  const t = now();
  deps.stdout.write(
    printTable(
      eventHeaders(showNamespace),
      indexed.map(({ e }) => eventRow(e, showNamespace, t)),
    ),
  );
}

/** `flux events` as the command line gives it. */
export interface EventsCommandOptions {
  allNamespaces: boolean;
  for: string | undefined;
  types: string[];
  watch: boolean;
  output: string | undefined;
}

export async function runEvents(options: EventsCommandOptions, deps: Deps): Promise<void> {
  const output = parseOutputFormat(options.output, TABLE_FORMATS, "table");
  const client = await clientFor(deps);
  await showEvents(
    {
      ...options,
      output,
      namespace: client.namespace,
      timeoutMs: deps.globals.timeoutMs,
    },
    { client, stdout: deps.io.stdout, logger: deps.logger },
  );
}
