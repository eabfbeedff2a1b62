// spec.ignore as fluxcd/pkg/ssa's jsondiff reads it: anchored regular expressions for
// group, version, kind, name and namespace, label and annotation selectors, and RFC 6901
// pointers removed whether or not they are there.
import { describe, expect, it } from "vitest";
import { compileIgnoreRules, parseSelector, removeIgnored, removePointer } from "../../../src/diff/ignore.js";
import type { JsonValue } from "../../../src/diff/compare.js";
import { must } from "../../support/must.js";

const svc = {
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "web-a", namespace: "apps", labels: { tier: "front" }, annotations: { "x/y": "1" } },
  spec: { ports: [{ port: 80 }, { port: 81 }], "a/b": { "c~d": 1 } },
};

describe("drift ignore rules", () => {
  it("removes pointers, escaped keys and negative list indices, and tolerates missing ones", () => {
    const doc = structuredClone(svc) as unknown as JsonValue;
    removePointer(doc, "/spec/a~1b/c~0d");
    removePointer(doc, "/spec/ports/-1");
    removePointer(doc, "/spec/nothing/here");
    removePointer(doc, "/metadata/labels/absent");
    expect(doc).toEqual({ ...svc, spec: { ports: [{ port: 80 }], "a/b": {} } });
  });

  it("matches targets as anchored regular expressions and selectors", () => {
    const match = (target: Record<string, string>) =>
      must(compileIgnoreRules([{ paths: [], target }])[0], "a compiled rule").matches(svc);
    expect(match({ kind: "Service" })).toBe(true);
    expect(match({ kind: "Serv" })).toBe(false); // anchored
    expect(match({ name: "web-.*", namespace: "apps|other" })).toBe(true);
    expect(match({ group: "apps" })).toBe(false); // the core group is ""
    expect(match({ version: "v1" })).toBe(true);
    expect(match({ labelSelector: "tier in (front,back)" })).toBe(true);
    expect(match({ labelSelector: "tier!=front" })).toBe(false);
    expect(match({ labelSelector: "!tier" })).toBe(false);
    expect(match({ annotationSelector: "x/y=1,x/z notin (2)" })).toBe(true);
  });

  it("removes only the paths of rules whose target matches", () => {
    const rules = compileIgnoreRules([
      { paths: ["/spec/ports"], target: { kind: "Service" } },
      { paths: ["/metadata/labels"], target: { kind: "Deployment" } },
      { paths: ["/metadata/annotations"] },
    ]);
    const doc = structuredClone(svc) as unknown as JsonValue;
    removeIgnored(rules, svc, doc);
    const { annotations: _, ...metadata } = svc.metadata;
    expect(doc).toEqual({ ...svc, metadata, spec: { "a/b": svc.spec["a/b"] } });
  });

  it("refuses a selector it cannot read", () => {
    expect(() => parseSelector("a in b")).toThrow(/unable to parse requirement/);
    expect(parseSelector("a, !b, c==d")).toEqual([
      { key: "a", op: "exists", values: [] },
      { key: "b", op: "!", values: [] },
      { key: "c", op: "in", values: ["d"] },
    ]);
  });
});
