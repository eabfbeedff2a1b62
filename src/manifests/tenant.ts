// The namespaces, service accounts and role bindings of `flux create tenant`.
import type { KubeObject } from "./common.js";

export const TENANT_LABEL = "toolkit.fluxcd.io/tenant";

export interface TenantOptions {
  tenant: string;
  namespaces: string[];
  clusterRole?: string;
  serviceAccount?: string;
  skipNamespace?: boolean;
  labels?: Record<string, string>;
}

/** Objects in upstream's order: per namespace the Namespace, ServiceAccount, RoleBinding. */
export function tenantObjects(o: TenantOptions): KubeObject[] {
  const out: KubeObject[] = [];
  const sa = o.serviceAccount || o.tenant;
  for (const ns of o.namespaces) {
    const labels = { ...(o.labels ?? {}), [TENANT_LABEL]: o.tenant };
    if (!o.skipNamespace) {
      out.push({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { ...labels } } });
    }
    out.push({
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: sa, namespace: ns, labels: { ...labels } },
    });
    out.push({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: `${o.tenant}-reconciler`, namespace: ns, labels: { ...labels } },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: o.clusterRole || "cluster-admin" },
      subjects: [
        { apiGroup: "rbac.authorization.k8s.io", kind: "User", name: `gotk:${ns}:reconciler` },
        { kind: "ServiceAccount", name: sa, namespace: ns },
      ],
    });
  }
  return out;
}
