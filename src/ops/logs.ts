// `flux logs`: finds one pod per Flux controller Deployment in the Flux namespace,
// streams its JSON log lines, filters them by --kind/--name/--level/namespace and
// prints them like upstream: "<ts> <level> <Kind>/<name>.<namespace> - <msg> <error>".
import type { Deps } from "../deps.js";
import { CliError, errorMessage } from "../errors.js";
import { kubeStream, listAll, resourcePath, type KubeObject, type RestTarget } from "../kube/rest.js";
import type { Logger, Writable } from "../output/logger.js";
import { parseDuration } from "../util/duration.js";
import { clientFor } from "./common.js";

export const LOG_LEVELS = ["debug", "info", "error"] as const;
const PART_OF = "app.kubernetes.io/part-of=flux";
const CONTROLLER_CONTAINER = "manager";

export interface LogEntry {
  ts: string;
  level: string;
  msg: string;
  error?: string | undefined;
  logger?: string | undefined;
  kind?: string | undefined;
  controllerKind?: string | undefined;
  name?: string | undefined;
  namespace?: string | undefined;
}

/** Parses one log line; undefined for lines that are not JSON objects; throws on broken JSON. */
export function parseLogLine(line: string): LogEntry | undefined {
  if (!line.startsWith("{")) return undefined;
  const raw = JSON.parse(line) as Record<string, unknown>;
  const str = (v: unknown) =>
    typeof v === "string"
      ? v
      : v === undefined || v === null
        ? ""
        : typeof v === "number"
          ? new Date(v * 1000).toISOString()
          : typeof v === "boolean" || typeof v === "bigint"
            ? String(v)
            : JSON.stringify(v);
  return {
    ts: str(raw.ts),
    level: str(raw.level),
    msg: str(raw.msg),
    error: raw.error === undefined ? undefined : str(raw.error),
    logger: raw.logger === undefined ? undefined : str(raw.logger),
    kind: raw["reconciler kind"] === undefined ? undefined : str(raw["reconciler kind"]),
    controllerKind: raw.controllerKind === undefined ? undefined : str(raw.controllerKind),
    name: raw.name === undefined ? undefined : str(raw.name),
    namespace: raw.namespace === undefined ? undefined : str(raw.namespace),
  };
}

/** Upstream's template: {{.Timestamp}} {{.Level}} {{or .Kind .ControllerKind}}{{if .Name}}/{{.Name}}.{{.Namespace}}{{end}} - {{.Message}} {{.Error}} */
export function formatLogEntry(e: LogEntry): string {
  const kind = e.kind || e.controllerKind || "";
  const obj = e.name ? `/${e.name}.${e.namespace ?? ""}` : "";
  return `${e.ts} ${e.level} ${kind}${obj} - ${e.msg} ${e.error ?? ""}\n`;
}

export interface LogFilter {
  level?: string | undefined;
  kind?: string | undefined;
  name?: string | undefined;
  namespace: string;
  allNamespaces: boolean;
}

export function matchesFilter(e: LogEntry, f: LogFilter): boolean {
  const eq = (a: string | undefined, b: string | undefined) => (a ?? "").toLowerCase() === (b ?? "").toLowerCase();
  return (
    (!f.level || f.level === e.level) &&
    (!f.kind || eq(f.kind, e.kind) || eq(f.kind, e.controllerKind)) &&
    (!f.name || eq(f.name, e.name)) &&
    (f.allNamespaces || eq(f.namespace, e.namespace))
  );
}

interface Pod extends KubeObject {
  spec?: { nodeName?: string | undefined; containers?: { name: string }[] };
  status?: {
    phase?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: { restartCount?: number }[];
  };
}

function podRank(p: Pod): [number, number, number, number, number] {
  const phase = p.status?.phase;
  const phaseRank = phase === "Running" ? 0 : phase === "Unknown" ? 1 : phase === "Pending" ? 2 : 3;
  const ready = p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ? 0 : 1;
  const restarts = -(p.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
  const created = Date.parse(p.metadata.creationTimestamp ?? "") || 0;
  return [p.spec?.nodeName ? 0 : 1, phaseRank, ready, restarts, created];
}

/** kubectl's ByLogging, simplified: scheduled, running, ready, most restarts, oldest first. */
export function pickLoggingPod(pods: Pod[]): Pod | undefined {
  return [...pods].sort((a, b) => {
    const ra = podRank(a);
    const rb = podRank(b);
    return ra[0] - rb[0] || ra[1] - rb[1] || ra[2] - rb[2] || ra[3] - rb[3] || ra[4] - rb[4];
  })[0];
}

/** One pod per Flux controller Deployment (app.kubernetes.io/part-of=flux) in the namespace. */
export async function findControllerPods(client: RestTarget, fluxNamespace: string): Promise<Pod[]> {
  const deployments = await listAll(
    client,
    resourcePath({ group: "apps", version: "v1", plural: "deployments" }, fluxNamespace),
    {
      labelSelector: PART_OF,
    },
  );
  const out: Pod[] = [];
  for (const d of deployments.items) {
    const labels =
      (d.spec as { template?: { metadata?: { labels?: Record<string, string> } } } | undefined)?.template?.metadata
        ?.labels ?? {};
    const selector = Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(",");
    const pods = await listAll<Pod>(client, resourcePath({ group: "", version: "v1", plural: "pods" }, fluxNamespace), {
      labelSelector: selector,
    });
    const pod = pickLoggingPod(pods.items);
    if (pod) out.push(pod);
  }
  if (out.length === 0) throw new CliError(`no Flux pods found in namespace "${fluxNamespace}"`);
  return out;
}

export interface LogsOptions extends LogFilter {
  fluxNamespace: string;
  follow: boolean;
  tail: number;
  since?: string | undefined;
  sinceTime?: string | undefined;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

export function validateLogsOptions(
  opts: Pick<LogsOptions, "since" | "sinceTime" | "level" | "tail">,
): Record<string, string | number | boolean | undefined> {
  const query: Record<string, string | number | boolean | undefined> = {};
  if (opts.level && !(LOG_LEVELS as readonly string[]).includes(opts.level)) {
    throw new CliError(`unsupported log level '${opts.level}', must be one of: ${LOG_LEVELS.join(", ")}`);
  }
  if (!Number.isInteger(opts.tail))
    throw new CliError(`invalid argument "${opts.tail}" for "--tail" flag: must be an integer`);
  if (opts.tail > -1) query.tailLines = opts.tail;
  if (opts.sinceTime && opts.since)
    throw new CliError("at most one of `sinceTime` or `sinceDuration` may be specified");
  if (opts.sinceTime) {
    const t = Date.parse(opts.sinceTime);
    if (Number.isNaN(t) || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(opts.sinceTime)) {
      throw new CliError(`${opts.sinceTime} is not a valid (RFC3339) time`);
    }
    query.sinceTime = new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
  }
  if (opts.since) {
    const ms = parseDuration(opts.since);
    if (ms !== 0) query.sinceSeconds = Math.round(ms / 1000);
  }
  return query;
}

export async function showLogs(
  opts: LogsOptions,
  deps: { client: RestTarget; stdout: Writable; stderr: Writable; logger: Logger },
): Promise<void> {
  const query = validateLogsOptions(opts);
  if (opts.follow) query.follow = true;
  const pods = await findControllerPods(deps.client, opts.fluxNamespace);
  const signal = opts.follow
    ? opts.signal
    : AbortSignal.any([AbortSignal.timeout(opts.timeoutMs), ...(opts.signal ? [opts.signal] : [])]);
  const stream = async (pod: Pod): Promise<boolean> => {
    const q = { ...query };
    if ((pod.spec?.containers?.length ?? 0) > 1) q.container = CONTROLLER_CONTAINER;
    let broken = false;
    deps.logger.debug(`reading logs of pod ${opts.fluxNamespace}/${pod.metadata.name}`);
    try {
      await kubeStream(
        deps.client,
        `${resourcePath({ group: "", version: "v1", plural: "pods" }, opts.fluxNamespace, pod.metadata.name)}/log`,
        {
          query: q,
          signal,
          onLine: (line) => {
            if (broken) return;
            let entry: LogEntry | undefined;
            try {
              entry = parseLogLine(line);
            } catch (err) {
              deps.logger.failure(`parse error: ${(err as Error).message}`);
              broken = true;
              return;
            }
            if (entry && matchesFilter(entry, opts)) deps.stdout.write(formatLogEntry(entry));
          },
        },
      );
      return true;
    } catch (err) {
      deps.stderr.write(`failed getting logs: ${errorMessage(err)}\n`);
      return false;
    }
  };
  // Following several pods interleaves them as lines arrive; otherwise one pod after the other.
  const results = opts.follow && pods.length > 1 ? await Promise.all(pods.map(stream)) : await sequential(pods, stream);
  if (results.some((ok) => !ok)) throw new CliError("failed to collect logs from all Flux pods");
}

async function sequential<T, R>(items: T[], fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const i of items) out.push(await fn(i));
  return out;
}

/** `flux logs` as the command line gives it. */
export interface LogsCommandOptions {
  /** Positional arguments: none are accepted. */
  args: string[];
  fluxNamespace: string;
  allNamespaces: boolean;
  level: string | undefined;
  kind: string | undefined;
  name: string | undefined;
  follow: boolean;
  tail: number;
  since: string | undefined;
  sinceTime: string | undefined;
}

export async function runLogs(options: LogsCommandOptions, deps: Deps): Promise<void> {
  if (options.args.length > 0) throw new CliError("no argument required");
  const client = await clientFor(deps);
  const { args: _args, ...rest } = options;
  await showLogs(
    { ...rest, namespace: client.namespace, timeoutMs: deps.globals.timeoutMs },
    { client, stdout: deps.io.stdout, stderr: deps.io.stderr, logger: deps.logger },
  );
}
