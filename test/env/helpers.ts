// Helpers for integration tests against the test environment.
//
// There are no Flux controllers in the test environment; tests use the
// "controller stand-ins" below to write what a controller would write, always
// through the status subresource (so the CRD's status schema applies).
import { randomBytes, createHash } from "node:crypto";
import { KubeConfig } from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import { ContentType, discoverResource, isStatus, kubeRequest, resourcePath } from "./kube.js";

export { kubeRequest, KubeRequestError, ContentType, isStatus, discoverResource, resourcePath } from "./kube.js";

/** Identifies one object of a (custom) resource. namespace is omitted for cluster-scoped resources. */
export interface ResourceRef {
  group: string;
  version: string;
  plural: string;
  namespace?: string | undefined;
  name: string;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    generation?: number;
    resourceVersion?: string;
    uid?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    [k: string]: unknown;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [k: string]: unknown;
}

export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime: string;
}

// ---------------------------------------------------------------------------
// Kubeconfig

/**
 * The test environment's kubeconfig path: vitest's inject('kubeconfig') (from
 * test/env/global-setup.ts) or TSFLUX_TEST_KUBECONFIG.
 */
export async function testKubeconfigPath(): Promise<string> {
  try {
    const { inject } = await import("vitest");
    const p = (inject as (key: string) => unknown)("kubeconfig");
    if (typeof p === "string" && p) return p;
  } catch {
    /* not inside a vitest worker */
  }
  const p = process.env.TSFLUX_TEST_KUBECONFIG;
  if (!p) {
    throw new Error(
      "no test environment: run vitest with globalSetup test/env/global-setup.ts, or start one with `npm run env:up` and set TSFLUX_TEST_KUBECONFIG",
    );
  }
  return p;
}

/** A KubeConfig for the test environment. */
export async function testKubeConfig(): Promise<KubeConfig> {
  const kc = new KubeConfig();
  kc.loadFromFile(await testKubeconfigPath());
  return kc;
}

// ---------------------------------------------------------------------------
// Names and namespaces

/** A DNS-1123 label like `<prefix>-k3x9a2`, unique per call. */
export function uniqueName(prefix = "test"): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`.toLowerCase().slice(0, 63);
}

/** Creates a namespace; without a name a unique `tsflux-test-xxxxxxxx` is used. Returns its name. */
export async function createNamespace(kc: KubeConfig, name: string = uniqueName("tsflux-test")): Promise<string> {
  await kubeRequest(kc, "POST", "/api/v1/namespaces", {
    body: { apiVersion: "v1", kind: "Namespace", metadata: { name } },
  });
  return name;
}

/**
 * Deletes a namespace. Note: no kube-controller-manager runs in the test
 * environment, so the namespace stays Terminating and its objects are not
 * garbage collected; prefer unique namespaces per test over cleanup.
 */
export async function deleteNamespace(kc: KubeConfig, name: string): Promise<void> {
  try {
    await kubeRequest(kc, "DELETE", `/api/v1/namespaces/${name}`);
  } catch (err) {
    if (!isStatus(err, 404)) throw err;
  }
}

// ---------------------------------------------------------------------------
// Refs

/** Group/version/plural of the Flux kinds (storage versions of Flux v2.9). */
export const FluxResources = {
  GitRepository: { group: "source.toolkit.fluxcd.io", version: "v1", plural: "gitrepositories" },
  HelmRepository: { group: "source.toolkit.fluxcd.io", version: "v1", plural: "helmrepositories" },
  HelmChart: { group: "source.toolkit.fluxcd.io", version: "v1", plural: "helmcharts" },
  Bucket: { group: "source.toolkit.fluxcd.io", version: "v1", plural: "buckets" },
  OCIRepository: { group: "source.toolkit.fluxcd.io", version: "v1", plural: "ocirepositories" },
  ExternalArtifact: { group: "source.toolkit.fluxcd.io", version: "v1", plural: "externalartifacts" },
  ArtifactGenerator: { group: "source.extensions.fluxcd.io", version: "v1beta1", plural: "artifactgenerators" },
  Kustomization: { group: "kustomize.toolkit.fluxcd.io", version: "v1", plural: "kustomizations" },
  HelmRelease: { group: "helm.toolkit.fluxcd.io", version: "v2", plural: "helmreleases" },
  Alert: { group: "notification.toolkit.fluxcd.io", version: "v1beta3", plural: "alerts" },
  Provider: { group: "notification.toolkit.fluxcd.io", version: "v1beta3", plural: "providers" },
  Receiver: { group: "notification.toolkit.fluxcd.io", version: "v1", plural: "receivers" },
  ImageRepository: { group: "image.toolkit.fluxcd.io", version: "v1", plural: "imagerepositories" },
  ImagePolicy: { group: "image.toolkit.fluxcd.io", version: "v1", plural: "imagepolicies" },
  ImageUpdateAutomation: { group: "image.toolkit.fluxcd.io", version: "v1", plural: "imageupdateautomations" },
} as const;

export type FluxKind = keyof typeof FluxResources;

/** `fluxRef('Kustomization', 'flux-system', 'apps')` */
export function fluxRef(kind: FluxKind, namespace: string, name: string): ResourceRef {
  return { ...FluxResources[kind], namespace, name };
}

/** A ref for any object (resolves its plural through discovery). */
export async function refFor(kc: KubeConfig, obj: KubeObject, namespace?: string): Promise<ResourceRef> {
  if (!obj.apiVersion || !obj.kind) throw new Error("object needs apiVersion and kind");
  const info = await discoverResource(kc, obj.apiVersion, obj.kind);
  return {
    group: info.group,
    version: info.version,
    plural: info.plural,
    namespace: info.namespaced ? (obj.metadata.namespace ?? namespace ?? "default") : undefined,
    name: obj.metadata.name,
  };
}

// ---------------------------------------------------------------------------
// Reading and applying

export async function getObject<T extends KubeObject = KubeObject>(kc: KubeConfig, ref: ResourceRef): Promise<T> {
  return await kubeRequest<T>(kc, "GET", resourcePath(ref));
}

/** Like getObject but undefined on 404. */
export async function tryGetObject<T extends KubeObject = KubeObject>(
  kc: KubeConfig,
  ref: ResourceRef,
): Promise<T | undefined> {
  try {
    return await getObject<T>(kc, ref);
  } catch (err) {
    if (isStatus(err, 404)) return undefined;
    throw err;
  }
}

/** A Secret's data decoded to strings, or undefined when the Secret does not exist. */
export async function secretStrings(
  kc: KubeConfig,
  namespace: string,
  name: string,
): Promise<Record<string, string> | undefined> {
  const s = await tryGetObject(kc, { group: "", version: "v1", plural: "secrets", namespace, name });
  if (!s) return undefined;
  return Object.fromEntries(
    Object.entries((s.data ?? {}) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]),
  );
}

export const FIELD_MANAGER = "tsflux-test";

/**
 * Server-side applies every document of a (multi-document) yaml string or a
 * list of objects, in order. Namespaced objects without metadata.namespace go
 * to `namespace` (default "default"). Returns the applied objects as stored.
 */
export async function applyYaml(
  kc: KubeConfig,
  yamlText: string | KubeObject[],
  namespace?: string,
  fieldManager = FIELD_MANAGER,
): Promise<KubeObject[]> {
  const objs =
    typeof yamlText === "string"
      ? parseAllDocuments(yamlText)
          .map((d) => {
            const [error] = d.errors;
            if (error) throw new Error(`invalid yaml: ${error.message}`);
            return d.toJS() as KubeObject | null;
          })
          .filter((o): o is KubeObject => o !== null && typeof o === "object")
      : yamlText;
  const out: KubeObject[] = [];
  for (const obj of objs) {
    const ref = await refFor(kc, obj, namespace);
    const body = { ...obj, metadata: { ...obj.metadata } };
    if (ref.namespace) body.metadata.namespace = ref.namespace;
    else delete body.metadata.namespace;
    out.push(
      await kubeRequest<KubeObject>(kc, "PATCH", resourcePath(ref), {
        body,
        contentType: ContentType.ApplyPatch,
        query: { fieldManager, force: true },
      }),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------
// Controller stand-ins (status subresource)

/** Merge-patches `status` through the /status subresource. Returns the updated object. */
export async function setStatus(
  kc: KubeConfig,
  ref: ResourceRef,
  status: Record<string, unknown>,
): Promise<KubeObject> {
  return await kubeRequest<KubeObject>(kc, "PATCH", resourcePath({ ...ref, subresource: "status" }), {
    body: { status },
    contentType: ContentType.MergePatch,
  });
}

/**
 * Read-modify-write of the status with optimistic concurrency (retries on 409).
 * `mutate` receives a copy of the object and returns the new full status.
 */
export async function updateStatus(
  kc: KubeConfig,
  ref: ResourceRef,
  mutate: (obj: KubeObject) => Record<string, unknown>,
): Promise<KubeObject> {
  for (let attempt = 0; ; attempt++) {
    const obj = await getObject(kc, ref);
    const status = mutate(structuredClone(obj));
    try {
      return await kubeRequest<KubeObject>(kc, "PATCH", resourcePath({ ...ref, subresource: "status" }), {
        // resourceVersion makes the merge patch conditional (409 on conflict).
        body: { metadata: { resourceVersion: obj.metadata.resourceVersion }, status },
        contentType: ContentType.MergePatch,
      });
    } catch (err) {
      if (!isStatus(err, 409) || attempt >= 5) throw err;
    }
  }
}

/** Returns conditions with `cond` set like meta.SetStatusCondition (lastTransitionTime kept if status unchanged). */
export function withCondition(
  conditions: Condition[] | undefined,
  cond: Omit<Condition, "lastTransitionTime"> & { lastTransitionTime?: string },
): Condition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === cond.type);
  const now = cond.lastTransitionTime ?? new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const prev = i >= 0 ? list[i] : undefined;
  const next: Condition = {
    ...cond,
    lastTransitionTime: prev && prev.status === cond.status && !cond.lastTransitionTime ? prev.lastTransitionTime : now,
  };
  if (i >= 0) list[i] = next;
  else list.push(next);
  return list;
}

export interface ConditionOptions {
  /** Defaults to the object's metadata.generation. */
  observedGeneration?: number;
  /** Also set status.observedGeneration (default true). */
  setObservedGeneration?: boolean;
  /** Condition type (default "Ready"). */
  type?: string;
}

/** Sets the Ready condition (and status.observedGeneration) like a Flux controller. */
export async function setReadyCondition(
  kc: KubeConfig,
  ref: ResourceRef,
  status: Condition["status"] | boolean,
  reason: string,
  message: string,
  opts: ConditionOptions = {},
): Promise<KubeObject> {
  const st: Condition["status"] = typeof status === "boolean" ? (status ? "True" : "False") : status;
  return await updateStatus(kc, ref, (obj) => {
    const gen = opts.observedGeneration ?? obj.metadata.generation ?? 1;
    const s = { ...(obj.status ?? {}) };
    s.conditions = withCondition(s.conditions as Condition[] | undefined, {
      type: opts.type ?? "Ready",
      status: st,
      reason,
      message,
      observedGeneration: gen,
    });
    if (opts.setObservedGeneration !== false) s.observedGeneration = gen;
    return s;
  });
}

export interface MarkReconciledOptions {
  reason?: string;
  message?: string;
  /** Extra status fields to merge (e.g. lastAppliedRevision). */
  status?: Record<string, unknown>;
}

/**
 * What a controller does after handling `flux reconcile`: status.lastHandledReconcileAt
 * = requestedAt (default: the object's reconcile.fluxcd.io/requestedAt annotation),
 * observedGeneration = metadata.generation and Ready=True.
 */
export async function markReconciled(
  kc: KubeConfig,
  ref: ResourceRef,
  requestedAt?: string,
  opts: MarkReconciledOptions = {},
): Promise<KubeObject> {
  return await updateStatus(kc, ref, (obj) => {
    const gen = obj.metadata.generation ?? 1;
    const handled = requestedAt ?? obj.metadata.annotations?.["reconcile.fluxcd.io/requestedAt"];
    const s: Record<string, unknown> = { ...(obj.status ?? {}), ...(opts.status ?? {}), observedGeneration: gen };
    if (handled) s.lastHandledReconcileAt = handled;
    s.conditions = withCondition(s.conditions as Condition[] | undefined, {
      type: "Ready",
      status: "True",
      reason: opts.reason ?? "ReconciliationSucceeded",
      message: opts.message ?? "Reconciliation finished",
      observedGeneration: gen,
    });
    return s;
  });
}

export interface ArtifactOptions {
  path?: string;
  url?: string;
  digest?: string;
  size?: number;
  lastUpdateTime?: string;
}

/**
 * Sets status.artifact on a source (GitRepository, OCIRepository, Bucket,
 * HelmChart, HelmRepository, ExternalArtifact) like source-controller does.
 */
export async function setArtifact(
  kc: KubeConfig,
  ref: ResourceRef,
  revision: string,
  opts: ArtifactOptions = {},
): Promise<KubeObject> {
  const kind = ref.plural.replace(/ies$/, "y").replace(/s$/, "");
  const p =
    opts.path ??
    `${kind}/${ref.namespace ?? "_"}/${ref.name}/${createHash("sha256").update(revision).digest("hex").slice(0, 16)}.tar.gz`;
  const artifact: Record<string, unknown> = {
    path: p,
    url: opts.url ?? `http://source-controller.flux-system.svc.cluster.local./${p}`,
    revision,
    digest: opts.digest ?? `sha256:${createHash("sha256").update(revision).digest("hex")}`,
    lastUpdateTime: opts.lastUpdateTime ?? new Date().toISOString().replace(/\.\d+Z$/, "Z"),
  };
  if (opts.size !== undefined) artifact.size = opts.size;
  return await setStatus(kc, ref, { artifact });
}

/** An inventory entry: either Flux's raw form or an object description. */
export type InventoryEntry =
  { id: string; v: string } | { namespace?: string; name: string; group?: string; kind: string; version?: string };

/** Flux's object-metadata id: `<namespace>_<name>_<group>_<kind>`. */
export function inventoryId(e: { namespace?: string; name: string; group?: string; kind: string }): string {
  return `${e.namespace ?? ""}_${e.name}_${e.group ?? ""}_${e.kind}`;
}

/** Sets status.inventory (Kustomization / HelmRelease) like kustomize-controller does. */
export async function setInventory(kc: KubeConfig, ref: ResourceRef, entries: InventoryEntry[]): Promise<KubeObject> {
  const list = entries.map((e) => ("id" in e ? e : { id: inventoryId(e), v: e.version ?? "v1" }));
  return await setStatus(kc, ref, { inventory: { entries: list } });
}

/** What a thrown value says: an Error as String() prints it, anything else as JSON. */
const describe = (err: unknown): string =>
  err instanceof Error ? String(err) : typeof err === "string" ? err : JSON.stringify(err);

/** The parts of a CRD waitForCRDsGone reads (an API server's answer: each may be absent). */
interface CRDItem {
  metadata: { name: string; deletionTimestamp?: string; finalizers?: string[] };
  status?: { conditions?: { type: string; reason?: string; message?: string }[] };
}

/** A CRD's state while it is being deleted: what keeps it, for a failure message. */
export interface CRDLeft {
  name: string;
  deletionTimestamp: string | undefined;
  finalizers: string[] | undefined;
  terminating: { reason?: string; message?: string } | undefined;
}

/**
 * Whether the API server's CRD finalizer failed on this CRD and is waiting to retry.
 * It deletes a CRD's instances before the CRD; when it cannot list or delete them (a
 * watch cache still initialising under load: "could not list instances: storage is
 * (re)initializing") it sets Terminating with one of these reasons and retries after an
 * exponential backoff that grows to minutes, so the CRD stays long after the cause is
 * gone. Any change to the CRD requeues it at once.
 */
export function crdFinalizerBackingOff(crd: CRDLeft): boolean {
  const reason = crd.terminating?.reason;
  return (
    crd.deletionTimestamp !== undefined && (reason === "InstanceDeletionFailed" || reason === "InstanceDeletionCheck")
  );
}

/**
 * Waits until no CRD matching `labelSelector` (or named in `names`) is left. A CRD whose
 * deletion the API server's finalizer is backing off from (crdFinalizerBackingOff) is
 * touched, an annotation, at most every 2 s, so the finalizer retries now rather than
 * minutes later; nothing else about the CRD changes. On timeout the error names each
 * CRD left with its deletion time, finalizers and Terminating condition.
 */
export async function waitForCRDsGone(
  kc: KubeConfig,
  which: { labelSelector?: string; names?: readonly string[] },
  timeoutMs: number,
): Promise<{ requeued: number }> {
  const path = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  const touched = new Map<string, number>();
  let requeued = 0;

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { items } = await kubeRequest<{ items: CRDItem[] }>(kc, "GET", path, {
      query: which.labelSelector ? { labelSelector: which.labelSelector } : {},
    });
    const left: CRDLeft[] = items
      .filter((c) => !which.names || which.names.includes(c.metadata.name))
      .map((c) => ({
        name: c.metadata.name,
        deletionTimestamp: c.metadata.deletionTimestamp,
        finalizers: c.metadata.finalizers,
        terminating: c.status?.conditions?.find((cond) => cond.type === "Terminating"),
      }));
    if (left.length === 0) return { requeued };
    for (const crd of left.filter(crdFinalizerBackingOff)) {
      if (Date.now() - (touched.get(crd.name) ?? 0) < 2000) continue;
      touched.set(crd.name, Date.now());
      await kubeRequest(kc, "PATCH", `${path}/${crd.name}`, {
        body: { metadata: { annotations: { "test.tsflux.io/requeue": String(Date.now()) } } },
        contentType: "application/merge-patch+json",
      }).catch(() => undefined); // gone meanwhile
      requeued++;
    }
    if (Date.now() > deadline)
      throw new Error(`CRDs left after ${timeoutMs}ms (${requeued} requeued): ${JSON.stringify(left)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Polls `fn` until it returns a truthy value (default 10s timeout). */
export async function eventually<T>(
  fn: () => Promise<T | undefined | false | null>,
  timeoutMs = 10_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs}ms${lastErr ? `: ${describe(lastErr)}` : ""}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
