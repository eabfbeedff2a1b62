import { describe, expect, it } from "vitest";
import { parseSemVer, satisfiesMin, semVerString } from "../../../src/check/semver.js";
import { crdStatus, deploymentStatus } from "../../../src/install/cluster.js";
import { splitImage } from "../../../src/version/server.js";
import { must } from "../../support/must.js";

describe("Kubernetes version constraint", () => {
  it.each([
    ["v1.34.4", true, "1.34.4"],
    ["v1.33.0", true, "1.33.0"],
    ["v1.33.0-rc.1", true, "1.33.0-rc.1"],
    ["v1.33.2+k3s1", true, "1.33.2"],
    ["v1.32.9", false, "1.32.9"],
    ["v1.32.0-eks-1234", false, "1.32.0-eks-1234"],
    ["v2.0.0", true, "2.0.0"],
  ])("%s satisfies >=1.33.0-0: %s", (v, ok, str) => {
    const s = must(parseSemVer(v), `a version parsed from ${v}`);
    expect(satisfiesMin(s, ">=1.33.0-0")).toBe(ok);
    expect(semVerString(s)).toBe(str);
  });

  it("excludes prereleases when the constraint has none", () => {
    expect(satisfiesMin(must(parseSemVer("v1.34.0-alpha.1"), "a parsed prerelease"), ">=1.33.0")).toBe(false);
  });

  it("rejects garbage", () => {
    expect(parseSemVer("not-a-version")).toBeUndefined();
  });
});

describe("kstatus", () => {
  const ready = {
    metadata: { generation: 2 },
    spec: { replicas: 1 },
    status: {
      observedGeneration: 2,
      replicas: 1,
      updatedReplicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
      conditions: [
        { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable" },
        { type: "Available", status: "True", reason: "MinimumReplicasAvailable" },
      ],
    },
  };

  it("reports a rolled out Deployment as Current", () => {
    expect(deploymentStatus(ready).status).toBe("Current");
  });

  const { status: _status, ...noStatus } = ready;
  it.each<[string, Parameters<typeof deploymentStatus>[0], string]>([
    ["an old observed generation", { ...ready, status: { ...ready.status, observedGeneration: 1 } }, "InProgress"],
    ["no status", noStatus, "InProgress"],
    ["no available replica", { ...ready, status: { ...ready.status, availableReplicas: 0 } }, "InProgress"],
    ["an old replica terminating", { ...ready, status: { ...ready.status, replicas: 2 } }, "InProgress"],
    [
      "no Available condition",
      { ...ready, status: { ...ready.status, conditions: [ready.status.conditions[0]] } },
      "InProgress",
    ],
    [
      "a progress deadline exceeded",
      {
        ...ready,
        status: {
          ...ready.status,
          conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" }],
        },
      },
      "Failed",
    ],
  ])("reports a Deployment with %s as %s", (_what, deployment, expected) => {
    expect(deploymentStatus(deployment).status).toBe(expected);
  });

  it("reports CRDs by their Established and NamesAccepted conditions", () => {
    expect(crdStatus({ status: { conditions: [{ type: "Established", status: "True" }] } }).status).toBe("Current");
    expect(
      crdStatus({ status: { conditions: [{ type: "NamesAccepted", status: "False", message: "conflict" }] } }),
    ).toEqual({ status: "Failed", message: "conflict" });
    expect(crdStatus({}).status).toBe("InProgress");
  });
});

describe("version: image references", () => {
  it.each([
    ["ghcr.io/fluxcd/source-controller:v1.9.5", "source-controller", "v1.9.5"],
    ["fluxcd/helm-controller:v1.6.4", "helm-controller", "v1.6.4"],
    ["localhost:5000/flux/kustomize-controller:v1.9.5", "kustomize-controller", "v1.9.5"],
    [
      "registry.example.com:443/a/b/notification-controller:v1.9.4@sha256:abc",
      "notification-controller",
      "v1.9.4@sha256:abc",
    ],
  ])("%s", (image, name, tag) => {
    expect(splitImage(image)).toEqual({ name, tag });
  });

  it("requires a tag", () => {
    expect(() => splitImage("ghcr.io/fluxcd/source-controller")).toThrow(
      "missing image tag in image ghcr.io/fluxcd/source-controller",
    );
  });
});
