// The registry of Flux kinds (Flux v2.9 APIs): one entry per kind drives get, export,
// suspend, resume, delete, reconcile, events, tree and trace. A verb that needs a
// per-kind twist reads it from the entry; nothing switches on the kind elsewhere.
// Pure data and small pure functions: no commander, no I/O.
import type { KubeObject } from "../kube/rest.js";

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

export interface KindInfo {
  /** Kubernetes kind, e.g. GitRepository. */
  kind: string;
  group: string;
  version: string;
  plural: string;
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
  /** Extra annotations reconcile may set (HelmRelease --force / --reset). */
  reconcileAnnotations?: Record<string, string>;
  /** True when this particular object has no reconciler (HelmRepository of type oci). */
  isStaticObject?: (obj: KubeObject) => boolean;
  /** `reconcile --with-source` applies (the source is read with sourceRef). */
  reconcileWithSource?: boolean;
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
  return typeof v === "string" ? v : v === undefined || v === null ? "" : String(v);
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

const SOURCE = "source.toolkit.fluxcd.io";
const fetched = (o: KubeObject) => `fetched revision ${artifactRevision(o)}`;

export const KINDS: readonly KindInfo[] = [
  {
    kind: "OCIRepository",
    exportsCredentials: true,
    group: SOURCE,
    version: "v1",
    plural: "ocirepositories",
    humanKind: "source oci",
    section: "source",
    cli: ["source", "oci"],
    cliAliases: [],
    getCli: ["sources", "oci"],
    getAliases: [],
    getShort: "Get OCIRepository status",
    reconcilable: true,
    suspendable: true,
    staticStatus: false,
    columns: revisionColumns(artifactRevision),
    statusSelectable: true,
    successMessage: fetched,
  },
  {
    kind: "Bucket",
    exportsCredentials: true,
    group: SOURCE,
    version: "v1",
    plural: "buckets",
    humanKind: "source bucket",
    section: "source",
    cli: ["source", "bucket"],
    cliAliases: [],
    getCli: ["sources", "bucket"],
    getAliases: [],
    getShort: "Get Bucket source statuses",
    reconcilable: true,
    suspendable: true,
    staticStatus: false,
    columns: revisionColumns(artifactRevision),
    statusSelectable: true,
    successMessage: fetched,
  },
  {
    kind: "GitRepository",
    exportsCredentials: true,
    group: SOURCE,
    version: "v1",
    plural: "gitrepositories",
    humanKind: "source git",
    section: "source",
    cli: ["source", "git"],
    cliAliases: [],
    getCli: ["sources", "git"],
    getAliases: [],
    getShort: "Get GitRepository source statuses",
    reconcilable: true,
    suspendable: true,
    staticStatus: false,
    columns: revisionColumns(artifactRevision),
    statusSelectable: true,
    successMessage: fetched,
  },
  {
    kind: "HelmRepository",
    exportsCredentials: true,
    group: SOURCE,
    version: "v1",
    plural: "helmrepositories",
    humanKind: "source helm",
    section: "source",
    cli: ["source", "helm"],
    cliAliases: [],
    getCli: ["sources", "helm"],
    getAliases: [],
    getShort: "Get HelmRepository source statuses",
    reconcilable: true,
    suspendable: true,
    staticStatus: false,
    columns: {
      headers: ["Revision", "Suspended", "Ready", "Message"],
      row: (o) => {
        const [status, msg] =
          get(o, "spec", "type") === "oci" ? ["True", "Helm repository is Ready"] : statusAndMessage(o);
        return [truncateHex(artifactRevision(o)), suspendedCell(o), status, truncateHex(msg)];
      },
    },
    statusSelectable: true,
    successMessage: fetched,
    isStaticObject: (o) => get(o, "spec", "type") === "oci",
  },
  {
    kind: "HelmChart",
    group: SOURCE,
    version: "v1",
    plural: "helmcharts",
    humanKind: "source chart",
    section: "source",
    cli: ["source", "chart"],
    cliAliases: [],
    getCli: ["sources", "chart"],
    getAliases: [],
    getShort: "Get HelmChart statuses",
    reconcilable: true,
    suspendable: true,
    staticStatus: false,
    // The revision is a chart version: never shortened.
    columns: revisionColumns(artifactRevision, false, true),
    statusSelectable: true,
    successMessage: (o) => `pulled '${str(get(o, "spec", "chart"))}' chart with version '${artifactRevision(o)}'`,
    sourceRef: (o) => localRef(o, get(o, "spec", "sourceRef")),
  },
  {
    kind: "ImageRepository",
    group: "image.toolkit.fluxcd.io",
    version: "v1",
    plural: "imagerepositories",
    humanKind: "image repository",
    section: "image",
    cli: ["image", "repository"],
    cliAliases: [],
    getCli: ["images", "repository"],
    getAliases: [],
    getShort: "Get ImageRepository status",
    reconcilable: true,
    suspendable: true,
    staticStatus: false,
    columns: {
      headers: ["Last scan", "Suspended", "Ready", "Message"],
      row: (o) => {
        const [status, msg] = statusAndMessage(o);
        return [rfc3339(get(o, "status", "lastScanResult", "scanTime")), suspendedCell(o), status, msg];
      },
    },
    statusSelectable: true,
    successMessage: (o) => `scan fetched ${Number(get(o, "status", "lastScanResult", "tagCount") ?? 0)} tags`,
  },
  {
    kind: "ImagePolicy",
    group: "image.toolkit.fluxcd.io",
    version: "v1",
    plural: "imagepolicies",
    humanKind: "image policy",
    section: "image",
    cli: ["image", "policy"],
    cliAliases: [],
    getCli: ["images", "policy"],
    getAliases: [],
    getShort: "Get ImagePolicy status",
    reconcilable: true,
    suspendable: true,
    staticStatus: false,
    columns: {
      headers: ["Latest image", "Ready", "Message"],
      row: (o) => {
        const [status, msg] = statusAndMessage(o);
        return [imageRefString(get(o, "status", "latestRef")), status, msg];
      },
    },
    statusSelectable: true,
    successMessage: (o) => `selected ref ${imageRefString(get(o, "status", "latestRef"))}`,
    sourceRef: (o) => localRef(o, get(o, "spec", "imageRepositoryRef"), "ImageRepository"),
  },
  {
    kind: "ImageUpdateAutomation",
    group: "image.toolkit.fluxcd.io",
    version: "v1",
    plural: "imageupdateautomations",
    humanKind: "image update automation",
    section: "image",
    cli: ["image", "update"],
    cliAliases: [],
    getCli: ["images", "update"],
    getAliases: [],
    getShort: "Get ImageUpdateAutomation status",
    reconcilable: true,
    suspendable: true,
    staticStatus: false,
    columns: {
      headers: ["Last run", "Suspended", "Ready", "Message"],
      row: (o) => {
        const [status, msg] = statusAndMessage(o);
        return [rfc3339(get(o, "status", "lastAutomationRunTime")), suspendedCell(o), status, msg];
      },
    },
    statusSelectable: true,
    successMessage: (o) => {
      const t = get(o, "status", "lastAutomationRunTime");
      return t ? `last run ${rfc3339(t)}` : "automation not yet run";
    },
    sourceRef: (o) => localRef(o, get(o, "spec", "sourceRef"), "GitRepository"),
  },
  {
    kind: "HelmRelease",
    group: "helm.toolkit.fluxcd.io",
    version: "v2",
    plural: "helmreleases",
    humanKind: "helmrelease",
    section: "workload",
    cli: ["helmrelease"],
    cliAliases: ["hr"],
    getCli: ["helmreleases"],
    getAliases: ["hr", "helmrelease"],
    getShort: "Get HelmRelease statuses",
    reconcilable: true,
    suspendable: true,
    staticStatus: false,
    columns: {
      headers: ["Revision", "Suspended", "Ready", "Message"],
      row: (o) => {
        const [status, msg] = statusAndMessage(o);
        return [helmReleaseRevision(o), suspendedCell(o), status, msg];
      },
    },
    statusSelectable: true,
    successMessage: (o) => `applied revision ${helmReleaseRevision(o)}`,
    reconcileWithSource: true,
    forceReset: true,
    showSource: true,
    eventRefs: (o) => {
      if (get(o, "spec", "chartRef")) return [];
      const ref = localRef(o, get(o, "spec", "chart", "spec", "sourceRef"));
      return ref
        ? [{ kind: "HelmChart", name: `${o.metadata.namespace}-${o.metadata.name}`, namespace: ref.namespace }]
        : [];
    },
    sourceRef: (o) => {
      const chartRef = get(o, "spec", "chartRef");
      if (chartRef) return localRef(o, chartRef);
      return localRef(o, get(o, "spec", "chart", "spec", "sourceRef"));
    },
  },
  {
    kind: "Kustomization",
    group: "kustomize.toolkit.fluxcd.io",
    version: "v1",
    plural: "kustomizations",
    humanKind: "kustomization",
    section: "workload",
    cli: ["kustomization"],
    cliAliases: ["ks"],
    getCli: ["kustomizations"],
    getAliases: ["ks", "kustomization"],
    getShort: "Get Kustomization statuses",
    reconcilable: true,
    suspendable: true,
    staticStatus: false,
    columns: revisionColumns((o) => str(get(o, "status", "lastAppliedRevision"))),
    statusSelectable: true,
    successMessage: (o) => `applied revision ${str(get(o, "status", "lastAppliedRevision"))}`,
    reconcileWithSource: true,
    sourceRef: (o) => localRef(o, get(o, "spec", "sourceRef")),
  },
  {
    kind: "Receiver",
    group: "notification.toolkit.fluxcd.io",
    version: "v1",
    plural: "receivers",
    humanKind: "receiver",
    section: "notification",
    cli: ["receiver"],
    cliAliases: [],
    getCli: ["receivers"],
    getAliases: ["receiver"],
    getShort: "Get Receiver statuses",
    reconcilable: true,
    suspendable: true,
    staticStatus: false,
    columns: {
      headers: ["Suspended", "Ready", "Message"],
      row: (o) => {
        const [status, msg] = statusAndMessage(o);
        return [suspendedCell(o), status, msg];
      },
    },
    statusSelectable: true,
    successMessage: () => "Receiver reconciliation completed",
  },
  {
    kind: "Provider",
    group: "notification.toolkit.fluxcd.io",
    version: "v1beta3",
    plural: "providers",
    humanKind: "alert provider",
    section: "notification",
    cli: ["alert-provider"],
    cliAliases: [],
    getCli: ["alert-providers"],
    getAliases: ["alert-provider"],
    getShort: "Get Provider statuses",
    reconcilable: false,
    suspendable: true,
    staticStatus: true,
    columns: { headers: ["Ready", "Message"], row: () => ["True", "Provider is Ready"] },
    statusSelectable: false,
    successMessage: () => "Provider reconciliation completed",
  },
  {
    kind: "Alert",
    group: "notification.toolkit.fluxcd.io",
    version: "v1beta3",
    plural: "alerts",
    humanKind: "alert",
    section: "notification",
    cli: ["alert"],
    cliAliases: [],
    getCli: ["alerts"],
    getAliases: ["alert"],
    getShort: "Get Alert statuses",
    reconcilable: false,
    suspendable: true,
    staticStatus: true,
    columns: {
      headers: ["Suspended", "Ready", "Message"],
      row: (o) => [suspendedCell(o), "True", "Alert is Ready"],
    },
    statusSelectable: false,
    successMessage: () => "Alert reconciliation completed",
    sourceRef: (o) => localRef(o, get(o, "spec", "providerRef"), "Provider"),
  },
];

/** Upstream's order for `get sources all`. */
export const SOURCE_ORDER = ["OCIRepository", "Bucket", "GitRepository", "HelmRepository", "HelmChart"];
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
  namespaced: true;
} {
  return { group: k.group, version: k.version, plural: k.plural, kind: k.kind, namespaced: true };
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
