import { describe, expect, it } from "vitest";
import {
  ALL_ORDER,
  DEFAULT_VERBS,
  defineKind,
  FINALIZER_ORDER,
  KINDS,
  kindsInOrder,
  kindsWithVerb,
  kindFromUserInput,
  kindInfo,
  statusAndMessage,
  truncateHex,
  imageRefString,
  helmReleaseRevision,
} from "../../../src/kinds/registry.js";
import { FLUX_APIS, fluxApi, fluxApiVersion } from "../../../src/kinds/api.js";
import type { KubeObject } from "../../../src/kube/rest.js";
import { must } from "../../support/must.js";

const obj = (o: Partial<KubeObject>): KubeObject => ({ metadata: { name: "x", namespace: "ns" }, ...o });
const kind = (name: string) => must(kindInfo(name), `the ${name} kind`);

describe("registry", () => {
  it("has every Flux v2.9 kind once, with the served versions", () => {
    const versions = Object.fromEntries(KINDS.map((k) => [k.kind, `${k.group}/${k.version}`]));
    expect(versions).toEqual({
      OCIRepository: "source.toolkit.fluxcd.io/v1",
      Bucket: "source.toolkit.fluxcd.io/v1",
      GitRepository: "source.toolkit.fluxcd.io/v1",
      HelmRepository: "source.toolkit.fluxcd.io/v1",
      HelmChart: "source.toolkit.fluxcd.io/v1",
      ImageRepository: "image.toolkit.fluxcd.io/v1",
      ImagePolicy: "image.toolkit.fluxcd.io/v1",
      ImageUpdateAutomation: "image.toolkit.fluxcd.io/v1",
      HelmRelease: "helm.toolkit.fluxcd.io/v2",
      Kustomization: "kustomize.toolkit.fluxcd.io/v1",
      Receiver: "notification.toolkit.fluxcd.io/v1",
      Provider: "notification.toolkit.fluxcd.io/v1beta3",
      Alert: "notification.toolkit.fluxcd.io/v1beta3",
      ArtifactGenerator: "source.extensions.fluxcd.io/v1beta1",
      ExternalArtifact: "source.toolkit.fluxcd.io/v1",
    });
    // `get all` lists every kind that has a get command but ArtifactGenerator (as upstream).
    expect(new Set([...ALL_ORDER, "ArtifactGenerator"])).toEqual(new Set(kindsWithVerb("get").map((k) => k.kind)));
  });

  it("fills the defaults of defineKind and keeps what an entry says", () => {
    const k = defineKind({
      kind: "Thing",
      group: "example.fluxcd.io",
      version: "v1",
      plural: "things",
      humanKind: "thing",
      section: "source",
      cli: ["source", "thing"],
      getCli: ["sources", "thing"],
      getShort: "Get Thing statuses",
      successMessage: () => "done",
      suspendable: false,
    });
    expect(k).toMatchObject({
      namespaced: true,
      reconcilable: true,
      suspendable: false,
      staticStatus: false,
      statusSelectable: true,
      cliAliases: [],
      getAliases: [],
      verbs: DEFAULT_VERBS,
    });
    expect(k.columns.headers).toEqual(["Revision", "Suspended", "Ready", "Message"]);
  });

  it("derives the uninstall order and the verbs of each kind", () => {
    expect(kindsInOrder(FINALIZER_ORDER).map((k) => k.plural)).toContain("artifactgenerators");
    expect(kindsWithVerb("events").map((k) => k.kind)).toContain("ArtifactGenerator");
    expect(kindsWithVerb("events").map((k) => k.kind)).not.toContain("ExternalArtifact");
    expect(kindsWithVerb("reconcile").map((k) => k.kind)).not.toContain("ArtifactGenerator");
    expect(kind("HelmRelease").forceReset).toBe(true);
    expect(kind("Kustomization").forceReset).toBeUndefined();
  });

  it("finds kinds from what users type", () => {
    expect(kindFromUserInput("ks")?.kind).toBe("Kustomization");
    expect(kindFromUserInput("helmreleases")?.kind).toBe("HelmRelease");
    expect(kindFromUserInput("gitrepository")?.kind).toBe("GitRepository");
    expect(kindFromUserInput("Deployment")).toBeUndefined();
    expect(kindInfo("provider")?.humanKind).toBe("alert provider");
  });

  it("summarises rows like upstream", () => {
    const git = kind("GitRepository");
    const o = obj({
      spec: { suspend: true },
      status: {
        artifact: { revision: "main@sha1:696f056df216eea4f9401adbee0ff744d4df390f" },
        conditions: [
          {
            type: "Ready",
            status: "True",
            message: "stored artifact for main@sha1:696f056df216eea4f9401adbee0ff744d4df390f",
          },
        ],
      },
    });
    expect(git.columns.row(o)).toEqual([
      "main@sha1:696f056d",
      "True",
      "True",
      "stored artifact for main@sha1:696f056d",
    ]);
    expect(git.columns.row(obj({}))).toEqual(["", "False", "False", "waiting to be reconciled"]);
    const chart = kind("HelmChart");
    expect(chart.columns.row(obj({ status: { artifact: { revision: "6.5.4" } } }))[0]).toBe("6.5.4");
    const helmRepo = kind("HelmRepository");
    expect(helmRepo.columns.row(obj({ spec: { type: "oci" } }))).toEqual([
      "",
      "False",
      "True",
      "Helm repository is Ready",
    ]);
    const repo = kind("ImageRepository");
    expect(
      repo.columns.row(obj({ status: { lastScanResult: { scanTime: "2024-05-01T10:00:00.123Z", tagCount: 3 } } }))[0],
    ).toBe("2024-05-01T10:00:00Z");
    expect(repo.successMessage(obj({ status: { lastScanResult: { tagCount: 3 } } }))).toBe("scan fetched 3 tags");
  });

  it("helpers", () => {
    expect(truncateHex("sha256:" + "a".repeat(64))).toBe("sha256:aaaaaaaa");
    expect(truncateHex("short abc123")).toBe("short abc123");
    expect(
      statusAndMessage(obj({ status: { conditions: [{ type: "Ready", status: "Unknown", message: "progressing" }] } })),
    ).toEqual(["Unknown", "progressing"]);
    expect(imageRefString({ name: "ghcr.io/x/y", tag: "1.0.0", digest: "sha256:abc" })).toBe(
      "ghcr.io/x/y:1.0.0@sha256:abc",
    );
    expect(helmReleaseRevision(obj({ status: { lastAttemptedRevision: "1.2.3" } }))).toBe("1.2.3");
  });

  it("knows each kind's source", () => {
    const ks = kind("Kustomization");
    expect(
      must(
        ks.sourceRef,
        "Kustomization's sourceRef",
      )(obj({ spec: { sourceRef: { kind: "GitRepository", name: "flux-system" } } })),
    ).toEqual({
      kind: "GitRepository",
      name: "flux-system",
      namespace: "ns",
    });
    const hr = kind("HelmRelease");
    expect(
      must(
        hr.sourceRef,
        "HelmRelease's sourceRef",
      )(obj({ spec: { chartRef: { kind: "OCIRepository", name: "podinfo", namespace: "other" } } })),
    ).toEqual({ kind: "OCIRepository", name: "podinfo", namespace: "other" });
  });
});

describe("the Flux APIs the registry builds on (src/kinds/api.ts)", () => {
  it("names every registry kind once, with the registry's group, version and plural, and every one is namespaced", () => {
    expect(Object.keys(FLUX_APIS).sort()).toEqual(KINDS.map((k) => k.kind).sort());
    for (const k of KINDS) {
      expect(fluxApi(k.kind)).toEqual({ group: k.group, version: k.version, plural: k.plural });
      expect(fluxApiVersion(k.kind.toLowerCase())).toBe(`${k.group}/${k.version}`);
      // src/kinds/resources.ts answers namespaced for every Flux kind without the registry.
      expect(k.namespaced).toBe(true);
    }
    expect(fluxApi("Secret")).toBeUndefined();
    expect(fluxApi("toString")).toBeUndefined();
    expect(() => fluxApiVersion("Secret")).toThrow("unknown Flux kind Secret");
  });
});
