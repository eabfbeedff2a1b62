// The pure generators behind `flux create` and their helpers, used as a library.
import { describe, expect, it } from "vitest";
import * as lib from "../../../src/index.js";
import { dependsOn } from "../../../src/manifests/kustomization.js";
import { goDuration } from "../../../src/manifests/common.js";
import { parseKindNameNamespace, parseLabels, safeRelativePath } from "../../../src/create/common.js";
import { mergeValues } from "../../../src/create/resources.js";
import { isSemverRange } from "../../../src/create/semver.js";

describe("generators", () => {
  it("omit empty options and canonicalise durations", () => {
    const o = lib.gitRepository({
      name: "podinfo",
      namespace: "ns",
      url: "https://x/y",
      branch: "main",
      interval: "90s",
      labels: {},
    });
    const { spec, ...rest } = o;
    expect(rest).toEqual({
      apiVersion: "source.toolkit.fluxcd.io/v1",
      kind: "GitRepository",
      metadata: { name: "podinfo", namespace: "ns" },
    });
    expect(spec).toMatchObject({ url: "https://x/y", interval: "1m30s" });
    expect(spec?.ref).toEqual({ branch: "main" });
    expect(lib.toYaml(o)).not.toContain("labels");
    expect(lib.toYaml(o)).not.toContain("secretRef");
  });

  it("are exported under `manifests` and print like flux --export", () => {
    const hr = lib.manifests.helmRelease({
      name: "podinfo",
      namespace: "apps",
      chartRef: { kind: "OCIRepository", name: "podinfo" },
    });
    expect(lib.toYamlDocuments([hr])).toBe(
      "---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n  namespace: apps\nspec:\n  chartRef:\n    kind: OCIRepository\n    name: podinfo\n  interval: 1m0s\n",
    );
  });

  it("keep Kustomization prune even when false (no omitempty upstream)", () => {
    const ks = lib.kustomization({
      name: "a",
      namespace: "b",
      source: { kind: "GitRepository", name: "c" },
      path: "./",
    });
    expect((ks.spec as { prune: boolean }).prune).toBe(false);
  });

  it("build tenant objects in upstream's order", () => {
    const objs = lib.tenantObjects({ tenant: "t", namespaces: ["a", "b"], skipNamespace: false });
    expect(objs.map((o) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`)).toEqual([
      "Namespace//a",
      "ServiceAccount/a/t",
      "RoleBinding/a/t-reconciler",
      "Namespace//b",
      "ServiceAccount/b/t",
      "RoleBinding/b/t-reconciler",
    ]);
  });

  it("compute the receiver webhook path and docker config like upstream", () => {
    expect(lib.receiverWebhookPath("test-token", "receiver-secret", "my-namespace")).toBe(
      "/hook/106120121d366c2f67e93200f6c1dbe938235eb588daa5e8c0516d3a77ac1dee",
    );
    expect(lib.dockerConfigJson("ghcr.io", "stefanprodan", "password")).toBe(
      '{\n  "auths": {\n    "ghcr.io": {\n      "username": "stefanprodan",\n      "password": "password",\n      "auth": "c3RlZmFucHJvZGFuOnBhc3N3b3Jk"\n    }\n  }\n}',
    );
  });
});

describe("helpers", () => {
  it("dependsOn accepts <name> and <namespace>/<name>", () => {
    expect(dependsOn(["a", "ns/b"])).toEqual([{ name: "a" }, { name: "b", namespace: "ns" }]);
    expect(dependsOn([])).toBeUndefined();
  });

  it("safeRelativePath confines paths to the source root", () => {
    expect(safeRelativePath("./apps")).toBe("./apps");
    expect(safeRelativePath("apps/../infra/./x")).toBe("./infra/x");
    expect(safeRelativePath("../../etc")).toBe("./etc");
    expect(safeRelativePath(" ./ ")).toBe("./");
  });

  it("parses <kind>/<name>.<namespace>", () => {
    expect(parseKindNameNamespace("GitRepository/podinfo.flux-system")).toEqual({
      kind: "GitRepository",
      name: "podinfo",
      namespace: "flux-system",
    });
    expect(parseKindNameNamespace("podinfo")).toEqual({ kind: "", name: "podinfo", namespace: "" });
  });

  it("parseLabels validates keys and values", () => {
    expect(parseLabels(["a=b", "example.com/c=d"])).toEqual({ a: "b", "example.com/c": "d" });
    expect(() => parseLabels(["-a=b"])).toThrow(
      /^invalid label '-a': \[name part must consist of alphanumeric characters/,
    );
    expect(() => parseLabels(["a=b c"])).toThrow(/^invalid label value 'b c': \[a valid label must be an empty string/);
  });

  it("goDuration prints Go's form", () => {
    expect(goDuration("1m")).toBe("1m0s");
    expect(goDuration("1h30m")).toBe("1h30m0s");
    expect(goDuration("500ms")).toBe("500ms");
  });

  it("mergeValues merges nested maps, later files win", () => {
    expect(mergeValues({ a: { b: 1, c: 2 }, l: [1] }, { a: { c: 3 }, l: [2] })).toEqual({ a: { b: 1, c: 3 }, l: [2] });
  });

  it("isSemverRange accepts Masterminds constraints", () => {
    for (const ok of [
      "1.x",
      ">=1.0.0",
      ">=1.0.0 <2.0.0",
      "~1.2",
      "^1.2.3",
      "1.2.3 - 1.4.5",
      ">= 1.0, < 2.0 || 3.x",
      "v1.0.0-rc.1",
    ]) {
      expect(isSemverRange(ok), ok).toBe(true);
    }
    for (const bad of ["", ">>1", "abc", "1.2.3.4"]) expect(isSemverRange(bad), bad).toBe(false);
  });
});
