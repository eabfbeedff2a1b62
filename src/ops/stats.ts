// `flux stats`: one row per Flux kind (upstream's order) with how many objects run,
// fail (Ready=False), are suspended, and the storage their artifacts take.
import type { Deps } from "../deps.js";
import { CliError, errorMessage } from "../errors.js";
import { kindsInOrder, STATS_ORDER, type KindInfo } from "../kinds/registry.js";
import type { RestTarget } from "../kube/rest.js";
import { conditionsOf } from "../kube/status.js";
import type { Logger, Writable } from "../output/logger.js";
import {
  parseOutputFormat,
  printStructured,
  printTable,
  TABLE_FORMATS,
  type OutputFormat,
} from "../output/printers.js";
import { clientFor, listKindPages, NoMatchError } from "./common.js";

export interface KindStats {
  kind: string;
  /** Objects not suspended. */
  running: number;
  /** Objects whose Ready condition is False. */
  failing: number;
  suspended: number;
  /** Sum of status.artifact.size, in bytes. */
  storageBytes: number;
}

/** Upstream's formatSize: "-", "<n> B", or one decimal of KiB, MiB, … */
export function formatSize(b: number): string {
  if (b === 0) return "-";
  const unit = 1024;
  if (b < unit) return `${b} B`;
  let div = unit;
  let exp = 0;
  for (let n = Math.floor(b / unit); n >= unit; n = Math.floor(n / unit)) {
    div *= unit;
    exp++;
  }
  return `${oneDecimal(b, div)} ${"KMGTPE"[exp]}iB`;
}

/** b/div with one decimal as Go's %.1f rounds it (exact ties to even; toFixed rounds them up). */
function oneDecimal(b: number, div: number): string {
  const tenths = BigInt(b) * 10n;
  const d = BigInt(div);
  let q = tenths / d;
  const twiceRest = (tenths % d) * 2n;
  if (twiceRest > d || (twiceRest === d && q % 2n === 1n)) q++;
  return `${q / 10n}.${q % 10n}`;
}

/** Counts one kind's objects; a kind whose CRD is not installed counts zero (as upstream). */
async function statsOf(client: RestTarget, k: KindInfo, namespace: string): Promise<KindStats> {
  const s: KindStats = { kind: k.kind, running: 0, failing: 0, suspended: 0, storageBytes: 0 };
  let total = 0;
  try {
    await listKindPages(
      client,
      k,
      { namespace },
      (items) => {
        for (const o of items) {
          total++;
          if ((o.spec as { suspend?: unknown } | undefined)?.suspend === true) s.suspended++;
          for (const c of conditionsOf(o)) if (c.type === "Ready" && c.status === "False") s.failing++;
          const size = (o.status as { artifact?: { size?: unknown } } | undefined)?.artifact?.size;
          if (typeof size === "number" && Number.isInteger(size)) s.storageBytes += size;
        }
      },
      () => {
        total = 0;
        Object.assign(s, { failing: 0, suspended: 0, storageBytes: 0 });
      },
    );
  } catch (err) {
    if (!(err instanceof NoMatchError)) throw err;
  }
  s.running = total - s.suspended;
  return s;
}

export interface StatsOptions {
  namespace: string;
  allNamespaces: boolean;
  output: OutputFormat;
}

/**
 * Prints the report. Upstream prints zeros for a kind it may not list; tsflux prints the
 * row too, reports each such kind with ✗ and exits 1 (a listing that failed is not zero).
 */
export async function printStats(
  opts: StatsOptions,
  deps: { client: RestTarget; stdout: Writable; logger: Logger },
): Promise<void> {
  const namespace = opts.allNamespaces ? "" : opts.namespace;
  const failed: string[] = [];
  const stats = await Promise.all(
    kindsInOrder(STATS_ORDER).map((k) =>
      statsOf(deps.client, k, namespace).catch((err: unknown) => {
        deps.logger.failure(errorMessage(err));
        failed.push(k.kind);
        return { kind: k.kind, running: 0, failing: 0, suspended: 0, storageBytes: 0 };
      }),
    ),
  );
  if (opts.output === "table") {
    const header = ["Reconcilers", "Running", "Failing", "Suspended", "Storage"];
    const rows = stats.map((s) => [
      s.kind,
      String(s.running),
      String(s.failing),
      String(s.suspended),
      formatSize(s.storageBytes),
    ]);
    deps.stdout.write(printTable(header, rows));
  } else {
    deps.stdout.write(printStructured(stats, opts.output));
  }
  if (failed.length > 0) throw new CliError(`failed to list ${failed.join(", ")}`);
}

export interface StatsCommandOptions {
  allNamespaces: boolean;
  output: string | undefined;
}

export async function runStats(options: StatsCommandOptions, deps: Deps): Promise<void> {
  const output = parseOutputFormat(options.output, TABLE_FORMATS, "table");
  const client = await clientFor(deps);
  await printStats(
    { namespace: client.namespace, allNamespaces: options.allNamespaces, output },
    { client, stdout: deps.io.stdout, logger: deps.logger },
  );
}
