// When diff may skip a dry-run: only when the apply provably changes nothing.
import { describe, expect, it } from "vitest";
import {
  admittedResources,
  applyChangesNothing,
  ownedFieldsKept,
  withinLive,
} from "../../../src/kube/apply-unchanged.js";
import type { KubeObject } from "../../../src/kube/rest.js";
import { must } from "../../support/must.js";

const manifest = () => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "cm", namespace: "apps", labels: { app: "web" } },
  data: { a: "1", b: "2" },
});

const live = (fieldsV1: unknown, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: {
    name: "cm",
    namespace: "apps",
    uid: "u",
    resourceVersion: "7",
    labels: { app: "web", "kustomize.toolkit.fluxcd.io/name": "apps" },
    managedFields: [
      { manager: "kustomize-controller", operation: "Apply", apiVersion: "v1", fieldsType: "FieldsV1", fieldsV1 },
      { manager: "kubectl-edit", operation: "Update", fieldsV1: { "f:data": { "f:c": {} } } },
    ],
  },
  data: { a: "1", b: "2", c: "3" },
  ...extra,
});

const owned = {
  "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
  "f:data": { ".": {}, "f:a": {}, "f:b": {} },
};

describe("withinLive", () => {
  it("holds when every field of the manifest has the same value in the live object", () => {
    expect(withinLive(manifest(), live(owned))).toBe(true);
  });
  it("fails on a changed, missing or retyped value, a null, or a list that is not the same list", () => {
    expect(withinLive({ data: { a: "9" } }, live(owned))).toBe(false);
    expect(withinLive({ data: { d: "4" } }, live(owned))).toBe(false);
    expect(withinLive({ spec: { replicas: "1" } }, { spec: { replicas: 1 } })).toBe(false);
    expect(withinLive({ metadata: { creationTimestamp: null } }, { metadata: {} })).toBe(false);
    expect(withinLive({ spec: { ports: [{ port: 80 }] } }, { spec: { ports: [{ port: 80, protocol: "TCP" }] } })).toBe(
      false,
    );
    expect(withinLive({ spec: { args: ["a", "b"] } }, { spec: { args: ["a", "b"] } })).toBe(true);
    expect(withinLive({ spec: { args: ["a", "b"] } }, { spec: { args: ["b", "a"] } })).toBe(false);
  });
});

describe("ownedFieldsKept", () => {
  it("holds when the manifest sets every field the manager applied before", () => {
    expect(ownedFieldsKept(owned, manifest())).toBe(true);
  });
  it("fails when the manifest leaves out a field the manager owns (the apply would remove it)", () => {
    const m = manifest();
    delete (m.data as Record<string, string>).b;
    expect(ownedFieldsKept(owned, m)).toBe(false);
    expect(ownedFieldsKept({ "f:metadata": { "f:annotations": { "f:x": {} } } }, manifest())).toBe(false);
  });
  it("stops at lists (the list itself must equal the live one) and refuses what it does not know", () => {
    const fields = { "f:spec": { "f:ports": { ".": {}, 'k:{"port":80}': { "f:port": {} } } } };
    expect(ownedFieldsKept(fields, { spec: { ports: [{ port: 80 }] } })).toBe(true);
    expect(ownedFieldsKept({ "f:spec": { "f:x": { "f:y": {} } } }, { spec: { x: "scalar" } })).toBe(false);
    expect(ownedFieldsKept({ "k:{}": {} }, {})).toBe(false);
    expect(ownedFieldsKept(undefined, {})).toBe(false);
  });
});

describe("applyChangesNothing", () => {
  it("needs both rules; entries of other managers, operations and subresources do not count", () => {
    expect(applyChangesNothing(manifest(), live(owned), "kustomize-controller")).toBe(true);
    expect(applyChangesNothing({ ...manifest(), data: { a: "1" } }, live(owned), "kustomize-controller")).toBe(false);
    expect(applyChangesNothing({ ...manifest(), data: { a: "1" } }, live(owned), "someone-else")).toBe(true);
    const status = live(owned);
    must(status.metadata.managedFields, "the live object's managedFields").push({
      manager: "kustomize-controller",
      operation: "Apply",
      subresource: "status",
      fieldsV1: { "f:status": {} },
    });
    expect(applyChangesNothing(manifest(), status, "kustomize-controller")).toBe(true);
  });
  it("never skips a Pod (built-in admission acts on its updates)", () => {
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" } };
    expect(applyChangesNothing(pod, { ...pod, metadata: { name: "p" } }, "m")).toBe(false);
  });
});

describe("admittedResources", () => {
  it("collects the resources whose updates a webhook or policy sees", () => {
    const got = admittedResources(
      [
        { webhooks: [{ rules: [{ operations: ["CREATE"], resources: ["configmaps"] }] }] },
        { webhooks: [{ rules: [{ operations: ["UPDATE", "CREATE"], resources: ["deployments", "pods/status"] }] }] },
        { webhooks: [{ rules: [{ operations: ["*"], resources: ["secrets/*"] }] }] },
      ],
      [{ spec: { matchConstraints: { resourceRules: [{ operations: ["UPDATE"], resources: ["services"] }] } } }],
    );
    expect([...got].sort()).toEqual(["deployments", "secrets", "services"]);
    expect(admittedResources([], [{ spec: {} }])).toEqual(new Set(["*"]));
    expect(admittedResources([{ webhooks: [{ rules: [{ operations: ["*"], resources: ["*"] }] }] }], [])).toEqual(
      new Set(["*"]),
    );
  });
});
