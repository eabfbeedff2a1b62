// The package entry as a library user sees it: README's example, and the engines
// exported next to the generators.
import { describe, expect, it } from "vitest";
import * as tsflux from "../../../src/index.js";

describe("library entry", () => {
  it("runs README's example", () => {
    const repo = tsflux.gitRepository({
      name: "podinfo",
      namespace: "flux-system",
      url: "https://github.com/stefanprodan/podinfo",
      branch: "master",
      interval: "1m",
    });
    expect(tsflux.toYamlDocuments([repo])).toBe(
      "---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: podinfo\n  namespace: flux-system\nspec:\n  interval: 1m0s\n  ref:\n    branch: master\n  url: https://github.com/stefanprodan/podinfo\n",
    );
  });

  it("exports the engines behind the CLI", () => {
    for (const name of ["kinds", "ops", "install", "kustomize", "diff", "oci", "manifests", "bootstrap"]) {
      expect(tsflux, name).toHaveProperty(name);
    }
    expect(typeof tsflux.waitForReady).toBe("function");
    expect(typeof tsflux.applyObjects).toBe("function");
  });
});
