// helm-controller's values computation (fluxcd/pkg/chartutil): MergeMaps,
// ReplacePathValue's typing and paths, and valuesFrom resolution from files.
import { describe, expect, it } from "vitest";
import { ObjectCatalog } from "../../../src/helm/catalog.js";
import { selectVersion } from "../../../src/helm/chart.js";
import { mergeMaps, parseValuesPath, releaseValues, replacePathValue } from "../../../src/helm/values.js";

describe("mergeMaps", () => {
  it("merges maps recursively and replaces everything else", () => {
    expect(
      mergeMaps({ a: { b: 1, c: [1, 2] }, d: "x", e: { f: 1 } }, { a: { c: [3], g: true }, d: { h: 1 }, e: "y" }),
    ).toEqual({ a: { b: 1, c: [3], g: true }, d: { h: 1 }, e: "y" });
  });
});

describe("replacePathValue", () => {
  it("types values as helm --set does and keeps quoted ones as strings", () => {
    const v: Record<string, unknown> = {};
    replacePathValue(v, "a.int", "42");
    replacePathValue(v, "a.zero", "0");
    replacePathValue(v, "a.leadingZero", "007");
    replacePathValue(v, "a.bool", "true");
    replacePathValue(v, "a.null", "null");
    replacePathValue(v, "a.quoted", '"42"');
    replacePathValue(v, "a.text", "hello world");
    expect(v).toEqual({
      a: { int: 42, zero: 0, leadingZero: "007", bool: true, null: null, quoted: "42", text: "hello world" },
    });
  });

  it("follows escaped dots and list indexes", () => {
    expect(parseValuesPath("a\\.b.c[1].d")).toEqual([{ key: "a.b" }, { key: "c" }, { index: 1 }, { key: "d" }]);
    const v: Record<string, unknown> = { c: [{ keep: true }] };
    replacePathValue(v, "c[1].d", "x");
    replacePathValue(v, "ingress\\.class", "nginx");
    expect(v).toEqual({ c: [{ keep: true }, { d: "x" }], "ingress.class": "nginx" });
  });

  it("rejects an empty path", () => {
    expect(() => replacePathValue({}, "", "x")).toThrow("invalid targetPath");
  });
});

describe("releaseValues", () => {
  const catalog = new ObjectCatalog("apps", [
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "base" }, data: { "values.yaml": "a: 1\nb: {c: 2}\n" } },
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "creds", namespace: "apps" },
      data: {
        token: Buffer.from("s3cret").toString("base64"),
        "values.yaml": Buffer.from("b: {d: 3}").toString("base64"),
      },
    },
    { apiVersion: "v1", kind: "Secret", metadata: { name: "sealed" }, sops: { version: "3" }, data: {} },
  ]);

  it("merges references in order, then spec.values", async () => {
    const values = await releaseValues(
      {
        metadata: { name: "r", namespace: "apps" },
        spec: {
          valuesFrom: [
            { kind: "ConfigMap", name: "base" },
            { kind: "Secret", name: "creds" },
            { kind: "Secret", name: "creds", valuesKey: "token", targetPath: "auth.token" },
            { kind: "ConfigMap", name: "absent", optional: true },
            { kind: "ConfigMap", name: "base", valuesKey: "absent", optional: true },
          ],
          values: { a: 5 },
        },
      },
      catalog,
      "apps",
    );
    expect(values).toEqual({ a: 5, b: { c: 2, d: 3 }, auth: { token: "s3cret" } });
  });

  it("names what is missing, and refuses SOPS-encrypted Secrets", async () => {
    const run = (ref: { kind: string; name: string; valuesKey?: string }) =>
      releaseValues({ spec: { valuesFrom: [ref] } }, catalog, "apps");
    await expect(run({ kind: "ConfigMap", name: "nope" })).rejects.toThrow(
      "could not find ConfigMap 'apps/nope' in the files",
    );
    await expect(run({ kind: "ConfigMap", name: "base", valuesKey: "other" })).rejects.toThrow(
      "could not find key 'other' in ConfigMap 'apps/base'",
    );
    await expect(run({ kind: "Secret", name: "sealed" })).rejects.toThrow("is SOPS-encrypted");
    await expect(run({ kind: "Bucket", name: "x" })).rejects.toThrow("unsupported kind 'Bucket'");
  });
});

describe("selectVersion", () => {
  const versions = ["1.0.0", "1.2.0", "1.10.0", "2.0.0-rc.1", "not-semver"];
  it("picks the newest match, stable unless the constraint names a prerelease", () => {
    expect(selectVersion(versions, "", "demo")).toBe("1.10.0");
    expect(selectVersion(versions, "1.2.x", "demo")).toBe("1.2.0");
    expect(selectVersion(versions, ">=2.0.0-0", "demo")).toBe("2.0.0-rc.1");
    expect(selectVersion(versions, "1.0.0", "demo")).toBe("1.0.0");
    expect(() => selectVersion(versions, ">3", "demo")).toThrow("no chart version found for demo matching '>3'");
  });
});
