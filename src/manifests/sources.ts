// GitRepository, HelmRepository, OCIRepository, Bucket and HelmChart as
// `flux create source ...` generates them.
import {
  type CommonOptions,
  type KubeObject,
  goDuration,
  ignoreField,
  localRef,
  nonEmpty,
  nonZeroDuration,
  objectMeta,
} from "./common.js";
import { apiVersionFor } from "./common.js";

export interface GitRepositoryOptions extends CommonOptions {
  url: string;
  interval?: string;
  branch?: string;
  tag?: string;
  semver?: string;
  refName?: string;
  commit?: string;
  secretRef?: string;
  proxySecretRef?: string;
  provider?: string;
  recurseSubmodules?: boolean;
  ignorePaths?: string[];
  sparseCheckoutPaths?: string[];
  fetchTimeout?: string;
}

export function gitRepository(o: GitRepositoryOptions): KubeObject {
  let ref: Record<string, string | undefined>;
  if (o.commit) ref = { commit: o.commit, branch: o.branch || undefined };
  else if (o.refName) ref = { name: o.refName };
  else if (o.semver) ref = { semver: o.semver };
  else if (o.tag) ref = { tag: o.tag };
  else ref = { branch: o.branch || undefined };
  return {
    apiVersion: apiVersionFor("GitRepository"),
    kind: "GitRepository",
    metadata: objectMeta(o),
    spec: {
      url: o.url,
      interval: goDuration(o.interval ?? "1m"),
      ref,
      recurseSubmodules: o.recurseSubmodules ? true : undefined,
      ignore: ignoreField(o.ignorePaths),
      sparseCheckout: nonEmpty(o.sparseCheckoutPaths),
      timeout: nonZeroDuration(o.fetchTimeout) ? goDuration(o.fetchTimeout) : undefined,
      secretRef: localRef(o.secretRef),
      proxySecretRef: localRef(o.proxySecretRef),
      provider: o.provider || undefined,
    },
  };
}

export interface HelmRepositoryOptions extends CommonOptions {
  url: string;
  interval?: string;
  secretRef?: string;
  passCredentials?: boolean;
  /** Set for oci:// URLs: provider used for registry authentication. */
  ociProvider?: string;
  fetchTimeout?: string;
}

export function helmRepository(o: HelmRepositoryOptions): KubeObject {
  const oci = /^oci:\/\//i.test(o.url);
  return {
    apiVersion: apiVersionFor("HelmRepository"),
    kind: "HelmRepository",
    metadata: objectMeta(o),
    spec: {
      url: o.url,
      interval: goDuration(o.interval ?? "1m"),
      type: oci ? "oci" : undefined,
      provider: oci && o.ociProvider ? o.ociProvider : undefined,
      passCredentials: o.passCredentials ? true : undefined,
      secretRef: localRef(o.secretRef),
      timeout: nonZeroDuration(o.fetchTimeout) ? goDuration(o.fetchTimeout) : undefined,
    },
  };
}

export interface VerifyOptions {
  provider?: string;
  secretRef?: string;
  oidcIssuer?: string;
  oidcSubject?: string;
}

function verification(v: VerifyOptions | undefined): Record<string, unknown> | undefined {
  if (!v?.provider) return undefined;
  return {
    provider: v.provider,
    secretRef: localRef(v.secretRef),
    matchOIDCIdentity:
      v.oidcIssuer || v.oidcSubject ? [{ issuer: v.oidcIssuer ?? "", subject: v.oidcSubject ?? "" }] : undefined,
  };
}

export interface OCIRepositoryOptions extends CommonOptions {
  url: string;
  interval?: string | undefined;
  tag?: string | undefined;
  semver?: string | undefined;
  digest?: string | undefined;
  /** generic (default), aws, azure, gcp */
  provider?: string | undefined;
  secretRef?: string | undefined;
  serviceAccount?: string | undefined;
  certSecretRef?: string | undefined;
  proxySecretRef?: string | undefined;
  ignorePaths?: string[] | undefined;
  insecure?: boolean | undefined;
  verify?: VerifyOptions | undefined;
  fetchTimeout?: string | undefined;
  /** Which layer of the artifact to use, and whether to extract it or copy it as is. */
  layerSelector?: { mediaType: string; operation: "extract" | "copy" } | undefined;
}

export function ociRepository(o: OCIRepositoryOptions): KubeObject {
  return {
    apiVersion: apiVersionFor("OCIRepository"),
    kind: "OCIRepository",
    metadata: objectMeta(o),
    spec: {
      url: o.url,
      interval: goDuration(o.interval ?? "1m"),
      provider: o.provider || "generic",
      insecure: o.insecure ? true : undefined,
      ref: { tag: o.tag || undefined, semver: o.semver || undefined, digest: o.digest || undefined },
      layerSelector: o.layerSelector,
      ignore: ignoreField(o.ignorePaths),
      timeout: nonZeroDuration(o.fetchTimeout) ? goDuration(o.fetchTimeout) : undefined,
      serviceAccountName: o.serviceAccount || undefined,
      secretRef: localRef(o.secretRef),
      certSecretRef: localRef(o.certSecretRef),
      proxySecretRef: localRef(o.proxySecretRef),
      verify: verification(o.verify),
    },
  };
}

export interface BucketOptions extends CommonOptions {
  bucketName: string;
  endpoint: string;
  interval?: string;
  /** generic (default), aws, azure, gcp */
  provider?: string;
  region?: string;
  insecure?: boolean;
  secretRef?: string;
  proxySecretRef?: string;
  ignorePaths?: string[];
  fetchTimeout?: string;
}

export function bucket(o: BucketOptions): KubeObject {
  return {
    apiVersion: apiVersionFor("Bucket"),
    kind: "Bucket",
    metadata: objectMeta(o),
    spec: {
      bucketName: o.bucketName,
      endpoint: o.endpoint,
      interval: goDuration(o.interval ?? "1m"),
      provider: o.provider || "generic",
      insecure: o.insecure ? true : undefined,
      region: o.region || undefined,
      ignore: ignoreField(o.ignorePaths),
      timeout: nonZeroDuration(o.fetchTimeout) ? goDuration(o.fetchTimeout) : undefined,
      secretRef: localRef(o.secretRef),
      proxySecretRef: localRef(o.proxySecretRef),
    },
  };
}

export interface HelmChartOptions extends CommonOptions {
  chart: string;
  version?: string | undefined;
  interval?: string | undefined;
  sourceKind: string;
  sourceName: string;
  reconcileStrategy?: string | undefined;
  verify?: VerifyOptions | undefined;
}

export function helmChart(o: HelmChartOptions): KubeObject {
  return {
    apiVersion: apiVersionFor("HelmChart"),
    kind: "HelmChart",
    metadata: objectMeta(o),
    spec: {
      chart: o.chart,
      version: o.version || undefined,
      interval: goDuration(o.interval ?? "1m"),
      reconcileStrategy: o.reconcileStrategy || undefined,
      sourceRef: { kind: o.sourceKind, name: o.sourceName },
      verify: verification(o.verify),
    },
  };
}
