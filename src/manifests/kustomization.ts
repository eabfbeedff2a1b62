// Kustomization and HelmRelease as `flux create kustomization|helmrelease` generates them.
import {
  type CommonOptions,
  type CrossNamespaceRef,
  type KubeObject,
  goDuration,
  localRef,
  nonEmpty,
  nonZeroDuration,
  objectMeta,
} from "./common.js";
import { apiVersionFor } from "./common.js";

/** `<name>` or `<namespace>/<name>` dependencies, as upstream's MakeDependsOn. */
export function dependsOn(deps: string[] | undefined): { name: string; namespace?: string | undefined }[] | undefined {
  const refs = (deps ?? []).map((dep) => {
    const [first = "", second = ""] = dep.split("/");
    if (dep.includes("/")) return { namespace: first || undefined, name: second };
    return { name: first };
  });
  return nonEmpty(refs);
}

export interface HealthCheck {
  apiVersion?: string | undefined;
  kind: string;
  name: string;
  namespace?: string | undefined;
}

export interface KustomizationOptions extends CommonOptions {
  source: CrossNamespaceRef;
  /** Relative path inside the source, starting with ./ */
  path?: string;
  interval?: string;
  prune?: boolean;
  dependsOn?: string[];
  targetNamespace?: string;
  kubeConfigSecretRef?: string;
  healthChecks?: HealthCheck[];
  /** Timeout of health checks; set when health checks or wait are used. */
  healthCheckTimeout?: string;
  wait?: boolean;
  serviceAccount?: string;
  decryptionProvider?: string;
  decryptionSecret?: string;
  retryInterval?: string;
}

export function kustomization(o: KustomizationOptions): KubeObject {
  const useChecks = !o.wait && (o.healthChecks?.length ?? 0) > 0;
  const timeout = useChecks || o.wait ? goDuration(o.healthCheckTimeout ?? "2m") : undefined;
  return {
    apiVersion: apiVersionFor("Kustomization"),
    kind: "Kustomization",
    metadata: objectMeta(o),
    spec: {
      interval: goDuration(o.interval ?? "1m"),
      path: o.path || undefined,
      prune: o.prune ?? false,
      sourceRef: { kind: o.source.kind, name: o.source.name, namespace: o.source.namespace || undefined },
      dependsOn: dependsOn(o.dependsOn),
      targetNamespace: o.targetNamespace || undefined,
      kubeConfig: o.kubeConfigSecretRef ? { secretRef: { name: o.kubeConfigSecretRef } } : undefined,
      healthChecks: useChecks ? o.healthChecks : undefined,
      timeout,
      wait: o.wait ? true : undefined,
      serviceAccountName: o.serviceAccount || undefined,
      decryption: o.decryptionProvider
        ? { provider: o.decryptionProvider, secretRef: localRef(o.decryptionSecret) }
        : undefined,
      retryInterval: nonZeroDuration(o.retryInterval) ? goDuration(o.retryInterval) : undefined,
    },
  };
}

export interface HelmReleaseOptions extends CommonOptions {
  interval?: string | undefined;
  /** Chart name or path in the source (with source), or undefined when chartRef is used. */
  chart?: string | undefined;
  chartVersion?: string | undefined;
  source?: CrossNamespaceRef | undefined;
  chartRef?: CrossNamespaceRef | undefined;
  reconcileStrategy?: string | undefined;
  chartInterval?: string | undefined;
  releaseName?: string | undefined;
  dependsOn?: string[] | undefined;
  targetNamespace?: string | undefined;
  storageNamespace?: string | undefined;
  createTargetNamespace?: boolean | undefined;
  serviceAccount?: string | undefined;
  /** Skip, Create or CreateReplace */
  crds?: string | undefined;
  kubeConfigSecretRef?: string | undefined;
  /** Merged values from --values files. */
  values?: Record<string, unknown> | undefined;
  valuesFrom?: { kind: string; name: string }[] | undefined;
}

export function helmRelease(o: HelmReleaseOptions): KubeObject {
  let install: Record<string, unknown> | undefined;
  if (o.createTargetNamespace) install = { createNamespace: true };
  let upgrade: Record<string, unknown> | undefined;
  if (o.crds) {
    install = { ...(install ?? {}), crds: "Create" };
    upgrade = { crds: o.crds };
  }
  return {
    apiVersion: apiVersionFor("HelmRelease"),
    kind: "HelmRelease",
    metadata: objectMeta(o),
    spec: {
      interval: goDuration(o.interval ?? "1m"),
      releaseName: o.releaseName || undefined,
      dependsOn: dependsOn(o.dependsOn),
      targetNamespace: o.targetNamespace || undefined,
      storageNamespace: o.storageNamespace || undefined,
      chart:
        o.chart !== undefined && o.chart !== ""
          ? {
              spec: {
                chart: o.chart,
                version: o.chartVersion || undefined,
                sourceRef: {
                  kind: o.source?.kind ?? "",
                  name: o.source?.name ?? "",
                  namespace: o.source?.namespace || undefined,
                },
                reconcileStrategy: o.reconcileStrategy || undefined,
                interval: nonZeroDuration(o.chartInterval) ? goDuration(o.chartInterval) : undefined,
              },
            }
          : undefined,
      chartRef: o.chartRef
        ? { kind: o.chartRef.kind, name: o.chartRef.name, namespace: o.chartRef.namespace || undefined }
        : undefined,
      kubeConfig: o.kubeConfigSecretRef ? { secretRef: { name: o.kubeConfigSecretRef } } : undefined,
      install,
      upgrade,
      serviceAccountName: o.serviceAccount || undefined,
      values: o.values,
      valuesFrom: nonEmpty(o.valuesFrom),
    },
  };
}
