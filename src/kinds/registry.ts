// The registry of Flux kinds (Flux v2.9 APIs): one entry per kind drives get, export,
// suspend, resume, delete, reconcile, events, tree and trace. A verb that needs a
// per-kind twist reads it from the entry; nothing switches on the kind elsewhere.
// Pure data and small pure functions: no commander, no I/O.
import type { KubeObject } from "../kube/rest.js";
import { FLUX_APIS } from "./api.js";

export type KindSection = "source" | "image" | "notification" | "workload";

export interface KindColumns {
  /** Headers after NAME (upstream's Title Case; the table printer upper-cases them). */
  headers: string[];
  /** Cells after the name, for one object. */
  row: (obj: KubeObject) => string[];
}

export interface SourceRef {
  kind: string;
  name: string;
  namespace: string;
}

/** The generic verbs (commands written once over the registry) a kind takes part in. */
export type KindVerb = "get" | "export" | "suspend" | "resume" | "reconcile" | "delete" | "events";

/** The verbs of a Flux kind unless its entry says otherwise. */
export const DEFAULT_VERBS: readonly KindVerb[] = [
  "get",
  "export",
  "suspend",
  "resume",
  "reconcile",
  "delete",
  "events",
];

export interface KindInfo {
  /** Kubernetes kind, e.g. GitRepository. */
  kind: string;
  group: string;
  /** The served version tsflux reads and writes. */
  version: string;
  plural: string;
  /** Namespace-scoped (every Flux kind is). */
  namespaced: boolean;
  /** The generic verbs that have a command for this kind. */
  verbs: readonly KindVerb[];
  /** Upstream's human name, e.g. "source git" (used in status lines). */
  humanKind: string;
  section: KindSection;
  /**
   * CLI words for the verbs that take one kind (suspend, resume, reconcile, delete,
   * export): ["source", "git"], ["kustomization"], ["image", "repository"], ...
   */
  cli: string[];
  /** Aliases of the last CLI word. */
  cliAliases: string[];
  /** CLI words under `flux get`: ["sources", "git"], ["kustomizations"], ... */
  getCli: string[];
  getAliases: string[];
  /** Short help of `flux get <...>`. */
  getShort: string;
  /** The object has a controller that acts on reconcile.fluxcd.io/requestedAt. */
  reconcilable: boolean;
  /** spec.suspend exists. */
  suspendable: boolean;
  /** No status at all (Alert, Provider v1beta3): readiness is assumed. */
  staticStatus: boolean;
  /** The table columns of `flux get`. */
  columns: KindColumns;
  /** --status-selector applies (false where upstream never matches). */
  statusSelectable: boolean;
  /** Line printed after a successful reconcile/resume. */
  successMessage: (obj: KubeObject) => string;
  /** The source the object reads from (Kustomization, HelmRelease, HelmChart...). */
  sourceRef?: (obj: KubeObject) => SourceRef | undefined;
  /** True when this particular object has no reconciler (HelmRepository of type oci). */
  isStaticObject?: (obj: KubeObject) => boolean;
  /** `reconcile --with-source` applies (the source is read with sourceRef). */
  reconcileWithSource?: boolean;
  /**
   * What `reconcile --with-source` reconciles first when it is not sourceRef (HelmRelease:
   * the HelmChart helm-controller made from its chart template).
   */
  reconcileSourceRef?: (obj: KubeObject) => SourceRef | undefined;
  /** Reconciled as another object's source, it reconciles its own source first (upstream: HelmChart). */
  sourceReconcilesItsSource?: boolean;
  /** `reconcile --force / --reset` apply (reconcile.fluxcd.io/forceAt, resetAt). */
  forceReset?: boolean;
  /** `get --show-source` adds a SOURCE column. */
  showSource?: boolean;
  /** `export --with-credentials` also exports the Secret named by spec.secretRef. */
  exportsCredentials?: boolean;
  /** Objects besides sourceRef whose events `flux events --for` shows (HelmRelease: its HelmChart). */
  eventRefs?: (obj: KubeObject) => SourceRef[];
}

// ---------------------------------------------------------------------------
// Helpers shared by the row summaries

type Dict = Record<string, unknown>;

function get(obj: unknown, ...path: string[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Dict)[p];
  }
  return cur;
}

function str(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === undefined || v === null) return "";
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  // Objects and arrays, which the CRD schemas rule out here: as JSON rather than "[object Object]".
  return JSON.stringify(v);
}

/** Upstream's statusAndMessage: the Ready condition, or False / "waiting to be reconciled". */
export function statusAndMessage(obj: KubeObject): [string, string] {
  const conds = get(obj, "status", "conditions");
  if (Array.isArray(conds)) {
    const c = (conds as Dict[]).find((x) => x.type === "Ready");
    if (c) return [str(c.status), str(c.message)];
  }
  return ["False", "waiting to be reconciled"];
}

/** Upstream's utils.TruncateHex: every 40..128 hex digit run shortened to 8 characters. */
export function truncateHex(s: string): string {
  if (!s) return "";
  return s.replace(/\b[a-f0-9]{40,128}\b/g, (m) => m.slice(0, 8));
}

/** Go's strconv.FormatBool + Title: "True" / "False". */
export function suspendedCell(obj: KubeObject): string {
  return get(obj, "spec", "suspend") === true ? "True" : "False";
}

function artifactRevision(obj: KubeObject): string {
  return str(get(obj, "status", "artifact", "revision"));
}

/** Go's time.Format(time.RFC3339) of a Kubernetes timestamp (already RFC3339 in UTC). */
function rfc3339(v: unknown): string {
  const s = str(v);
  if (!s) return "";
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function revisionColumns(
  revision: (o: KubeObject) => string,
  truncateRevision = true,
  truncateMessage = true,
): KindColumns {
  return {
    headers: ["Revision", "Suspended", "Ready", "Message"],
    row: (o) => {
      const [status, msg] = statusAndMessage(o);
      const rev = revision(o);
      return [
        truncateRevision ? truncateHex(rev) : rev,
        suspendedCell(o),
        status,
        truncateMessage ? truncateHex(msg) : msg,
      ];
    },
  };
}

function localRef(obj: KubeObject, ref: unknown, defaultKind?: string): SourceRef | undefined {
  if (!ref || typeof ref !== "object") return undefined;
  const r = ref as Dict;
  const kind = str(r.kind) || defaultKind;
  if (!kind || !r.name) return undefined;
  return { kind, name: str(r.name), namespace: str(r.namespace) || (obj.metadata.namespace ?? "") };
}

/** The HelmChart helm-controller makes from a HelmRelease's chart template: <namespace>-<name>, beside its source. */
function templateHelmChart(o: KubeObject): SourceRef | undefined {
  if (get(o, "spec", "chartRef")) return undefined;
  const ref = localRef(o, get(o, "spec", "chart", "spec", "sourceRef"));
  return ref && { kind: "HelmChart", name: `${o.metadata.namespace}-${o.metadata.name}`, namespace: ref.namespace };
}

export function helmReleaseRevision(obj: KubeObject): string {
  const history = get(obj, "status", "history");
  if (Array.isArray(history) && history.length > 0) return str((history[0] as Dict).chartVersion);
  return str(get(obj, "status", "lastAttemptedRevision"));
}

/** `name:tag[@digest]` of an ImagePolicy's status.latestRef. */
export function imageRefString(ref: unknown): string {
  if (!ref || typeof ref !== "object") return "";
  const r = ref as Dict;
  let s = str(r.name);
  if (r.tag) s += `:${str(r.tag)}`;
  if (r.digest) s += `@${str(r.digest)}`;
  return s;
}

// ---------------------------------------------------------------------------
// The entries

/** What an entry must say; everything else has a default (see defineKind). */
export type KindSpec = Pick<
  KindInfo,
  "kind" | "group" | "version" | "plural" | "humanKind" | "section" | "cli" | "getCli" | "getShort" | "successMessage"
> &
  Partial<KindInfo>;

/**
 * One registry entry. Defaults: namespaced, every generic verb, reconcilable and
 * suspendable with a status of its own (readiness from the Ready condition, matched
 * by --status-selector), no aliases, and the source columns (artifact revision,
 * suspended, ready, message).
 */
export function defineKind(spec: KindSpec): KindInfo {
  return {
    namespaced: true,
    verbs: DEFAULT_VERBS,
    cliAliases: [],
    getAliases: [],
    reconcilable: true,
    suspendable: true,
    staticStatus: false,
    statusSelectable: true,
    columns: revisionColumns(artifactRevision),
    ...spec,
  };
}

const fetched = (o: KubeObject) => `fetched revision ${artifactRevision(o)}`;

export const KINDS: readonly KindInfo[] = [
  defineKind({
    kind: "OCIRepository",
    exportsCredentials: true,
    ...FLUX_APIS.OCIRepository,
    humanKind: "source oci",
    section: "source",
    cli: ["source", "oci"],
    getCli: ["sources", "oci"],
    getShort: "Get OCIRepository status",
    successMessage: fetched,
  }),
  defineKind({
    kind: "Bucket",
    exportsCredentials: true,
    ...FLUX_APIS.Bucket,
    humanKind: "source bucket",
    section: "source",
    cli: ["source", "bucket"],
    getCli: ["sources", "bucket"],
    getShort: "Get Bucket source statuses",
    successMessage: fetched,
  }),
  defineKind({
    kind: "GitRepository",
    exportsCredentials: true,
    ...FLUX_APIS.GitRepository,
    humanKind: "source git",
    section: "source",
    cli: ["source", "git"],
    getCli: ["sources", "git"],
    getShort: "Get GitRepository source statuses",
    successMessage: fetched,
  }),
  defineKind({
    kind: "HelmRepository",
    exportsCredentials: true,
    ...FLUX_APIS.HelmRepository,
    humanKind: "source helm",
    section: "source",
    cli: ["source", "helm"],
    getCli: ["sources", "helm"],
    getShort: "Get HelmRepository source statuses",
    columns: {
      headers: ["Revision", "Suspended", "Ready", "Message"],
      row: (o) => {
        const [status, msg] =
          get(o, "spec", "type") === "oci" ? ["True", "Helm repository is Ready"] : statusAndMessage(o);
        return [truncateHex(artifactRevision(o)), suspendedCell(o), status, truncateHex(msg)];
      },
    },
    successMessage: fetched,
    isStaticObject: (o) => get(o, "spec", "type") === "oci",
  }),
  defineKind({
    kind: "HelmChart",
    ...FLUX_APIS.HelmChart,
    humanKind: "source chart",
    section: "source",
    cli: ["source", "chart"],
    getCli: ["sources", "chart"],
    getShort: "Get HelmChart statuses",
    // The revision is a chart version: never shortened.
    columns: revisionColumns(artifactRevision, false, true),
    successMessage: (o) => `pulled '${str(get(o, "spec", "chart"))}' chart with version '${artifactRevision(o)}'`,
    reconcileWithSource: true,
    sourceReconcilesItsSource: true,
    sourceRef: (o) => localRef(o, get(o, "spec", "sourceRef")),
  }),
  defineKind({
    kind: "ImageRepository",
    ...FLUX_APIS.ImageRepository,
    humanKind: "image repository",
    section: "image",
    cli: ["image", "repository"],
    getCli: ["images", "repository"],
    getShort: "Get ImageRepository status",
    columns: {
      headers: ["Last scan", "Suspended", "Ready", "Message"],
      row: (o) => {
        const [status, msg] = statusAndMessage(o);
        return [rfc3339(get(o, "status", "lastScanResult", "scanTime")), suspendedCell(o), status, msg];
      },
    },
    successMessage: (o) => `scan fetched ${Number(get(o, "status", "lastScanResult", "tagCount") ?? 0)} tags`,
  }),
  defineKind({
    kind: "ImagePolicy",
    ...FLUX_APIS.ImagePolicy,
    humanKind: "image policy",
    section: "image",
    cli: ["image", "policy"],
    getCli: ["images", "policy"],
    getShort: "Get ImagePolicy status",
    columns: {
      headers: ["Latest image", "Ready", "Message"],
      row: (o) => {
        const [status, msg] = statusAndMessage(o);
        return [imageRefString(get(o, "status", "latestRef")), status, msg];
      },
    },
    successMessage: (o) => `selected ref ${imageRefString(get(o, "status", "latestRef"))}`,
    sourceRef: (o) => localRef(o, get(o, "spec", "imageRepositoryRef"), "ImageRepository"),
  }),
  defineKind({
    kind: "ImageUpdateAutomation",
    ...FLUX_APIS.ImageUpdateAutomation,
    humanKind: "image update automation",
    section: "image",
    cli: ["image", "update"],
    getCli: ["images", "update"],
    getShort: "Get ImageUpdateAutomation status",
    columns: {
      headers: ["Last run", "Suspended", "Ready", "Message"],
      row: (o) => {
        const [status, msg] = statusAndMessage(o);
        return [rfc3339(get(o, "status", "lastAutomationRunTime")), suspendedCell(o), status, msg];
      },
    },
    successMessage: (o) => {
      const t = get(o, "status", "lastAutomationRunTime");
      return t ? `last run ${rfc3339(t)}` : "automation not yet run";
    },
    sourceRef: (o) => localRef(o, get(o, "spec", "sourceRef"), "GitRepository"),
  }),
  defineKind({
    kind: "HelmRelease",
    ...FLUX_APIS.HelmRelease,
    humanKind: "helmrelease",
    section: "workload",
    cli: ["helmrelease"],
    cliAliases: ["hr"],
    getCli: ["helmreleases"],
    getAliases: ["hr", "helmrelease"],
    getShort: "Get HelmRelease statuses",
    columns: {
      headers: ["Revision", "Suspended", "Ready", "Message"],
      row: (o) => {
        const [status, msg] = statusAndMessage(o);
        return [helmReleaseRevision(o), suspendedCell(o), status, msg];
      },
    },
    successMessage: (o) => `applied revision ${helmReleaseRevision(o)}`,
    reconcileWithSource: true,
    forceReset: true,
    showSource: true,
    eventRefs: (o) => {
      const chart = templateHelmChart(o);
      return chart ? [chart] : [];
    },
    // upstream: the chart template's HelmChart (which reconciles its HelmRepository first), else chartRef.
    reconcileSourceRef: (o) => templateHelmChart(o) ?? localRef(o, get(o, "spec", "chartRef")),
    sourceRef: (o) => {
      const chartRef = get(o, "spec", "chartRef");
      if (chartRef) return localRef(o, chartRef);
      return localRef(o, get(o, "spec", "chart", "spec", "sourceRef"));
    },
  }),
  defineKind({
    kind: "Kustomization",
    ...FLUX_APIS.Kustomization,
    humanKind: "kustomization",
    section: "workload",
    cli: ["kustomization"],
    cliAliases: ["ks"],
    getCli: ["kustomizations"],
    getAliases: ["ks", "kustomization"],
    getShort: "Get Kustomization statuses",
    columns: revisionColumns((o) => str(get(o, "status", "lastAppliedRevision"))),
    successMessage: (o) => `applied revision ${str(get(o, "status", "lastAppliedRevision"))}`,
    reconcileWithSource: true,
    showSource: true,
    sourceRef: (o) => localRef(o, get(o, "spec", "sourceRef")),
  }),
  defineKind({
    kind: "Receiver",
    ...FLUX_APIS.Receiver,
    humanKind: "receiver",
    section: "notification",
    cli: ["receiver"],
    getCli: ["receivers"],
    getAliases: ["receiver"],
    getShort: "Get Receiver statuses",
    columns: {
      headers: ["Suspended", "Ready", "Message"],
      row: (o) => {
        const [status, msg] = statusAndMessage(o);
        return [suspendedCell(o), status, msg];
      },
    },
    successMessage: () => "Receiver reconciliation completed",
  }),
  defineKind({
    kind: "Provider",
    ...FLUX_APIS.Provider,
    humanKind: "alert provider",
    section: "notification",
    cli: ["alert-provider"],
    getCli: ["alert-providers"],
    getAliases: ["alert-provider"],
    getShort: "Get Provider statuses",
    reconcilable: false,
    staticStatus: true,
    columns: { headers: ["Ready", "Message"], row: () => ["True", "Provider is Ready"] },
    statusSelectable: false,
    successMessage: () => "Provider reconciliation completed",
  }),
  defineKind({
    kind: "Alert",
    ...FLUX_APIS.Alert,
    humanKind: "alert",
    section: "notification",
    cli: ["alert"],
    getCli: ["alerts"],
    getAliases: ["alert"],
    getShort: "Get Alert statuses",
    reconcilable: false,
    staticStatus: true,
    columns: {
      headers: ["Suspended", "Ready", "Message"],
      row: (o) => [suspendedCell(o), "True", "Alert is Ready"],
    },
    statusSelectable: false,
    successMessage: () => "Alert reconciliation completed",
    sourceRef: (o) => localRef(o, get(o, "spec", "providerRef"), "Provider"),
  }),
  // source-watcher's generator and the source-controller kind it produces: upstream has
  // get and export for both, events and `tree artifact generator` for ArtifactGenerator.
  defineKind({
    kind: "ArtifactGenerator",
    ...FLUX_APIS.ArtifactGenerator,
    humanKind: "artifact generator",
    section: "source",
    verbs: ["get", "export", "events"],
    cli: ["artifact", "generator"],
    getCli: ["artifacts", "generators"],
    getAliases: ["generator"],
    getShort: "Get artifact generator statuses",
    // Disabled through an annotation, not spec.suspend: source-watcher's IsDisabled.
    suspendable: false,
    columns: {
      headers: ["Suspended", "Ready", "Message"],
      row: (o) => {
        const [status, msg] = statusAndMessage(o);
        const disabled = str(o.metadata.annotations?.["source.extensions.fluxcd.io/reconcile"]).toLowerCase();
        return [disabled === "disabled" ? "True" : "False", status, msg];
      },
    },
    successMessage: () => "ArtifactGenerator reconciliation completed",
  }),
  defineKind({
    kind: "ExternalArtifact",
    ...FLUX_APIS.ExternalArtifact,
    humanKind: "source external",
    section: "source",
    verbs: ["get", "export"],
    cli: ["source", "external"],
    getCli: ["sources", "external"],
    getShort: "Get ExternalArtifact source statuses",
    // Written by its producer (an ArtifactGenerator), never reconciled on request.
    reconcilable: false,
    suspendable: false,
    columns: {
      headers: ["Revision", "Source", "Ready", "Message"],
      row: (o) => {
        const [status, msg] = statusAndMessage(o);
        const ref = get(o, "spec", "sourceRef") as Dict | undefined;
        const source = ref ? `${str(ref.kind)}/${str(ref.namespace)}/${str(ref.name)}` : "";
        return [truncateHex(artifactRevision(o)), source, status, truncateHex(msg)];
      },
    },
    successMessage: fetched,
  }),
];

/** Upstream's order for `get sources all`. */
export const SOURCE_ORDER = [
  "OCIRepository",
  "Bucket",
  "GitRepository",
  "HelmRepository",
  "HelmChart",
  "ExternalArtifact",
];
/** Upstream's order for `get images all`. */
export const IMAGE_ORDER = ["ImageRepository", "ImagePolicy", "ImageUpdateAutomation"];
/** Upstream's order for `get all`: sources, images, then these. */
export const ALL_ORDER = [
  ...SOURCE_ORDER,
  ...IMAGE_ORDER,
  "HelmRelease",
  "Kustomization",
  "Receiver",
  "Provider",
  "Alert",
];

/** Upstream's order of the rows of `flux stats`. */
export const STATS_ORDER = [
  "GitRepository",
  "OCIRepository",
  "HelmRepository",
  "HelmChart",
  "Bucket",
  "Kustomization",
  "HelmRelease",
  "Alert",
  "Provider",
  "Receiver",
  "ImageUpdateAutomation",
  "ImagePolicy",
  "ImageRepository",
];

/** Upstream uninstall's order for stripping finalizers (every Flux kind that has them). */
export const FINALIZER_ORDER = [
  "GitRepository",
  "OCIRepository",
  "HelmRepository",
  "HelmChart",
  "Bucket",
  "Kustomization",
  "HelmRelease",
  "Alert",
  "Provider",
  "Receiver",
  "ImagePolicy",
  "ImageRepository",
  "ImageUpdateAutomation",
  "ArtifactGenerator",
];

/** The kinds that have a command for the verb, in registry order. */
export function kindsWithVerb(verb: KindVerb): KindInfo[] {
  return KINDS.filter((k) => k.verbs.includes(verb));
}

/** The API group of the kind (each Flux controller owns one). */
export function groupOf(kind: string): string {
  return mustKind(kind).group;
}

const byKind = new Map(KINDS.map((k) => [k.kind.toLowerCase(), k]));

/** Finds an entry by kind (case-insensitive); undefined when it is not a Flux kind. */
export function kindInfo(kind: string): KindInfo | undefined {
  return byKind.get(kind.toLowerCase());
}

/** Like kindInfo but throws for an unknown kind. */
export function mustKind(kind: string): KindInfo {
  const k = kindInfo(kind);
  if (!k) throw new Error(`unknown Flux kind ${kind}`);
  return k;
}

export function kindsInOrder(order: readonly string[]): KindInfo[] {
  return order.map(mustKind);
}

export function apiVersionOf(k: Pick<KindInfo, "group" | "version">): string {
  return `${k.group}/${k.version}`;
}

/** The ResourceType of a kind, for src/kube. */
export function resourceOf(k: KindInfo): {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
} {
  return { group: k.group, version: k.version, plural: k.plural, kind: k.kind, namespaced: k.namespaced };
}

/** Finds a kind from user input like "Kustomization", "kustomizations", "ks", "gitrepository". */
export function kindFromUserInput(input: string): KindInfo | undefined {
  const s = input.toLowerCase();
  return KINDS.find(
    (k) =>
      k.kind.toLowerCase() === s ||
      k.plural === s ||
      k.getAliases.includes(s) ||
      k.cliAliases.includes(s) ||
      k.getCli.join(" ") === s,
  );
}
