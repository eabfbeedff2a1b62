// The order server-side apply takes objects in, as fluxcd/pkg/ssa sorts them (v0.76.2,
// the version flux v2.9.5 builds with): these kinds first, in this order, the webhooks
// last, every other kind in between; ties broken by API group, kind, namespace and name
// (byte order, as Go compares strings), so the order never depends on the input's.

const FIRST = [
  "CustomResourceDefinition",
  "Namespace",
  "ClusterRole",
  "ClusterClass",
  "RuntimeClass",
  "PriorityClass",
  "StorageClass",
  "VolumeSnapshotClass",
  "IngressClass",
  "GatewayClass",
  "ClusterRoleBinding",
  "ResourceQuota",
  "ServiceAccount",
  "Role",
  "RoleBinding",
  "ConfigMap",
  "Secret",
  "Service",
  "LimitRange",
  "Deployment",
  "StatefulSet",
  "CronJob",
  "PodDisruptionBudget",
];
const LAST = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

function rank(kind: string): number {
  const first = FIRST.indexOf(kind);
  if (first >= 0) return first - FIRST.length;
  const last = LAST.indexOf(kind);
  return last >= 0 ? 1 + last : 0;
}

/** What the order reads of an object; `group` is "" for the core API. */
export interface ApplyOrderKey {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Negative when `a` is applied before `b` (a sort comparator). */
export function compareApplyOrder(a: ApplyOrderKey, b: ApplyOrderKey): number {
  return (
    rank(a.kind) - rank(b.kind) ||
    byteOrder(a.group, b.group) ||
    byteOrder(a.kind, b.kind) ||
    byteOrder(a.namespace, b.namespace) ||
    byteOrder(a.name, b.name)
  );
}
