// Renders a HelmRelease as helm-controller installs it: the chart resolved from
// its source, the values computed from values and valuesFrom, `helm template`
// (the real helm) with the release name and namespace helm-controller uses, then
// its post-renderers: kustomize patches and images (the real kustomize), common
// metadata, and the origin labels helm-controller sets on every object.
import { createHash } from "node:crypto";
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { CliError } from "../errors.js";
import type { KubeObj } from "../kustomize/cluster.js";
import { runKustomize, type KustomizeCommand } from "../kustomize/runner.js";
import { extractTarGz } from "../oci/extract.js";
import { runHelm } from "./binary.js";
import { objectsInYaml, type ObjectCatalog } from "./catalog.js";
import { resolveChart, type ChartResolveOptions, type ResolvedChart } from "./chart.js";
import { HELM_GROUP, type HelmRelease } from "./types.js";
import { mergeMaps, releaseValues, type Values } from "./values.js";
import * as YAML from "yaml";

export const MAX_RELEASE_NAME = 53;

/** helm-controller's release.ShortenName: names over 53 characters become `<first 40>-<12 hex of sha256>`. */
export function shortenName(name: string): string {
  if (name.length <= MAX_RELEASE_NAME) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 12);
  return `${name.slice(0, MAX_RELEASE_NAME - 13)}-${hash}`;
}

/** GetReleaseName, shortened: spec.releaseName, else `[targetNamespace-]name`. */
export function releaseNameOf(hr: HelmRelease): string {
  const spec = hr.spec ?? {};
  const name =
    spec.releaseName ||
    (spec.targetNamespace ? `${spec.targetNamespace}-${hr.metadata?.name}` : String(hr.metadata?.name));
  return shortenName(name);
}

export interface ReleaseInfo {
  name: string;
  /** The namespace objects are installed in (spec.targetNamespace, else the HelmRelease's). */
  namespace: string;
  /** Where helm keeps the release Secrets (spec.storageNamespace, else the HelmRelease's). */
  storageNamespace: string;
  chart: string;
  version: string;
  source: string;
}

export interface RenderOptions extends Omit<ChartResolveOptions, "catalog"> {
  /** Namespace of a HelmRelease that names none (-n). */
  namespace: string;
  /** Temporary directory for helm's homes and values (removed by the caller). */
  workDir: string;
  helm?: string | undefined;
  kustomize?: KustomizeCommand | undefined;
  timeoutMs?: number | undefined;
  /** --kube-version for helm template (the target cluster's, when known). */
  kubeVersion?: string | undefined;
  /** --api-versions for helm template (the target cluster's, when known). */
  apiVersions?: string[] | undefined;
}

export interface RenderResult {
  release: ReleaseInfo;
  /** CRDs (per spec.install.crds) first, then the rendered, post-rendered objects. */
  objects: KubeObj[];
  values: Values;
}

let sequence = 0;

async function workSubdir(workDir: string, what: string): Promise<string> {
  const dir = path.join(workDir, `${what}-${process.pid}-${++sequence}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** spec.chart.spec.valuesFiles: a copy of the chart whose values.yaml is those files merged in order. */
async function withValuesFiles(
  chart: ResolvedChart,
  files: string[],
  hr: HelmRelease,
  opts: RenderOptions,
): Promise<string> {
  const dir = await workSubdir(opts.workDir, "chart");
  let chartDir: string;
  if (chart.path.endsWith(".tgz")) {
    await extractTarGz(await readFile(chart.path), dir);
    chartDir = path.join(dir, chart.name);
  } else {
    chartDir = path.join(dir, path.basename(chart.path));
    await cp(chart.path, chartDir, { recursive: true, dereference: true });
  }
  // Git and Bucket sources: the files are relative to the source's root; charts from repositories: to the chart
  const base = chart.sourceRoot ?? chartDir;
  let merged: Values = {};
  for (const f of files) {
    let text: string;
    try {
      text = await readFile(path.resolve(base, f), "utf8");
    } catch {
      if (hr.spec?.chart?.spec?.ignoreMissingValuesFiles) continue;
      throw new CliError(`values file '${f}' not found in chart '${chart.name}' (${chart.source})`);
    }
    merged = mergeMaps(merged, (YAML.parse(text, { version: "1.1" }) ?? {}) as Values);
  }
  await writeFile(path.join(chartDir, "values.yaml"), JSON.stringify(merged, null, 2) + "\n");
  return chartDir;
}

/** Splits `helm template` output into CRDs (from crds/ folders) and the release's objects. */
async function splitOutput(text: string): Promise<{ crds: KubeObj[]; manifests: string }> {
  const crds: KubeObj[] = [];
  const rest: string[] = [];
  for (const doc of text.split(/^---\s*$/m)) {
    const source = /^# Source: (.*)$/m.exec(doc)?.[1] ?? "";
    if (/(^|\/)crds\//.test(source) && !/\/templates\//.test(source)) crds.push(...(await objectsInYaml(doc)));
    else if (doc.trim() !== "") rest.push(doc);
  }
  return { crds, manifests: rest.map((d) => "---" + (d.startsWith("\n") ? "" : "\n") + d).join("") };
}

function setMetadata(objects: KubeObj[], field: "labels" | "annotations", values: Record<string, string>): void {
  if (Object.keys(values).length === 0) return;
  for (const o of objects) {
    const md = (o.metadata ??= {});
    md[field] = { ...(md[field] ?? {}), ...values };
  }
}

async function kustomizePostRender(
  manifests: string,
  renderer: NonNullable<NonNullable<HelmRelease["spec"]>["postRenderers"]>[number]["kustomize"],
  opts: RenderOptions,
): Promise<string> {
  const dir = await workSubdir(opts.workDir, "post-render");
  const input = path.join(dir, "helm-output.yaml");
  await writeFile(input, manifests, { mode: 0o600 });
  const kustomization = (buildDir: string) =>
    JSON.stringify({
      apiVersion: "kustomize.config.k8s.io/v1beta1",
      kind: "Kustomization",
      resources: [path.relative(buildDir, input)],
      ...(renderer?.patches?.length ? { patches: renderer.patches } : {}),
      ...(renderer?.images?.length ? { images: renderer.images } : {}),
    }) + "\n";
  try {
    return await runKustomize(
      dir,
      { name: "kustomization.yaml", text: kustomization, standalone: true },
      { command: opts.kustomize, env: opts.env, timeoutMs: opts.timeoutMs, signal: opts.signal },
    );
  } catch (err) {
    throw new CliError(`post-renderer failed: ${(err as Error).message}`);
  }
}

/** Renders `hr`, resolving its chart, sources and values from `catalog`. */
export async function renderHelmRelease(
  hr: HelmRelease,
  catalog: ObjectCatalog,
  opts: RenderOptions,
): Promise<RenderResult> {
  const hrNamespace = hr.metadata?.namespace || opts.namespace;
  const spec = hr.spec ?? {};
  const release = {
    name: releaseNameOf(hr),
    namespace: spec.targetNamespace || hrNamespace,
    storageNamespace: spec.storageNamespace || hrNamespace,
  };
  const chart = await resolveChart(hr, hrNamespace, { ...opts, catalog });
  const values = await releaseValues(hr, catalog, hrNamespace);
  const valuesFiles = [
    ...(spec.chart?.spec?.valuesFiles ?? []),
    ...(spec.chart?.spec?.valuesFile ? [spec.chart.spec.valuesFile] : []),
  ];
  const chartPath = valuesFiles.length > 0 ? await withValuesFiles(chart, valuesFiles, hr, opts) : chart.path;

  const home = await workSubdir(opts.workDir, "helm");
  const valuesFile = path.join(home, "values.json");
  await writeFile(valuesFile, JSON.stringify(values), { mode: 0o600 });
  const crdsPolicy = spec.install?.crds ?? "Create";
  const args = [
    "template",
    release.name,
    chartPath,
    "--namespace",
    release.namespace,
    "--values",
    valuesFile,
    "--no-hooks",
  ];
  args.push(crdsPolicy === "Skip" ? "--skip-crds" : "--include-crds");
  if (opts.kubeVersion) args.push("--kube-version", opts.kubeVersion);
  for (const v of opts.apiVersions ?? []) args.push("--api-versions", v);
  const output = await runHelm(args, {
    helm: opts.helm,
    env: opts.env,
    home,
    timeoutMs: opts.timeoutMs,
    signal: opts.signal,
  }).catch((err: unknown) => {
    throw new CliError(
      (err as Error).message.replace(
        /^helm template failed: /,
        `rendering chart '${chart.name}' ${chart.version} (${chart.source}) failed: `,
      ),
    );
  });

  const { crds, manifests } = await splitOutput(output);
  let rendered = manifests;
  for (const r of spec.postRenderers ?? []) {
    if (r.kustomize) rendered = await kustomizePostRender(rendered, r.kustomize, opts);
  }
  const objects = await objectsInYaml(rendered);
  setMetadata(objects, "labels", spec.commonMetadata?.labels ?? {});
  setMetadata(objects, "annotations", spec.commonMetadata?.annotations ?? {});
  // origin labels last: they win over commonMetadata's on a clash, as in helm-controller
  setMetadata(objects, "labels", {
    [`${HELM_GROUP}/name`]: hr.metadata?.name ?? "",
    [`${HELM_GROUP}/namespace`]: hrNamespace,
  });
  return {
    release: { ...release, chart: chart.name, version: chart.version, source: chart.source },
    objects: [...crds, ...objects],
    values,
  };
}
