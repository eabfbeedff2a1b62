// Builds a fleet repository without a cluster, as the Flux controllers would:
// every Flux Kustomization found in the files under a path is built with the real
// kustomize (post-build substitution from the ConfigMaps and Secrets found in the
// files and in other builds), the Kustomizations those builds contain are built in
// turn, and every HelmRelease found is rendered with the real helm. Builds run
// concurrently. What cannot be built (a source outside the tree, a chart that
// cannot be fetched) is recorded with its reason, never skipped.
import os from "node:os";
import path from "node:path";
import { errorMessage } from "../errors.js";
import { loadCatalog, ObjectCatalog } from "../helm/catalog.js";
import { renderHelmRelease } from "../helm/render.js";
import { HELM_GROUP, type HelmRelease } from "../helm/types.js";
import { buildKustomization, KUSTOMIZE_GROUP, type FluxKustomization } from "../kustomize/build.js";
import type { KubeObj, ObjectReader } from "../kustomize/cluster.js";
import { createTempDir, removeTempDir, type KustomizeCommand } from "../kustomize/runner.js";
import { mapConcurrent } from "../kube/rest.js";

export type UnitKind = "Kustomization" | "HelmRelease";

export interface BuiltUnit {
  kind: UnitKind;
  namespace: string;
  name: string;
  /** The objects the unit produces (absent when the build failed). */
  objects?: KubeObj[];
  /** Why the unit could not be built. */
  error?: string;
}

export interface FleetOptions {
  /** Root of the checkout: where GitRepository sources' paths start. */
  root: string;
  /** Directory under root whose files hold the Flux objects to start from. */
  path: string;
  /** Namespace of objects that name none (default flux-system). */
  namespace?: string;
  /** `Kind/namespace/name` → local directory for sources that are not this tree. */
  localSources?: Record<string, string>;
  /** Concurrent builds (default: available CPUs, at least 2). */
  concurrency?: number;
  kustomize?: KustomizeCommand;
  helm?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Shared chart downloads across builds (e.g. of two refs), kept in chartDir. */
  chartCache?: Map<string, Promise<unknown>>;
  /** Where shared chart downloads are kept (owned by whoever owns chartCache). */
  chartDir?: string;
}

export function unitKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

const isFluxKustomization = (o: KubeObj) =>
  o.kind === "Kustomization" && typeof o.apiVersion === "string" && o.apiVersion.startsWith(`${KUSTOMIZE_GROUP}/`);

function catalogReader(catalog: ObjectCatalog): ObjectReader {
  return {
    get: (apiVersion, kind, namespace, name) => Promise.resolve(catalog.get(apiVersion, kind, namespace, name)),
  };
}

/** The variables' sources of a Kustomization that are not (yet) among the objects. */
function missingSubstitutions(ks: FluxKustomization, namespace: string, catalog: ObjectCatalog): boolean {
  return (ks.spec?.postBuild?.substituteFrom ?? []).some(
    (ref) => !ref.optional && !catalog.get("v1", ref.kind, namespace, ref.name),
  );
}

function sourceDirectory(ks: FluxKustomization, namespace: string, opts: FleetOptions): string {
  const ref = ks.spec?.sourceRef;
  const key = `${ref?.kind ?? ""}/${ref?.namespace || namespace}/${ref?.name ?? ""}`;
  const local = opts.localSources?.[key];
  if (local) return path.resolve(local);
  if (ref?.kind === "GitRepository") return opts.root;
  throw new Error(`its source ${key} is not this repository: give its content with --local-sources ${key}=<dir>`);
}

/** Builds every Kustomization and HelmRelease reachable from the files under opts.path. */
export async function buildFleet(opts: FleetOptions): Promise<Map<string, BuiltUnit>> {
  const defaultNs = opts.namespace ?? "flux-system";
  const units = new Map<string, BuiltUnit>();
  const catalog: ObjectCatalog = await loadCatalog(opts.path, defaultNs, opts).catch((err: unknown) => {
    units.set(unitKey("Kustomization", defaultNs, path.basename(opts.path)), {
      kind: "Kustomization",
      namespace: defaultNs,
      name: path.basename(opts.path),
      error: errorMessage(err),
    });
    return new ObjectCatalog(defaultNs);
  });
  const limit = opts.concurrency ?? Math.max(2, os.availableParallelism());
  const reader = catalogReader(catalog);
  const pending = new Map<string, FluxKustomization>();
  const enqueue = (objects: KubeObj[]) => {
    for (const o of objects) {
      if (!isFluxKustomization(o)) continue;
      const ns = o.metadata?.namespace || defaultNs;
      const key = unitKey("Kustomization", ns, String(o.metadata?.name));
      if (!units.has(key) && !pending.has(key)) pending.set(key, o);
    }
  };
  enqueue(catalog.all());
  // HelmReleases are those the Kustomizations deliver; the files' own only when there is no Kustomization at all
  const releaseKeys = new Set<string>();
  const collectReleases = (objects: KubeObj[]) => {
    for (const o of objects)
      if (o.kind === "HelmRelease" && String(o.apiVersion).startsWith(`${HELM_GROUP}/`))
        releaseKeys.add(unitKey("HelmRelease", o.metadata?.namespace || defaultNs, String(o.metadata?.name)));
  };
  if (pending.size === 0) collectReleases(catalog.all());

  while (pending.size > 0) {
    // a wave: whatever has its substitution sources; when nothing has, all the rest (they report what is missing)
    let wave = [...pending.entries()].filter(
      ([, ks]) => !missingSubstitutions(ks, ks.metadata?.namespace || defaultNs, catalog),
    );
    if (wave.length === 0) wave = [...pending.entries()];
    for (const [key] of wave) pending.delete(key);
    const results = await mapConcurrent(wave, limit, async ([key, ks]) => {
      const namespace = ks.metadata?.namespace || defaultNs;
      const unit: BuiltUnit = { kind: "Kustomization", namespace, name: String(ks.metadata?.name) };
      units.set(key, unit);
      if (ks.spec?.suspend) {
        unit.objects = [];
        return unit;
      }
      try {
        const dir = path.join(sourceDirectory(ks, namespace, opts), ks.spec?.path ?? "");
        const built = await buildKustomization(
          {
            name: unit.name,
            namespace,
            path: dir,
            reader,
            kustomize: opts.kustomize,
            env: opts.env,
            timeoutMs: opts.timeoutMs,
            signal: opts.signal,
          },
          ks,
        );
        unit.objects = built.objects;
      } catch (err) {
        unit.error = errorMessage(err);
      }
      return unit;
    });
    for (const unit of results) {
      if (!unit.objects) continue;
      catalog.add(unit.objects);
      enqueue(unit.objects);
      collectReleases(unit.objects);
    }
  }

  const releases = (catalog.ofKind(HELM_GROUP, "HelmRelease") as HelmRelease[]).filter((hr) =>
    releaseKeys.has(unitKey("HelmRelease", hr.metadata?.namespace || defaultNs, String(hr.metadata?.name))),
  );
  const workDir = createTempDir("tsflux-fleet-");
  try {
    const cache = opts.chartCache ?? new Map<string, Promise<unknown>>();
    await mapConcurrent(releases, limit, async (hr) => {
      const namespace = hr.metadata?.namespace || defaultNs;
      const unit: BuiltUnit = { kind: "HelmRelease", namespace, name: String(hr.metadata?.name) };
      units.set(unitKey("HelmRelease", namespace, unit.name), unit);
      if (hr.spec?.suspend) {
        unit.objects = [];
        return;
      }
      try {
        const rendered = await renderHelmRelease(hr, catalog, {
          namespace: defaultNs,
          workDir,
          defaultSourceRoot: opts.root,
          localSources: opts.localSources,
          cache,
          downloadDir: opts.chartCache ? opts.chartDir : undefined,
          helm: opts.helm,
          kustomize: opts.kustomize,
          env: opts.env,
          timeoutMs: opts.timeoutMs,
          signal: opts.signal,
        });
        unit.objects = rendered.objects;
      } catch (err) {
        unit.error = errorMessage(err);
      }
    });
  } finally {
    removeTempDir(workDir);
  }
  return units;
}
