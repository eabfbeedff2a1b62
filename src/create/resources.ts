// flux create kustomization|helmrelease|image ...|alert|alert-provider|receiver|tenant
import type { Run } from "../cli/action.js";
import type { CommandContext } from "../cli/context.js";
import { CliError } from "../errors.js";
import type { KubeObject } from "../manifests/common.js";
import { helmRelease, kustomization, type HealthCheck } from "../manifests/kustomization.js";
import { imagePolicy, imageRepository, imageUpdateAutomation, type ImagePolicyChoice } from "../manifests/image.js";
import { alert, alertProvider, receiver } from "../manifests/notification.js";
import { tenantObjects } from "../manifests/tenant.js";
import { restTarget, upsert } from "./apply.js";
import {
  invalidFlag,
  list,
  matchKind,
  parseKindName,
  parseKindNameNamespace,
  parseLabels,
  printExport,
  qualifiedNameErrors,
  readUserFile,
  requireName,
  safeRelativePath,
  sourceKind,
  str,
  type Opts,
} from "./common.js";
import { appliedRevision, exportOrApply } from "./flow.js";
import { validateSemverRange } from "./semver.js";

// ------------------------------------------------------------------ kustomization

export const KUSTOMIZATION_SOURCE_KINDS = ["OCIRepository", "GitRepository", "Bucket"] as const;

export function buildKustomization(args: string[], opts: Opts, ctx: CommandContext): KubeObject {
  const name = requireName(args);
  const source = str(opts.source);
  let kind = "";
  let sourceName = "";
  let sourceNs = "";
  if (source.trim() !== "") {
    const p = parseKindNameNamespace(source);
    kind = sourceKind(KUSTOMIZATION_SOURCE_KINDS, p.kind || "GitRepository", source);
    sourceName = p.name;
    sourceNs = p.namespace;
  } else if (opts.source !== undefined) {
    throw invalidFlag(
      source,
      "source",
      "no kustomization source given, please specify source that contains the Kubernetes manifests in the format '[<kind>/]<name>.<namespace>', where kind must be one of: (OCIRepository, GitRepository, Bucket), if kind is not specified it defaults to GitRepository",
    );
  }
  if (!sourceName) throw new CliError("source is required");
  const path = opts.path === undefined ? "./" : safeRelativePath(str(opts.path));
  if (path === "") throw new CliError("path is required");
  if (!path.startsWith("./")) throw new CliError("path must begin with ./");
  const decryptionProvider = str(opts.decryptionProvider);
  if (decryptionProvider && decryptionProvider !== "sops") {
    throw invalidFlag(
      decryptionProvider,
      "decryption-provider",
      `unsupported decryption provider '${decryptionProvider}', must be one of: sops`,
    );
  }
  const labels = parseLabels(list(opts.label));
  const wait = opts.wait === true;
  const healthChecks: HealthCheck[] = [];
  if (!wait) {
    for (const w of list(opts.healthCheck)) {
      const kindObj = w.split("/");
      if (kindObj.length !== 2) {
        throw new CliError(
          `invalid health check '${w}' must be in the format 'kind/name.namespace' [${kindObj.join(" ")}]`,
        );
      }
      const hkind = kindObj[0]!;
      if (!["Deployment", "DaemonSet", "StatefulSet", "HelmRelease"].includes(hkind)) {
        throw new CliError(
          `invalid health check kind '${hkind}' can be HelmRelease, Deployment, DaemonSet or StatefulSet`,
        );
      }
      const nameNs = kindObj[1]!.split(".");
      if (nameNs.length !== 2)
        throw new CliError(`invalid health check '${w}' must be in the format 'kind/name.namespace'`);
      healthChecks.push({
        apiVersion: hkind === "HelmRelease" ? "helm.toolkit.fluxcd.io/v2" : undefined,
        kind: hkind,
        name: nameNs[0]!,
        namespace: nameNs[1]!,
      });
    }
  }
  return kustomization({
    name,
    namespace: ctx.globals.namespace,
    labels,
    source: { kind, name: sourceName, namespace: sourceNs },
    path,
    interval: str(opts.interval) || "1m",
    prune: opts.prune === true,
    dependsOn: list(opts.dependsOn),
    targetNamespace: str(opts.targetNamespace),
    kubeConfigSecretRef: str(opts.kubeconfigSecretRef),
    healthChecks,
    healthCheckTimeout: str(opts.healthCheckTimeout) || "2m",
    wait,
    serviceAccount: str(opts.serviceAccount),
    decryptionProvider,
    decryptionSecret: str(opts.decryptionSecret),
    retryInterval: str(opts.retryInterval),
  });
}

const createKustomization = exportOrApply(buildKustomization, {
  what: "Kustomization",
  readyStyle: "named",
  report: appliedRevision,
});

export const runCreateKustomization: Run = async (args, opts, ctx) => {
  if (opts.validation !== undefined) {
    ctx.io.stderr.write(
      "Flag --validation has been deprecated, this arg is no longer used, all resources are validated using server-side apply dry-run\n",
    );
  }
  await createKustomization(args, opts, ctx);
};

// ------------------------------------------------------------------ helmrelease

export const HELMRELEASE_SOURCE_KINDS = ["HelmRepository", "GitRepository", "Bucket"] as const;
export const CHART_REF_KINDS = ["OCIRepository", "HelmChart"] as const;
export const CRDS_POLICIES = ["Skip", "Create", "CreateReplace"] as const;

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

export async function buildHelmRelease(args: string[], opts: Opts, ctx: CommandContext): Promise<KubeObject> {
  const name = requireName(args);
  const source = str(opts.source);
  let src: { kind: string; name: string; namespace: string } | undefined;
  if (opts.source !== undefined) {
    if (source.trim() === "") {
      throw invalidFlag(
        source,
        "source",
        "no helm chart source given, please specify source that contains the chart in the format '<kind>/<name>.<namespace>', where kind must be one of: (HelmRepository, GitRepository, Bucket)",
      );
    }
    const p = parseKindNameNamespace(source);
    if (p.kind === "" || p.name === "")
      throw invalidFlag(source, "source", `invalid helm chart source '${source}', must be in format <kind>/<name>`);
    src = { kind: sourceKind(HELMRELEASE_SOURCE_KINDS, p.kind, source), name: p.name, namespace: p.namespace };
  }
  const chart = str(opts.chart);
  const chartRefRaw = str(opts.chartRef);
  if (!chart && !chartRefRaw) throw new CliError("chart or chart-ref is required");
  if (chart && chartRefRaw) throw new CliError("cannot use --chart in combination with --chart-ref");
  const crds = str(opts.crds);
  if (crds && !(CRDS_POLICIES as readonly string[]).includes(crds)) {
    throw invalidFlag(crds, "crds", `unsupported CRDs policy '${crds}', must be one of: ${CRDS_POLICIES.join(", ")}`);
  }
  const labels = parseLabels(list(opts.label));
  const strategy = opts.reconcileStrategy === undefined ? "ChartVersion" : str(opts.reconcileStrategy);
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
  for (const value of list(opts.valuesFrom)) {
    const p = parseKindName(value);
    if (p.kind === "")
      throw new CliError(`invalid Kubernetes object reference '${value}', must be in format <kind>/<name>`);
    const k = matchKind(["Secret", "ConfigMap"], p.kind);
    if (!k) throw new CliError(`reference kind '${p.kind}' is not supported, must be one of: Secret, ConfigMap`);
    valuesFrom.push({ kind: k, name: p.name });
  }
  const values = await readValues(list(opts.values));
  return helmRelease({
    name,
    namespace: ctx.globals.namespace,
    labels,
    interval: str(opts.interval) || "1m",
    chart: chart || undefined,
    chartVersion: str(opts.chartVersion),
    source: src,
    chartRef,
    reconcileStrategy: strategy,
    chartInterval: str(opts.chartInterval),
    releaseName: str(opts.releaseName),
    dependsOn: list(opts.dependsOn),
    targetNamespace: str(opts.targetNamespace),
    storageNamespace: str(opts.storageNamespace),
    createTargetNamespace: opts.createTargetNamespace === true,
    serviceAccount: str(opts.serviceAccount),
    crds: crds || undefined,
    kubeConfigSecretRef: str(opts.kubeconfigSecretRef),
    values,
    valuesFrom,
  });
}

export const runCreateHelmRelease: Run = exportOrApply(buildHelmRelease, {
  what: "HelmRelease",
  readyStyle: "named",
  report: appliedRevision,
});

// ------------------------------------------------------------------ image

const IMAGE_REF =
  /^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

export function buildImageRepository(args: string[], opts: Opts, ctx: CommandContext): KubeObject {
  const name = requireName(args);
  const image = str(opts.image);
  if (!image) throw new CliError("an image repository (--image) is required");
  if (!IMAGE_REF.test(image)) {
    const parts = image.split("/");
    const repo =
      parts.length > 1 && (parts[0]!.includes(".") || parts[0]!.includes(":") || parts[0] === "localhost")
        ? parts.slice(1).join("/")
        : image;
    throw new CliError(
      `unable to parse image value: repository can only contain the characters \`abcdefghijklmnopqrstuvwxyz0123456789_-./\`: ${repo}`,
    );
  }
  const labels = parseLabels(list(opts.label));
  return imageRepository({
    name,
    namespace: ctx.globals.namespace,
    labels,
    image,
    interval: str(opts.interval) || "1m",
    secretRef: str(opts.secretRef),
    certSecretRef: str(opts.certRef),
    scanTimeout: str(opts.scanTimeout),
  });
}

export const runCreateImageRepository: Run = exportOrApply(buildImageRepository, {
  what: "ImageRepository",
  readyStyle: "completed",
});

export const REFLECT_DIGEST = ["Always", "IfNotPresent", "Never"] as const;

/** Go regexp capture group names: (?P<name>...) and (?<name>...). */
function captureNames(pattern: string): Set<string> {
  const names = new Set<string>();
  for (const m of pattern.matchAll(/\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/g)) names.add(m[1]!);
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
    const name = m[1] ?? m[2]!;
    t = t.slice(m[0].length);
    const numeric = /^\d+$/.test(name) && !(name.length > 1 && name.startsWith("0")) && name.length <= 8;
    if (numeric) continue;
    if (!names.has(name)) {
      throw new CliError(`capture group $${name} used in --filter-extract not found in --filter-regex`);
    }
  }
}

export function buildImagePolicy(args: string[], opts: Opts, ctx: CommandContext, intervalSet: boolean): KubeObject {
  const name = requireName(args);
  const imageRef = str(opts.imageRef);
  if (!imageRef) throw new CliError("the name of an ImageRepository in the namespace is required (--image-ref)");
  const labels = parseLabels(list(opts.label));
  const semver = str(opts.selectSemver);
  const alpha = str(opts.selectAlpha);
  const numeric = str(opts.selectNumeric);
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
  const filterRegex = str(opts.filterRegex);
  const filterExtract = str(opts.filterExtract);
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
  const reflect = str(opts.reflectDigest);
  if (reflect && !(REFLECT_DIGEST as readonly string[]).includes(reflect)) {
    throw new CliError(`invalid value for --reflect-digest, must be one of ${REFLECT_DIGEST.join(", ")}`);
  }
  // the policy's own --interval (digest checks with --reflect-digest=Always); unset by default
  const interval = intervalSet ? str(opts.interval) : "";
  return imagePolicy({
    name,
    namespace: ctx.globals.namespace,
    labels,
    imageRepository: imageRef,
    policy,
    filterRegex,
    filterExtract,
    reflectDigest: reflect,
    interval,
  });
}

export function runCreateImagePolicyWith(intervalSet: boolean): Run {
  return exportOrApply((args, opts, ctx) => buildImagePolicy(args, opts, ctx, intervalSet), {
    what: "ImagePolicy",
    readyStyle: "completed",
  });
}

export const runCreateImagePolicy: Run = (args, opts, ctx) =>
  runCreateImagePolicyWith(opts.intervalSet === true)(args, opts, ctx);

export function buildImageUpdate(args: string[], opts: Opts, ctx: CommandContext): KubeObject {
  const name = requireName(args);
  const gitRepo = str(opts.gitRepoRef);
  if (!gitRepo) throw new CliError("a reference to a GitRepository is required (--git-repo-ref)");
  if (!str(opts.checkoutBranch)) throw new CliError("the Git repository branch is required (--checkout-branch)");
  const authorName = str(opts.authorName);
  const authorEmail = str(opts.authorEmail);
  if (!authorName) throw new CliError("the author name is required (--author-name)");
  if (!authorEmail) throw new CliError("the author email is required (--author-email)");
  const signingSecret = str(opts.signingKeySecret);
  const signingType = str(opts.signingKeyType);
  if (signingType && !signingSecret) throw new CliError("--signing-key-type requires --signing-key-secret");
  if (signingType && signingType !== "gpg" && signingType !== "ssh")
    throw new CliError("--signing-key-type must be one of: gpg, ssh");
  const labels = parseLabels(list(opts.label));
  const path = str(opts.gitRepoPath);
  return imageUpdateAutomation({
    name,
    namespace: ctx.globals.namespace,
    labels,
    gitRepository: gitRepo,
    gitRepositoryNamespace: str(opts.gitRepoNamespace),
    gitRepositoryPath: path,
    checkoutBranch: str(opts.checkoutBranch),
    pushBranch: str(opts.pushBranch),
    commitTemplate: str(opts.commitTemplate),
    authorName,
    authorEmail,
    signingKeySecret: signingSecret,
    signingKeyType: signingType || "gpg",
    interval: str(opts.interval) || "1m",
  });
}

export const runCreateImageUpdate: Run = exportOrApply(buildImageUpdate, {
  what: "ImageUpdateAutomation",
  readyStyle: "completed",
});

// ------------------------------------------------------------------ notification

export const EVENT_SEVERITIES = ["info", "error"] as const;

export function buildAlert(args: string[], opts: Opts, ctx: CommandContext): KubeObject {
  const name = requireName(args);
  const providerRef = str(opts.providerRef);
  if (!providerRef) throw new CliError("provider ref is required");
  const severity = str(opts.eventSeverity);
  if (severity && !(EVENT_SEVERITIES as readonly string[]).includes(severity)) {
    throw new CliError(`event severity '${severity}' is not supported, must be one of: ${EVENT_SEVERITIES.join(", ")}`);
  }
  const eventSources = list(opts.eventSource).map((s) => {
    const p = parseKindNameNamespace(s);
    if (p.kind === "") throw new CliError(`invalid event source '${s}', must be in format <kind>/<name>`);
    return p;
  });
  if (eventSources.length === 0) throw new CliError("at least one event source is required");
  const labels = parseLabels(list(opts.label));
  return alert({ name, namespace: ctx.globals.namespace, labels, providerRef, eventSeverity: severity, eventSources });
}

export const runCreateAlert: Run = exportOrApply(buildAlert, { what: "Alert", readyStyle: "static" });

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

export function buildAlertProvider(args: string[], opts: Opts, ctx: CommandContext): KubeObject {
  const name = requireName(args);
  const type = str(opts.type);
  if (!type) throw new CliError("Provider type is required");
  if (!(PROVIDER_TYPES as readonly string[]).includes(type)) {
    throw new CliError(`Provider type '${type}' is not supported, must be one of: ${PROVIDER_TYPES.join(", ")}`);
  }
  const labels = parseLabels(list(opts.label));
  return alertProvider({
    name,
    namespace: ctx.globals.namespace,
    labels,
    type,
    channel: str(opts.channel),
    username: str(opts.username),
    address: str(opts.address),
    secretRef: str(opts.secretRef),
  });
}

export const runCreateAlertProvider: Run = exportOrApply(buildAlertProvider, {
  what: "Provider",
  readyStyle: "static",
});

export const RECEIVER_TYPES = [
  "generic",
  "generic-hmac",
  "github",
  "gitlab",
  "bitbucket",
  "harbor",
  "dockerhub",
  "quay",
  "gcr",
  "nexus",
  "acr",
  "cdevents",
] as const;

export function checkReceiverType(type: string): void {
  if (!(RECEIVER_TYPES as readonly string[]).includes(type)) {
    throw invalidFlag(
      type,
      "type",
      `receiver type '${type}' is not supported, must be one of: ${RECEIVER_TYPES.join(", ")}`,
    );
  }
}

/** --type of `create receiver` and `create secret receiver`, checked; "" when not given. */
export function receiverType(opts: Opts): string {
  const type = str(opts.type);
  if (opts.type !== undefined && type.trim() === "") {
    throw invalidFlag(type, "type", "no receiver type given, please specify the receiver type");
  }
  if (type) checkReceiverType(type);
  return type;
}

export function buildReceiver(args: string[], opts: Opts, ctx: CommandContext): KubeObject {
  const name = requireName(args);
  const type = receiverType(opts);
  if (!type) throw new CliError("Receiver type is required");
  const secretRef = str(opts.secretRef);
  if (!secretRef) throw new CliError("secret ref is required");
  const resources = list(opts.resource).map((r) => {
    const p = parseKindName(r);
    if (p.kind === "") throw new CliError(`invalid event source '${r}', must be in format <kind>/<name>`);
    return p;
  });
  if (resources.length === 0) throw new CliError("atleast one resource is required");
  const labels = parseLabels(list(opts.label));
  return receiver({
    name,
    namespace: ctx.globals.namespace,
    labels,
    type,
    secretRef,
    events: list(opts.event),
    resources,
  });
}

export const runCreateReceiver: Run = exportOrApply(buildReceiver, {
  what: "Receiver",
  readyStyle: "named",
  report: (ready, c) => {
    const path = (ready.status as { webhookPath?: string } | undefined)?.webhookPath ?? "";
    c.logger.success(`generated webhook URL ${path}`);
  },
});

// ------------------------------------------------------------------ tenant

export function buildTenant(args: string[], opts: Opts): KubeObject[] {
  if (args.length < 1) throw new CliError("name is required");
  const tenant = args[0]!;
  const terr = qualifiedNameErrors(tenant);
  if (terr.length > 0) throw new CliError(`invalid tenant name '${tenant}': [${terr.join(" ")}]`);
  const clusterRole = opts.clusterRole === undefined ? "cluster-admin" : str(opts.clusterRole);
  if (!clusterRole) throw new CliError("cluster-role is required");
  const namespaces = list(opts.withNamespace);
  if (opts.withNamespace === undefined) throw new CliError("with-namespace is required");
  for (const ns of namespaces) {
    const err = qualifiedNameErrors(ns);
    if (err.length > 0) throw new CliError(`invalid namespace '${ns}': [${err.join(" ")}]`);
  }
  const labels = parseLabels(list(opts.label));
  return tenantObjects({
    tenant,
    namespaces,
    clusterRole,
    serviceAccount: str(opts.withServiceAccount),
    skipNamespace: opts.skipNamespace === true,
    labels,
  });
}

export const runCreateTenant: Run = async (args, opts, ctx) => {
  const objects = buildTenant(args, opts);
  if (opts.export) return printExport(ctx, objects);
  const target = await restTarget(ctx);
  const what: Record<string, string> = {
    Namespace: "namespace",
    ServiceAccount: "service account",
    RoleBinding: "role binding",
  };
  for (const obj of objects) {
    ctx.logger.action(`applying ${what[obj.kind]} ${obj.metadata.name}`);
    await upsert(target, obj);
  }
  ctx.logger.success("tenant setup completed");
};
