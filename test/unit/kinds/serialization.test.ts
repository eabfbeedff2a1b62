// export prints a spec as upstream's typed API structs do.
import { describe, expect, it } from "vitest";
import { typedSpec } from "../../../src/kinds/serialization.js";

describe("typedSpec", () => {
  it("normalises metav1.Duration fields and drops omitempty zero values", () => {
    expect(
      typedSpec({
        interval: "5m",
        timeout: "60s",
        retryInterval: "1h30m",
        force: false,
        prune: false,
        path: "",
        targetNamespace: "",
        sourceRef: { kind: "GitRepository", name: "flux-system" },
        git: { commit: { messageTemplate: "", author: { name: "flux" } } },
        install: { remediation: { retries: 0, remediateLastFailure: false } },
        maxHistory: 0,
      }),
    ).toEqual({
      interval: "5m0s",
      timeout: "1m0s",
      retryInterval: "1h30m0s",
      prune: false,
      path: "",
      sourceRef: { kind: "GitRepository", name: "flux-system" },
      git: { commit: { author: { name: "flux" } } },
      install: { remediation: { remediateLastFailure: false } },
      maxHistory: 0,
    });
  });

  it("leaves free-form data alone (helm values, post-build substitutions, labels)", () => {
    const spec = {
      values: { enabled: false, name: "", replicas: 0, interval: "5m" },
      postBuild: { substitute: { empty: "" } },
      commonMetadata: { labels: { a: "" } },
    };
    expect(typedSpec(spec)).toEqual(spec);
  });
});
