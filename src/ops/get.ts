// `flux get ...`: one engine for every kind and for `get all` / `get sources all` /
// `get images all`, printing upstream's tables byte for byte, or a List with -o json|yaml.
import type { Deps } from "../deps.js";
import { CliError, errorMessage } from "../errors.js";
import {
  ALL_ORDER,
  IMAGE_ORDER,
  kindsInOrder,
  mustKind,
  resourceOf,
  SOURCE_ORDER,
  type KindInfo,
} from "../kinds/registry.js";
import { resourcePath, watchCollection, KubeApiError, type KubeObject, type RestTarget } from "../kube/rest.js";
import { conditionsOf } from "../kube/status.js";
import type { Logger, Writable } from "../output/logger.js";
import {
  asList,
  parseOutputFormat,
  printStructured,
  printTable,
  TABLE_FORMATS,
  type OutputFormat,
} from "../output/printers.js";
import { clientFor, listKindPages, NoMatchError } from "./common.js";

export interface GetOptions {
  kinds: KindInfo[];
  /** True for the `all` commands: NAME shows kind/name, a blank line after each table, missing CRDs ignored. */
  all: boolean;
  name?: string | undefined;
  namespace: string;
  allNamespaces: boolean;
  noHeader: boolean;
  statusSelector?: string | undefined;
  labelSelector?: string | undefined;
  watch: boolean;
  output: OutputFormat;
  /** helmreleases --show-source */
  showSource?: boolean | undefined;
  /** Keep metadata.managedFields in -o json|yaml (left out by default, as kubectl does). */
  showManagedFields?: boolean | undefined;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

export interface GetDeps {
  client: RestTarget;
  stdout: Writable;
  logger: Logger;
}

export interface StatusSelector {
  type: string;
  status: string;
  /** `type!=status`: rows whose condition does not match. */
  negate: boolean;
}

/** Parses --status-selector `type=status` or `type!=status` (upstream's getRowsToPrint). */
export function parseStatusSelector(sel: string | undefined): StatusSelector | undefined {
  if (!sel) return undefined;
  // "!=" first: it also contains "="
  const negate = sel.includes("!=");
  const sep = negate ? "!=" : "=";
  const i = sel.indexOf(sep);
  if (i < 0) throw new CliError(`expected status selector in type=status or type!=status format, but found: ${sel}`);
  return { type: sel.slice(0, i), status: sel.slice(i + sep.length), negate };
}

/** Upstream's statusMatches: case-insensitive type and status; the last matching condition wins. */
export function statusMatches(obj: KubeObject, type: string, status: string): boolean {
  let found: { status: string } | undefined;
  for (const c of conditionsOf(obj)) if (c.type.toLowerCase() === type.toLowerCase()) found = c;
  return found !== undefined && found.status.toLowerCase() === status.toLowerCase();
}

/**
 * Whether a row passes the selector. Kinds without conditions of their own (alerts,
 * providers) are always ready, as upstream's readyStatusMatches has it: they match Ready=True.
 */
function selectorMatches(k: KindInfo, obj: KubeObject, sel: StatusSelector): boolean {
  const matches = k.statusSelectable
    ? statusMatches(obj, sel.type, sel.status)
    : sel.type.toLowerCase() === "ready" && sel.status.toLowerCase() === "true";
  return sel.negate ? !matches : matches;
}

function sourceColumn(k: KindInfo, obj: KubeObject): string {
  const ref = k.sourceRef?.(obj);
  return ref ? `${ref.kind}/${ref.namespace}/${ref.name}` : "";
}

export function headersFor(k: KindInfo, opts: Pick<GetOptions, "allNamespaces" | "showSource">): string[] {
  const h = ["Name", ...(opts.showSource && k.showSource ? ["Source"] : []), ...k.columns.headers];
  return opts.allNamespaces ? ["Namespace", ...h] : h;
}

export function rowFor(
  k: KindInfo,
  obj: KubeObject,
  opts: Pick<GetOptions, "allNamespaces" | "showSource" | "all">,
): string[] {
  const name = opts.all ? `${k.kind.toLowerCase()}/${obj.metadata.name}` : obj.metadata.name;
  const row = [name, ...(opts.showSource && k.showSource ? [sourceColumn(k, obj)] : []), ...k.columns.row(obj)];
  return opts.allNamespaces ? [obj.metadata.namespace ?? "", ...row] : row;
}

function selectRows(k: KindInfo, items: KubeObject[], opts: GetOptions): KubeObject[] {
  const sel = parseStatusSelector(opts.statusSelector);
  if (!sel) return items;
  return items.filter((o) => selectorMatches(k, o, sel));
}

/** The object without metadata.managedFields (kubectl's default for -o json|yaml). */
export function withoutManagedFields(obj: KubeObject): KubeObject {
  if (!("managedFields" in obj.metadata)) return obj;
  const { managedFields: _managedFields, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

function namespaceNameOrAny(opts: GetOptions): string {
  return opts.allNamespaces ? "any" : JSON.stringify(opts.namespace);
}

/** Runs a get; rejects with a CliError when a listing failed (after printing what could be listed). */
export async function getObjects(opts: GetOptions, deps: GetDeps): Promise<void> {
  parseStatusSelector(opts.statusSelector); // validate before any request
  if (opts.watch) {
    const [kind] = opts.kinds;
    if (opts.all || kind === undefined || opts.kinds.length !== 1)
      throw new CliError("expected a single resource type, but found all");
    await watchGet(kind, opts, deps);
    return;
  }
  const ns = opts.allNamespaces ? "" : opts.namespace;
  const table = opts.output === "table";
  // List every kind concurrently, each streamed: a table keeps its rows, not the
  // objects; print in upstream's order.
  const results = await Promise.all(
    opts.kinds.map(async (k) => {
      const r = { k, count: 0, rows: [] as string[][], items: [] as KubeObject[], err: undefined as Error | undefined };
      try {
        await listKindPages(
          deps.client,
          k,
          { namespace: ns, name: opts.name, labelSelector: opts.labelSelector },
          (page) => {
            r.count += page.length;
            for (const o of selectRows(k, page, opts)) {
              if (table) r.rows.push(rowFor(k, o, opts));
              else r.items.push(opts.showManagedFields ? o : withoutManagedFields(o));
            }
          },
          () => {
            r.count = 0;
            r.rows = [];
            r.items = [];
          },
        );
      } catch (err) {
        r.err = err instanceof Error ? err : new Error(errorMessage(err));
      }
      return r;
    }),
  );
  const failures: string[] = [];
  if (!table) {
    const items: KubeObject[] = [];
    for (const r of results) {
      if (r.err) {
        if (opts.all && r.err instanceof NoMatchError) continue;
        deps.logger.failure(errorMessage(r.err));
        failures.push(r.k.kind);
        continue;
      }
      for (const o of r.items) items.push(o);
    }
    deps.stdout.write(printStructured(asList(items), opts.output as "json" | "yaml"));
  } else {
    for (const r of results) {
      if (r.err) {
        if (opts.all && r.err instanceof NoMatchError) continue;
        if (!opts.all) throw r.err;
        deps.logger.failure(errorMessage(r.err));
        failures.push(r.k.kind);
        continue;
      }
      if (r.count === 0) {
        // upstream returns these as errors: printed as ✗ by the entry, exit 1
        if (opts.name)
          throw new CliError(`${r.k.kind} object '${opts.name}' not found in ${namespaceNameOrAny(opts)} namespace`);
        if (!opts.all) throw new CliError(`no ${r.k.kind} objects found in ${namespaceNameOrAny(opts)} namespace`);
        continue;
      }
      // `get all` leaves out a kind none of whose objects pass --status-selector
      if (opts.all && r.rows.length === 0) continue;
      deps.stdout.write(printTable(opts.noHeader ? undefined : headersFor(r.k, opts), r.rows));
      if (opts.all) deps.stdout.write("\n");
    }
  }
  if (failures.length > 0) {
    throw new CliError(`failed to list ${failures.join(", ")}`);
  }
}

/** -w: prints the current objects, then one row per change, until --timeout or abort. */
async function watchGet(k: KindInfo, opts: GetOptions, deps: GetDeps): Promise<void> {
  const ns = opts.allNamespaces ? undefined : opts.namespace;
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  let first = true;
  let rv: string | undefined;
  const query: Record<string, string | undefined> = {};
  if (opts.name) query.fieldSelector = `metadata.name=${opts.name}`;
  if (opts.labelSelector) query.labelSelector = opts.labelSelector;
  const print = (obj: KubeObject) => {
    if (opts.output !== "table") {
      const o = { ...obj, apiVersion: obj.apiVersion ?? `${k.group}/${k.version}`, kind: obj.kind ?? k.kind };
      deps.stdout.write(printStructured(opts.showManagedFields ? o : withoutManagedFields(o), opts.output));
      if (opts.output === "yaml") deps.stdout.write("---\n");
      return;
    }
    const rows = selectRows(k, [obj], opts).map((o) => rowFor(k, o, { ...opts, all: false }));
    if (rows.length === 0) return;
    const header = first && !opts.noHeader ? headersFor(k, opts) : undefined;
    first = false;
    deps.stdout.write(printTable(header, rows));
  };
  // read through a call: the awaits in the loop may abort it
  const stopped = (): boolean => signal.aborted;
  while (!stopped()) {
    try {
      await watchCollection(
        deps.client,
        resourcePath(resourceOf(k), ns),
        { ...query, resourceVersion: rv },
        (ev) => {
          if (ev.object.metadata.resourceVersion) rv = ev.object.metadata.resourceVersion;
          if (ev.type !== "BOOKMARK") print(ev.object); // like upstream, deletions too
        },
        signal,
      );
    } catch (err) {
      if (stopped()) break;
      if (err instanceof KubeApiError && err.statusCode === 404) throw new NoMatchError(k);
      if (err instanceof KubeApiError && err.statusCode === 410) {
        rv = undefined;
        continue;
      }
      throw err;
    }
  }
}

/** Which kinds a `get` command covers. */
export function kindsForGet(selector: string): { kinds: KindInfo[]; all: boolean } {
  if (selector === "all") return { kinds: kindsInOrder(ALL_ORDER), all: true };
  if (selector === "sources all") return { kinds: kindsInOrder(SOURCE_ORDER), all: true };
  if (selector === "images all") return { kinds: kindsInOrder(IMAGE_ORDER), all: true };
  return { kinds: [mustKind(selector)], all: false };
}

/** `flux get <kind>|all|sources all|images all` as the command line gives it. */
export interface GetCommandOptions {
  /** A kind, or "all", "sources all", "images all". */
  selector: string;
  name: string | undefined;
  allNamespaces: boolean;
  noHeader: boolean;
  statusSelector: string | undefined;
  labelSelector: string | undefined;
  watch: boolean;
  output: string | undefined;
  showSource: boolean;
  showManagedFields: boolean;
}

export async function runGet(options: GetCommandOptions, deps: Deps): Promise<void> {
  const { kinds, all } = kindsForGet(options.selector);
  const output = parseOutputFormat(options.output, TABLE_FORMATS, "table");
  const client = await clientFor(deps);
  const { selector: _selector, ...rest } = options;
  await getObjects(
    { ...rest, kinds, all, output, namespace: client.namespace, timeoutMs: deps.globals.timeoutMs },
    { client, stdout: deps.io.stdout, logger: deps.logger },
  );
}
