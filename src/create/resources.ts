// flux create kustomization|helmrelease|image ...|alert|alert-provider|receiver|tenant
import type { Deps } from "../deps.js";
import { CliError } from "../errors.js";
import type { KubeObject } from "../manifests/common.js";
import { helmRelease, kustomization, type HealthCheck } from "../manifests/kustomization.js";
import { imagePolicy, imageRepository, imageUpdateAutomation, type ImagePolicyChoice } from "../manifests/image.js";
import { alert, alertProvider, receiver } from "../manifests/notification.js";
import { tenantObjects } from "../manifests/tenant.js";
import { restTarget, upsert } from "./apply.js";
import {
  matchKind,
  parseKindName,
  parseKindNameNamespace,
  parseLabels,
  printExport,
  qualifiedNameErrors,
  readUserFile,
  requireName,
  safeRelativePath,
} from "./common.js";
import {
  crdsPolicy,
  decryptionProvider as upstreamDecryptionProvider,
  flagValue,
  helmChartSource,
  kustomizationSource,
  receiverType as upstreamReceiverType,
} from "../util/flag-values.js";
import { appliedRevision, exportOrApply } from "./flow.js";
import type {
  CreateAlertOptions,
  CreateAlertProviderOptions,
  CreateHelmReleaseOptions,
  CreateImagePolicyOptions,
  CreateImageRepositoryOptions,
  CreateImageUpdateOptions,
  CreateKustomizationOptions,
  CreateReceiverOptions,
  CreateTenantOptions,
} from "./options.js";
import { validateSemverRange } from "./semver.js";
import { parseDuration } from "../util/duration.js";
import { helmReleaseRevision } from "../kinds/registry.js";

// ------------------------------------------------------------------ kustomization

export function buildKustomization(opts: CreateKustomizationOptions, deps: Deps): KubeObject {
  const name = requireName(opts.name);
  let kind = "";
  let sourceName = "";
  let sourceNs = "";
  if (opts.source !== undefined)
    ({ kind, name: sourceName, namespace: sourceNs } = flagValue(opts.source, "source", kustomizationSource));
  if (!sourceName) throw new CliError("source is required");
  const path = opts.path === undefined ? "./" : safeRelativePath(opts.path);
  if (path === "") throw new CliError("path is required");
  if (!path.startsWith("./")) throw new CliError("path must begin with ./");
  const decryptionProvider = opts.decryptionProvider;
  if (decryptionProvider) flagValue(decryptionProvider, "decryption-provider", upstreamDecryptionProvider);
  const labels = parseLabels(opts.label);
  const wait = opts.wait;
  const healthChecks: HealthCheck[] = [];
  if (!wait) {
    for (const w of opts.healthCheck) {
      const kindObj = w.split("/");
      if (kindObj.length !== 2) {
        throw new CliError(
          `invalid health check '${w}' must be in the format 'kind/name.namespace' [${kindObj.join(" ")}]`,
        );
      }
      const [hkind = "", nameAndNamespace = ""] = kindObj;
      if (!["Deployment", "DaemonSet", "StatefulSet", "HelmRelease"].includes(hkind)) {
        throw new CliError(
          `invalid health check kind '${hkind}' can be HelmRelease, Deployment, DaemonSet or StatefulSet`,
        );
      }
      const nameNs = nameAndNamespace.split(".");
      if (nameNs.length !== 2)
        throw new CliError(`invalid health check '${w}' must be in the format 'kind/name.namespace'`);
      const [checkName = "", checkNamespace = ""] = nameNs;
      healthChecks.push({
        apiVersion: hkind === "HelmRelease" ? "helm.toolkit.fluxcd.io/v2" : undefined,
        kind: hkind,
        name: checkName,
        namespace: checkNamespace,
      });
    }
  }
  return kustomization({
    name,
    namespace: deps.globals.namespace,
    labels,
    source: { kind, name: sourceName, namespace: sourceNs },
    path,
    interval: opts.interval || "1m",
    prune: opts.prune,
    dependsOn: opts.dependsOn,
    targetNamespace: opts.targetNamespace,
    kubeConfigSecretRef: opts.kubeconfigSecretRef,
    healthChecks,
    healthCheckTimeout: opts.healthCheckTimeout || "2m",
    wait,
    serviceAccount: opts.serviceAccount,
    decryptionProvider,
    decryptionSecret: opts.decryptionSecret,
    retryInterval: opts.retryInterval,
  });
}

const createKustomization = exportOrApply(buildKustomization, {
  what: "Kustomization",
  readyStyle: "named",
  report: appliedRevision,
});

// --validation's deprecation line is printed by the CLI (deprecateOption).
export async function runCreateKustomization(opts: CreateKustomizationOptions, deps: Deps): Promise<void> {
  await createKustomization(opts, deps);
}

// ------------------------------------------------------------------ helmrelease

export const CHART_REF_KINDS = ["OCIRepository", "HelmChart"] as const;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Helm's MergeMaps: nested maps merge, everything else is replaced. */
export function mergeValues(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isPlainObject(v) && isPlainObject(prev) ? mergeValues(prev, v) : v;
  }
  return out;
}

async function readValues(files: string[]): Promise<Record<string, unknown> | undefined> {
  if (files.length === 0) return undefined;
  // Lazy: only --values files need the YAML parser; `create … --export` stays light.
  const YAML = await import("yaml");
  let merged: Record<string, unknown> = {};
  for (const f of files) {
    const text = readUserFile(f, `reading values from ${f} failed`);
    let doc: unknown;
    try {
      // YAML 1.1 as go-yaml v2 reads it; timestamps stay strings as in sigs.k8s.io/yaml.
      doc = YAML.parse(text, {
        version: "1.1",
        uniqueKeys: false,
        customTags: (tags) => tags.filter((t) => typeof t === "string" || t.tag !== "tag:yaml.org,2002:timestamp"),
      });
    } catch (err) {
      throw new CliError(`converting values to JSON from ${f} failed: ${(err as Error).message.split("\n")[0]}`);
    }
    if (doc === null || doc === undefined) doc = {};
    if (!isPlainObject(doc)) {
      throw new CliError(
        `unmarshaling values from ${f} failed: json: cannot unmarshal ${Array.isArray(doc) ? "array" : typeof doc} into Go value of type map[string]interface {}`,
      );
    }
    merged = mergeValues(merged, JSON.parse(JSON.stringify(doc)) as Record<string, unknown>);
  }
  return merged;
}

export async function buildHelmRelease(opts: CreateHelmReleaseOptions, deps: Deps): Promise<KubeObject> {
  const name = requireName(opts.name);
  const src = opts.source === undefined ? undefined : flagValue(opts.source, "source", helmChartSource);
  const chart = opts.chart;
  const chartRefRaw = opts.chartRef;
  if (!chart && !chartRefRaw) throw new CliError("chart or chart-ref is required");
  if (chart && chartRefRaw) throw new CliError("cannot use --chart in combination with --chart-ref");
  const crds = opts.crds;
  if (crds) flagValue(crds, "crds", crdsPolicy);
  const labels = parseLabels(opts.label);
  const strategy = opts.reconcileStrategy === undefined ? "ChartVersion" : opts.reconcileStrategy;
  if (strategy !== "Revision" && strategy !== "ChartVersion") {
    throw new CliError(`'${strategy}' is an invalid reconcile strategy(valid: Revision, ChartVersion)`);
  }
  let chartRef: { kind: string; name: string; namespace: string } | undefined;
  if (chartRefRaw) {
    const p = parseKindNameNamespace(chartRefRaw);
    const k = matchKind(CHART_REF_KINDS, p.kind);
    if (!k)
      throw new CliError(
        `chart reference kind '${p.kind}' is not supported, must be one of: ${CHART_REF_KINDS.join(", ")}`,
      );
    chartRef = { kind: k, name: p.name, namespace: p.namespace };
  }
  const valuesFrom: { kind: string; name: string }[] = [];
  for (const value of opts.valuesFrom) {
    const p = parseKindName(value);
    if (p.kind === "")
      throw new CliError(`invalid Kubernetes object reference '${value}', must be in format <kind>/<name>`);
    const k = matchKind(["Secret", "ConfigMap"], p.kind);
    if (!k) throw new CliError(`reference kind '${p.kind}' is not supported, must be one of: Secret, ConfigMap`);
    valuesFrom.push({ kind: k, name: p.name });
  }
  const values = await readValues(opts.values);
  return helmRelease({
    name,
    namespace: deps.globals.namespace,
    labels,
    interval: opts.interval || "1m",
    chart: chart || undefined,
    chartVersion: opts.chartVersion,
    source: src,
    chartRef,
    reconcileStrategy: strategy,
    chartInterval: opts.chartInterval,
    releaseName: opts.releaseName,
    dependsOn: opts.dependsOn,
    targetNamespace: opts.targetNamespace,
    storageNamespace: opts.storageNamespace,
    createTargetNamespace: opts.createTargetNamespace,
    serviceAccount: opts.serviceAccount,
    crds: crds || undefined,
    kubeConfigSecretRef: opts.kubeconfigSecretRef,
    values,
    valuesFrom,
  });
}

export const runCreateHelmRelease = exportOrApply(buildHelmRelease, {
  what: "HelmRelease",
  readyStyle: "named",
  // upstream's getHelmReleaseRevision: the chart version of the latest release (status.history).
  report: (ready, ctx) =>
    ctx.logger.success(`applied revision ${helmReleaseRevision(ready as Parameters<typeof helmReleaseRevision>[0])}`),
});

// ------------------------------------------------------------------ image

const IMAGE_REF =
  /^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

export function buildImageRepository(opts: CreateImageRepositoryOptions, deps: Deps): KubeObject {
  const name = requireName(opts.name);
  const image = opts.image;
  if (!image) throw new CliError("an image repository (--image) is required");
  if (!IMAGE_REF.test(image)) {
    const parts = image.split("/");
    const [first = ""] = parts;
    const repo =
      parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost")
        ? parts.slice(1).join("/")
        : image;
    throw new CliError(
      `unable to parse image value: repository can only contain the characters \`abcdefghijklmnopqrstuvwxyz0123456789_-./\`: ${repo}`,
    );
  }
  const labels = parseLabels(opts.label);
  return imageRepository({
    name,
    namespace: deps.globals.namespace,
    labels,
    image,
    interval: opts.interval || "1m",
    secretRef: opts.secretRef,
    certSecretRef: opts.certRef,
    scanTimeout: opts.scanTimeout,
  });
}

export const runCreateImageRepository = exportOrApply(buildImageRepository, {
  what: "ImageRepository",
  readyStyle: "completed",
});

export const REFLECT_DIGEST = ["Always", "IfNotPresent", "Never"] as const;

/** Go regexp capture group names: (?P<name>...) and (?<name>...). */
function captureNames(pattern: string): Set<string> {
  const names = new Set<string>();
  for (const [, name] of pattern.matchAll(/\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/g)) if (name) names.add(name);
  return names;
}

/** upstream's validateExtractStr: named references must be capture groups of the regex. */
function validateExtract(template: string, pattern: string): void {
  const names = captureNames(pattern);
  let t = template;
  for (;;) {
    const i = t.indexOf("$");
    if (i < 0) return;
    t = t.slice(i);
    if (t.length > 1 && t[1] === "$") {
      t = t.slice(2);
      continue;
    }
    const m = /^\$(?:\{([\p{L}\p{N}_]+)\}|([\p{L}\p{N}_]+))/u.exec(t);
    if (!m) throw new CliError("--filter-extract is malformed");
    const name = m[1] ?? m[2] ?? "";
    t = t.slice(m[0].length);
    const numeric = /^\d+$/.test(name) && !(name.length > 1 && name.startsWith("0")) && name.length <= 8;
    if (numeric) continue;
    if (!names.has(name)) {
      throw new CliError(`capture group $${name} used in --filter-extract not found in --filter-regex`);
    }
  }
}

export function buildImagePolicy(opts: CreateImagePolicyOptions, deps: Deps): KubeObject {
  const name = requireName(opts.name);
  const imageRef = opts.imageRef;
  if (!imageRef) throw new CliError("the name of an ImageRepository in the namespace is required (--image-ref)");
  const labels = parseLabels(opts.label);
  const semver = opts.selectSemver;
  const alpha = opts.selectAlpha;
  const numeric = opts.selectNumeric;
  let policy: ImagePolicyChoice;
  if (semver && (alpha || numeric)) {
    // upstream's switch has empty cases here: no error and no policy
    policy = {};
  } else if (alpha && numeric) {
    throw new CliError("only one of --select-semver, --select-alpha or --select-numeric can be specified");
  } else if (semver) {
    validateSemverRange(semver);
    policy = { semver: { range: semver } };
  } else if (alpha) {
    if (alpha !== "desc" && alpha !== "asc") throw new CliError(`--select-alpha must be one of ["asc", "desc"]`);
    policy = { alphabetical: { order: alpha } };
  } else if (numeric) {
    if (numeric !== "desc" && numeric !== "asc") throw new CliError(`--select-numeric must be one of ["asc", "desc"]`);
    policy = { numerical: { order: numeric } };
  } else {
    throw new CliError("a policy must be provided with either --select-semver or --select-alpha");
  }
  const filterRegex = opts.filterRegex;
  const filterExtract = opts.filterExtract;
  if (filterRegex) {
    try {
      new RegExp(filterRegex.replace(/\(\?P</g, "(?<"), "u");
    } catch {
      throw new CliError("--filter-regex is an invalid regex pattern");
    }
    if (filterExtract) validateExtract(filterExtract, filterRegex);
  } else if (filterExtract) {
    throw new CliError("cannot specify --filter-extract without specifying --filter-regex");
  }
  const reflect = opts.reflectDigest;
  if (reflect && !(REFLECT_DIGEST as readonly string[]).includes(reflect)) {
    throw new CliError(`invalid value for --reflect-digest, must be one of ${REFLECT_DIGEST.join(", ")}`);
  }
  // the policy's own --interval (digest checks with --reflect-digest=Always); unset by default
  const interval = opts.intervalSet && parseDuration(opts.interval) !== 0 ? opts.interval : "";
  if (interval && reflect !== "Always") {
    throw new CliError(
      "the --interval flag can only be used with the 'Always' digest reflection policy, use --reflect-digest=Always",
    );
  }
  return imagePolicy({
    name,
    namespace: deps.globals.namespace,
    labels,
    imageRepository: imageRef,
    policy,
    filterRegex,
    filterExtract,
    reflectDigest: reflect,
    interval,
  });
}

export const runCreateImagePolicy = exportOrApply(buildImagePolicy, {
  what: "ImagePolicy",
  readyStyle: "completed",
});

export function buildImageUpdate(opts: CreateImageUpdateOptions, deps: Deps): KubeObject {
  const name = requireName(opts.name);
  const gitRepo = opts.gitRepoRef;
  if (!gitRepo) throw new CliError("a reference to a GitRepository is required (--git-repo-ref)");
  if (!opts.checkoutBranch) throw new CliError("the Git repository branch is required (--checkout-branch)");
  const authorName = opts.authorName;
  const authorEmail = opts.authorEmail;
  if (!authorName) throw new CliError("the author name is required (--author-name)");
  if (!authorEmail) throw new CliError("the author email is required (--author-email)");
  const signingSecret = opts.signingKeySecret;
  const signingType = opts.signingKeyType;
  if (signingType && !signingSecret) throw new CliError("--signing-key-type requires --signing-key-secret");
  if (signingType && signingType !== "gpg" && signingType !== "ssh")
    throw new CliError("--signing-key-type must be one of: gpg, ssh");
  const labels = parseLabels(opts.label);
  const path = opts.gitRepoPath;
  return imageUpdateAutomation({
    name,
    namespace: deps.globals.namespace,
    labels,
    gitRepository: gitRepo,
    gitRepositoryNamespace: opts.gitRepoNamespace,
    gitRepositoryPath: path,
    checkoutBranch: opts.checkoutBranch,
    pushBranch: opts.pushBranch,
    commitTemplate: opts.commitTemplate,
    authorName,
    authorEmail,
    signingKeySecret: signingSecret,
    signingKeyType: signingType || undefined,
    interval: opts.interval || "1m",
  });
}

export const runCreateImageUpdate = exportOrApply(buildImageUpdate, {
  what: "ImageUpdateAutomation",
  readyStyle: "completed",
});

// ------------------------------------------------------------------ notification

export const EVENT_SEVERITIES = ["info", "error"] as const;

export function buildAlert(opts: CreateAlertOptions, deps: Deps): KubeObject {
  const name = requireName(opts.name);
  const providerRef = opts.providerRef;
  if (!providerRef) throw new CliError("provider ref is required");
  const severity = opts.eventSeverity;
  if (severity && !(EVENT_SEVERITIES as readonly string[]).includes(severity)) {
    throw new CliError(`event severity '${severity}' is not supported, must be one of: ${EVENT_SEVERITIES.join(", ")}`);
  }
  const eventSources = opts.eventSource.map((s) => {
    const p = parseKindNameNamespace(s);
    if (p.kind === "") throw new CliError(`invalid event source '${s}', must be in format <kind>/<name>`);
    return p;
  });
  if (eventSources.length === 0) throw new CliError("at least one event source is required");
  const labels = parseLabels(opts.label);
  return alert({ name, namespace: deps.globals.namespace, labels, providerRef, eventSeverity: severity, eventSources });
}

export const runCreateAlert = exportOrApply(buildAlert, { what: "Alert", readyStyle: "static" });

export const PROVIDER_TYPES = [
  "slack",
  "discord",
  "msteams",
  "rocket",
  "generic",
  "generic-hmac",
  "github",
  "gitlab",
  "gitea",
  "bitbucketserver",
  "bitbucket",
  "azuredevops",
  "googlechat",
  "googlepubsub",
  "webex",
  "sentry",
  "azureeventhub",
  "telegram",
  "lark",
  "matrix",
  "opsgenie",
  "alertmanager",
  "grafana",
  "githubdispatch",
  "githubpullrequestcomment",
  "gitlabmergerequestcomment",
  "giteapullrequestcomment",
  "pagerduty",
  "datadog",
  "nats",
  "zulip",
  "otel",
] as const;

export function buildAlertProvider(opts: CreateAlertProviderOptions, deps: Deps): KubeObject {
  const name = requireName(opts.name);
  const type = opts.type;
  if (!type) throw new CliError("Provider type is required");
  if (!(PROVIDER_TYPES as readonly string[]).includes(type)) {
    throw new CliError(`Provider type '${type}' is not supported, must be one of: ${PROVIDER_TYPES.join(", ")}`);
  }
  const labels = parseLabels(opts.label);
  return alertProvider({
    name,
    namespace: deps.globals.namespace,
    labels,
    type,
    channel: opts.channel,
    username: opts.username,
    address: opts.address,
    secretRef: opts.secretRef,
  });
}

export const runCreateAlertProvider = exportOrApply(buildAlertProvider, {
  what: "Provider",
  readyStyle: "static",
});

/** --type of `create receiver` and `create secret receiver`, checked; "" when not given. */
export function receiverType(opts: { type: string | undefined }): string {
  if (opts.type === undefined) return "";
  return flagValue(opts.type, "type", upstreamReceiverType);
}

export function buildReceiver(opts: CreateReceiverOptions, deps: Deps): KubeObject {
  const name = requireName(opts.name);
  const type = receiverType(opts);
  if (!type) throw new CliError("Receiver type is required");
  const secretRef = opts.secretRef;
  if (!secretRef) throw new CliError("secret ref is required");
  const resources = opts.resource.map((r) => {
    const p = parseKindName(r);
    if (p.kind === "") throw new CliError(`invalid event source '${r}', must be in format <kind>/<name>`);
    return p;
  });
  if (resources.length === 0) throw new CliError("atleast one resource is required");
  const labels = parseLabels(opts.label);
  return receiver({
    name,
    namespace: deps.globals.namespace,
    labels,
    type,
    secretRef,
    events: opts.event,
    resources,
  });
}

export const runCreateReceiver = exportOrApply(buildReceiver, {
  what: "Receiver",
  readyStyle: "named",
  report: (ready, c) => {
    const path = (ready.status as { webhookPath?: string } | undefined)?.webhookPath ?? "";
    c.logger.success(`generated webhook URL ${path}`);
  },
});

// ------------------------------------------------------------------ tenant

export function buildTenant(opts: CreateTenantOptions): KubeObject[] {
  if (opts.name === undefined) throw new CliError("name is required");
  const tenant = opts.name;
  const terr = qualifiedNameErrors(tenant);
  if (terr.length > 0) throw new CliError(`invalid tenant name '${tenant}': [${terr.join(" ")}]`);
  const clusterRole = opts.clusterRole === undefined ? "cluster-admin" : opts.clusterRole;
  if (!clusterRole) throw new CliError("cluster-role is required");
  const namespaces = opts.withNamespace;
  if (namespaces === undefined) throw new CliError("with-namespace is required");
  for (const ns of namespaces) {
    const err = qualifiedNameErrors(ns);
    if (err.length > 0) throw new CliError(`invalid namespace '${ns}': [${err.join(" ")}]`);
  }
  const labels = parseLabels(opts.label);
  return tenantObjects({
    tenant,
    namespaces,
    clusterRole,
    serviceAccount: opts.withServiceAccount,
    skipNamespace: opts.skipNamespace,
    labels,
  });
}

export async function runCreateTenant(opts: CreateTenantOptions, deps: Deps): Promise<void> {
  const objects = buildTenant(opts);
  if (opts.export) {
    printExport(deps, objects);
    return;
  }
  const target = await restTarget(deps);
  const what: Record<string, string> = {
    Namespace: "namespace",
    ServiceAccount: "service account",
    RoleBinding: "role binding",
  };
  for (const obj of objects) {
    deps.logger.action(`applying ${what[obj.kind]} ${obj.metadata.name}`);
    await upsert(target, obj);
  }
  deps.logger.success("tenant setup completed");
}
