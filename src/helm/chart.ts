// Finds the chart a HelmRelease installs, as source-controller would fetch it:
// spec.chart.spec from a HelmRepository (HTTP index.yaml, or OCI with type: oci),
// or from a GitRepository/Bucket whose content is a local folder; spec.chartRef to
// an OCIRepository. Downloads land in the run's work directory and are shared by
// every release of the run that asks for the same chart.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { CliError } from "../errors.js";
import type { KubeObj } from "../kustomize/cluster.js";
import { clientFor } from "../oci/artifact.js";
import { parseConstraint, parseVersion, compareVersions } from "../oci/semver.js";
import type { ObjectCatalog } from "./catalog.js";
import { SOURCE_GROUP, type HelmRelease } from "./types.js";
import * as YAML from "yaml";

export const HELM_CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

export interface ResolvedChart {
  /** A chart directory or a packaged chart (.tgz) on local disk. */
  path: string;
  name: string;
  version: string;
  /** Where it came from, for messages: `HelmRepository/ns/name`. */
  source: string;
  /** For charts in a GitRepository or Bucket: the local folder of the source's content. */
  sourceRoot?: string;
}

export interface ChartResolveOptions {
  catalog: ObjectCatalog;
  /** Directory for downloaded charts (removed by the caller). */
  workDir: string;
  /** Directory for downloaded charts when `cache` outlives `workDir` (shared by several runs). */
  downloadDir?: string | undefined;
  /** `Kind/namespace/name` → local directory holding that source's content. */
  localSources?: Record<string, string> | undefined;
  /** Content of GitRepository/Bucket sources not named in localSources (the tree being built). */
  defaultSourceRoot?: string | undefined;
  /** Shared between the builds of one run: a download per chart. */
  cache?: Map<string, Promise<unknown>> | undefined;
  signal?: AbortSignal | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

interface IndexEntry {
  /** YAML reads an unquoted `1.0` as a number. */
  version?: string | number;
  urls?: string[];
  digest?: string;
}

function memo<T>(opts: ChartResolveOptions, key: string, make: () => Promise<T>): Promise<T> {
  const cache = (opts.cache ??= new Map());
  let p = cache.get(key) as Promise<T> | undefined;
  if (!p) {
    p = make();
    cache.set(key, p);
  }
  return p;
}

function sourceOf(kind: string, namespace: string, name: string, catalog: ObjectCatalog): KubeObj {
  const obj = catalog.get(SOURCE_GROUP, kind, namespace, name);
  if (!obj)
    throw new CliError(
      `${kind} '${namespace}/${name}' not found in the files: add its manifest under --path (or --local-sources for Git and Bucket sources)`,
    );
  return obj;
}

/** Picks the newest version matching `constraint` (Masterminds semver; empty means the newest stable). */
export function selectVersion(versions: string[], constraint: string | undefined, what: string): string {
  const wanted = (constraint ?? "").trim() || "*";
  const exact = parseVersion(wanted);
  if (exact && versions.includes(wanted)) return wanted;
  let check;
  try {
    check = parseConstraint(wanted);
  } catch (err) {
    throw new CliError(`invalid chart version '${wanted}' for ${what}: ${(err as Error).message}`);
  }
  let best: { text: string; v: NonNullable<ReturnType<typeof parseVersion>> } | undefined;
  for (const text of versions) {
    const v = parseVersion(text);
    if (!v || !check(v)) continue;
    if (!best || compareVersions(v, best.v) > 0) best = { text, v };
  }
  if (!best) throw new CliError(`no chart version found for ${what} matching '${wanted}'`);
  return best.text;
}

async function httpGet(url: string, opts: ChartResolveOptions, what: string): Promise<Buffer> {
  let res: Response;
  try {
    res = await fetch(url, { signal: opts.signal ?? null, redirect: "follow" });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new CliError(
      `cannot fetch ${what} from ${redact(url)}: ${cause?.code ?? cause?.message ?? (err as Error).message}`,
    );
  }
  if (!res.ok) throw new CliError(`cannot fetch ${what} from ${redact(url)}: HTTP ${res.status} ${res.statusText}`);
  return Buffer.from(await res.arrayBuffer());
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    u.search = "";
    return u.toString();
  } catch {
    return url;
  }
}

async function fromHttpRepository(
  repo: KubeObj,
  chart: string,
  version: string | undefined,
  opts: ChartResolveOptions,
  source: string,
): Promise<ResolvedChart> {
  const spec = (repo.spec ?? {}) as { url?: string; secretRef?: unknown };
  if (!spec.url) throw new CliError(`${source} has no spec.url`);
  if (spec.secretRef)
    throw new CliError(
      `${source} needs credentials (spec.secretRef): tsflux builds offline from public repositories only`,
    );
  const base = spec.url.replace(/\/+$/, "") + "/";
  const index = await memo(opts, `index:${base}`, async () => {
    const text = (await httpGet(base + "index.yaml", opts, `the index of ${source}`)).toString("utf8");
    try {
      // an empty index.yaml parses to null
      return YAML.parse(text, { maxAliasCount: -1 }) as { entries?: Record<string, IndexEntry[]> } | null;
    } catch (err) {
      throw new CliError(`the index of ${source} is not valid YAML: ${(err as Error).message.split("\n")[0]}`);
    }
  });
  const entries = index?.entries?.[chart];
  if (!entries?.length) throw new CliError(`chart '${chart}' not found in ${source} (${redact(base)}index.yaml)`);
  const picked = selectVersion(
    entries.map((e) => String(e.version ?? "")),
    version,
    `chart '${chart}' in ${source}`,
  );
  const entry = entries.find((e) => String(e.version) === picked);
  const url = entry?.urls?.[0];
  if (!url) throw new CliError(`chart '${chart}' ${picked} in ${source} has no download URL`);
  const absolute = new URL(url, base).toString();
  const file = await memo(opts, `chart:${absolute}`, async () => {
    const data = await httpGet(absolute, opts, `chart '${chart}' ${picked}`);
    if (entry.digest && createHash("sha256").update(data).digest("hex") !== entry.digest)
      throw new CliError(`chart '${chart}' ${picked} from ${source} does not match the digest in its index`);
    const out = path.join(
      opts.downloadDir ?? opts.workDir,
      `${createHash("sha256").update(absolute).digest("hex").slice(0, 16)}-${chart}-${picked}.tgz`,
    );
    await writeFile(out, data);
    return out;
  });
  return { path: file, name: chart, version: picked, source };
}

async function pullOciChart(
  url: string,
  ref: { tag?: string; semver?: string; digest?: string },
  insecure: boolean,
  opts: ChartResolveOptions,
  source: string,
  name: string,
): Promise<ResolvedChart> {
  const m = /^oci:\/\/([^/]+)\/(.+?)\/*$/.exec(url);
  if (!m) throw new CliError(`${source}: invalid OCI URL '${url}'`);
  const [, registry = "", repository = ""] = m;
  return memo(opts, `oci:${registry}/${repository}:${JSON.stringify(ref)}`, async () => {
    const client = clientFor({ registry }, { insecure, signal: opts.signal });
    try {
      let reference = ref.digest ?? ref.tag;
      let version = ref.tag ?? "";
      if (!ref.digest && (ref.semver !== undefined || !ref.tag)) {
        const tags = await client.listTags(repository);
        // helm stores `+` of SemVer build metadata as `_` in tags
        const versions = tags.map((t) => t.replaceAll("_", "+"));
        version = selectVersion(versions, ref.semver, `${registry}/${repository}`);
        reference = version.replaceAll("+", "_");
      }
      if (reference === undefined)
        throw new CliError(`${source}: no tag or digest to pull from ${registry}/${repository}`);
      const got = await client.getManifest(repository, reference);
      const manifest = JSON.parse(got.body.toString("utf8")) as {
        layers?: { mediaType?: string; digest: string; size: number }[];
      };
      const layer = manifest.layers?.find((l) => l.mediaType === HELM_CHART_LAYER) ?? manifest.layers?.[0];
      if (!layer) throw new CliError(`${source}: ${registry}/${repository}:${reference} has no layers`);
      const blob = await client.getBlob(repository, layer.digest, layer.size);
      if (blob[0] !== 0x1f || blob[1] !== 0x8b)
        throw new CliError(`${source}: ${registry}/${repository}:${reference} does not hold a packaged chart`);
      const out = path.join(opts.downloadDir ?? opts.workDir, `${layer.digest.replace(":", "-")}.tgz`);
      await writeFile(out, blob);
      return { path: out, name, version: version || reference, source };
    } catch (err) {
      if (err instanceof CliError) throw err;
      throw new CliError(`${source}: ${(err as Error).message}`);
    } finally {
      client.close();
    }
  });
}

function localChartVersion(dir: string): string {
  try {
    const m = /^version:\s*["']?([^"'\s]+)/m.exec(readFileSync(path.join(dir, "Chart.yaml"), "utf8"));
    return m?.[1] ?? "";
  } catch {
    return "";
  }
}

/** Resolves the chart of `hr` (namespace: the HelmRelease's). */
export async function resolveChart(
  hr: HelmRelease,
  namespace: string,
  opts: ChartResolveOptions,
): Promise<ResolvedChart> {
  const spec = hr.spec ?? {};
  if (spec.chartRef) {
    const ref = spec.chartRef;
    const ns = ref.namespace || namespace;
    const source = `${ref.kind}/${ns}/${ref.name}`;
    if (ref.kind !== "OCIRepository")
      throw new CliError(`chartRef kind '${ref.kind}' of ${source} is not supported offline: use an OCIRepository`);
    const repo = sourceOf("OCIRepository", ns, ref.name, opts.catalog);
    const s = (repo.spec ?? {}) as {
      url?: string;
      ref?: { tag?: string; semver?: string; digest?: string };
      insecure?: boolean;
    };
    if (!s.url) throw new CliError(`${source} has no spec.url`);
    const name = s.url.replace(/\/+$/, "").split("/").pop() ?? "";
    return pullOciChart(
      s.url,
      s.ref?.digest || s.ref?.semver || s.ref?.tag ? s.ref : { tag: "latest" },
      Boolean(s.insecure),
      opts,
      source,
      name,
    );
  }
  const chartSpec = spec.chart?.spec;
  if (!chartSpec?.chart || !chartSpec.sourceRef?.name)
    throw new CliError("the HelmRelease has neither spec.chart.spec (chart and sourceRef) nor spec.chartRef");
  const ref = chartSpec.sourceRef;
  const ns = ref.namespace || namespace;
  const source = `${ref.kind}/${ns}/${ref.name}`;
  switch (ref.kind) {
    case "HelmRepository": {
      const repo = sourceOf("HelmRepository", ns, ref.name, opts.catalog);
      const s = (repo.spec ?? {}) as { url?: string; type?: string; insecure?: boolean };
      if (s.type === "oci") {
        const base = (s.url ?? "").replace(/\/+$/, "");
        const exact = chartSpec.version && parseVersion(chartSpec.version) ? chartSpec.version : undefined;
        return pullOciChart(
          `${base}/${chartSpec.chart}`,
          exact ? { tag: exact.replaceAll("+", "_") } : { semver: chartSpec.version || "*" },
          Boolean(s.insecure),
          opts,
          source,
          chartSpec.chart,
        );
      }
      return fromHttpRepository(repo, chartSpec.chart, chartSpec.version, opts, source);
    }
    case "GitRepository":
    case "Bucket": {
      const root = opts.localSources?.[source] ?? opts.defaultSourceRoot;
      if (!root)
        throw new CliError(`cannot get a local path for ${source}: give it with --local-sources ${source}=<dir>`);
      const dir = path.resolve(root, chartSpec.chart);
      if (!existsSync(dir))
        throw new CliError(`chart path '${chartSpec.chart}' of ${source} not found (looked in ${dir})`);
      const isDir = statSync(dir).isDirectory();
      if (isDir && !existsSync(path.join(dir, "Chart.yaml")))
        throw new CliError(`chart path '${chartSpec.chart}' of ${source} is not a chart: ${dir} has no Chart.yaml`);
      const name = isDir ? path.basename(dir) : path.basename(dir).replace(/-[^-]+\.tgz$/, "");
      return { path: dir, name, version: isDir ? localChartVersion(dir) : "", source, sourceRoot: path.resolve(root) };
    }
    default:
      throw new CliError(`unsupported chart source kind '${ref.kind}' of ${source}`);
  }
}
