import { describe, expect, it } from "vitest";
import { formatVersionInfo } from "../../../src/version/run.js";

describe("flux version output", () => {
  const info = {
    flux: "v2.9.5",
    distribution: "flux-v2.9.5",
    "source-controller": "v1.9.5",
    "helm-controller": "v1.6.4",
  };

  it("prints YAML in upstream's struct order: flux, distribution, then the controllers sorted", () => {
    expect(formatVersionInfo(info, "yaml")).toBe(
      "flux: v2.9.5\ndistribution: flux-v2.9.5\nhelm-controller: v1.6.4\nsource-controller: v1.9.5\n",
    );
  });

  it("prints JSON with all keys sorted like a Go map", () => {
    expect(formatVersionInfo(info, "json")).toBe(
      '{\n  "distribution": "flux-v2.9.5",\n  "flux": "v2.9.5",\n  "helm-controller": "v1.6.4",\n  "source-controller": "v1.9.5"\n}\n',
    );
  });

  it("prints only the client version with --client", () => {
    expect(formatVersionInfo({ flux: "v2.9.5" }, "yaml")).toBe("flux: v2.9.5\n");
    expect(formatVersionInfo({ flux: "v2.9.5" }, "json")).toBe('{\n  "flux": "v2.9.5"\n}\n');
  });
});
