// The parts of helm.toolkit.fluxcd.io/v2 HelmRelease (and the sources it refers
// to) that rendering reads.
import type { KubeObj } from "../kustomize/cluster.js";

export const HELM_GROUP = "helm.toolkit.fluxcd.io";
export const SOURCE_GROUP = "source.toolkit.fluxcd.io";

export interface CrossNamespaceRef {
  kind: string;
  name: string;
  namespace?: string;
  apiVersion?: string;
}

export interface ValuesReference {
  /** ConfigMap or Secret; any other kind is refused when the values are read. */
  kind: string;
  name: string;
  valuesKey?: string;
  targetPath?: string;
  optional?: boolean;
}

export interface KustomizePatch {
  patch: string;
  target?: Record<string, string>;
}

export interface HelmReleaseSpec {
  chart?: {
    spec?: {
      chart: string;
      version?: string;
      /** Required by the CRD, but a HelmRelease read from a file may lack it. */
      sourceRef?: CrossNamespaceRef;
      valuesFiles?: string[];
      valuesFile?: string;
      ignoreMissingValuesFiles?: boolean;
    };
  };
  chartRef?: CrossNamespaceRef;
  releaseName?: string;
  targetNamespace?: string;
  storageNamespace?: string;
  values?: Record<string, unknown>;
  valuesFrom?: ValuesReference[];
  postRenderers?: { kustomize?: { patches?: KustomizePatch[]; images?: Record<string, string>[] } }[];
  commonMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  install?: { crds?: "Skip" | "Create" | "CreateReplace"; disableHooks?: boolean };
  upgrade?: { crds?: "Skip" | "Create" | "CreateReplace" };
  suspend?: boolean;
}

export interface HelmRelease extends KubeObj {
  spec?: HelmReleaseSpec;
}

export function isHelmRelease(o: KubeObj): o is HelmRelease {
  return o.kind === "HelmRelease" && typeof o.apiVersion === "string" && o.apiVersion.startsWith(`${HELM_GROUP}/`);
}
