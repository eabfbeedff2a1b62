// Resource facts (plural, scope) of the kinds tsflux handles without asking the API
// server: the Flux kinds of the registry and the built-in kinds it creates, lists or
// deletes itself. Pure data: loading it costs no kube module.
import type { ResourceType } from "../kube/rest.js";
import { fluxApi } from "./api.js";

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf("/");
  return i < 0
    ? { group: "", version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** The built-in kinds tsflux creates, lists or deletes itself. */
const BUILT_IN: Record<string, { plural: string; namespaced: boolean }> = {
  "v1/Namespace": { plural: "namespaces", namespaced: false },
  "v1/Secret": { plural: "secrets", namespaced: true },
  "v1/ConfigMap": { plural: "configmaps", namespaced: true },
  "v1/Service": { plural: "services", namespaced: true },
  "v1/ServiceAccount": { plural: "serviceaccounts", namespaced: true },
  "v1/Pod": { plural: "pods", namespaced: true },
  "apps/v1/Deployment": { plural: "deployments", namespaced: true },
  "networking.k8s.io/v1/NetworkPolicy": { plural: "networkpolicies", namespaced: true },
  "apiextensions.k8s.io/v1/CustomResourceDefinition": { plural: "customresourcedefinitions", namespaced: false },
  "rbac.authorization.k8s.io/v1/ClusterRole": { plural: "clusterroles", namespaced: false },
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": { plural: "clusterrolebindings", namespaced: false },
  "rbac.authorization.k8s.io/v1/Role": { plural: "roles", namespaced: true },
  "rbac.authorization.k8s.io/v1/RoleBinding": { plural: "rolebindings", namespaced: true },
};

/** The resource of a built-in or Flux kind at this apiVersion; undefined when discovery must answer. */
export function knownResource(apiVersion: string, kind: string): ResourceType | undefined {
  const { group, version } = splitApiVersion(apiVersion);
  const builtIn = BUILT_IN[`${apiVersion}/${kind}`];
  if (builtIn) return { group, version, kind, plural: builtIn.plural, namespaced: builtIn.namespaced };
  // Every Flux kind is namespaced (test/unit/kinds checks the registry says so).
  const k = fluxApi(kind);
  if (k && k.group === group && k.version === version)
    return { group, version, kind, plural: k.plural, namespaced: true };
  return undefined;
}

/** Like knownResource, for a built-in or Flux kind the code names itself (throws when it is not one). */
export function builtInResource(apiVersion: string, kind: string): ResourceType {
  const r = knownResource(apiVersion, kind);
  if (!r) throw new Error(`${kind} (${apiVersion}) is not a kind tsflux knows`);
  return r;
}
