// The apply order is fluxcd/pkg/ssa v0.76.2's (what flux v2.9.5 builds with): install and
// bootstrap apply in it, and diff kustomization lists the objects it would delete in it.
import { describe, expect, it } from "vitest";
import { compareApplyOrder, type ApplyOrderKey } from "../../../src/kube/apply-order.js";

const key = (id: string): ApplyOrderKey => {
  const [group = "", kind = "", namespace = "", name = ""] = id.split("/");
  return { group, kind, namespace, name };
};
const sorted = (ids: string[]) =>
  ids
    .map(key)
    .sort(compareApplyOrder)
    .map((k) => Object.values(k).join("/"));

describe("compareApplyOrder", () => {
  it("takes ssa's first kinds in its order, every other kind after them and the webhooks last", () => {
    expect(
      sorted([
        "admissionregistration.k8s.io/ValidatingWebhookConfiguration//v",
        "networking.k8s.io/NetworkPolicy/ns/p",
        "apps/Deployment/ns/d",
        "/ServiceAccount/ns/sa",
        "rbac.authorization.k8s.io/Role/ns/r",
        "rbac.authorization.k8s.io/ClusterRoleBinding//crb",
        "rbac.authorization.k8s.io/ClusterRole//cr",
        "admissionregistration.k8s.io/MutatingWebhookConfiguration//m",
        "/Namespace//ns",
        "apiextensions.k8s.io/CustomResourceDefinition//crd",
      ]),
    ).toEqual([
      "apiextensions.k8s.io/CustomResourceDefinition//crd",
      "/Namespace//ns",
      // v0.76.2 moved the cluster-wide RBAC ahead of the service accounts and roles
      "rbac.authorization.k8s.io/ClusterRole//cr",
      "rbac.authorization.k8s.io/ClusterRoleBinding//crb",
      "/ServiceAccount/ns/sa",
      "rbac.authorization.k8s.io/Role/ns/r",
      "apps/Deployment/ns/d",
      "networking.k8s.io/NetworkPolicy/ns/p",
      "admissionregistration.k8s.io/MutatingWebhookConfiguration//m",
      "admissionregistration.k8s.io/ValidatingWebhookConfiguration//v",
    ]);
  });

  it("breaks ties by group, kind, namespace and name in byte order, whatever the input order", () => {
    const ids = [
      "source.toolkit.fluxcd.io/GitRepository/b/x",
      "kustomize.toolkit.fluxcd.io/Kustomization/a/x",
      "source.toolkit.fluxcd.io/GitRepository/a/y",
      "source.toolkit.fluxcd.io/Bucket/a/x",
      "source.toolkit.fluxcd.io/GitRepository/a/X",
    ];
    const want = [
      "kustomize.toolkit.fluxcd.io/Kustomization/a/x",
      "source.toolkit.fluxcd.io/Bucket/a/x",
      "source.toolkit.fluxcd.io/GitRepository/a/X",
      "source.toolkit.fluxcd.io/GitRepository/a/y",
      "source.toolkit.fluxcd.io/GitRepository/b/x",
    ];
    expect(sorted(ids)).toEqual(want);
    expect(sorted([...ids].reverse())).toEqual(want);
  });
});
