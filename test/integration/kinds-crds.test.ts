// The registry against the CRDs the test environment serves (the real Flux CRDs):
// each entry's group, version, plural, kind and scope, and no Flux CRD left out.
import { beforeAll, describe, expect, it } from "vitest";
import { KINDS } from "../../src/kinds/registry.js";
import { kubeRequest, testKubeConfig } from "../env/helpers.js";
import { must } from "../support/must.js";

interface Crd {
  spec: {
    group: string;
    scope: string;
    names: { kind: string; plural: string };
    versions: { name: string; served: boolean; storage: boolean }[];
  };
}

let crds: Crd[];

beforeAll(async () => {
  const kc = await testKubeConfig();
  const list = await kubeRequest<{ items: Crd[] }>(
    kc,
    "GET",
    "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
  );
  crds = list.items.filter((c) => c.spec.group.endsWith(".fluxcd.io"));
});

describe("kind registry against the served CRDs", () => {
  it.each(KINDS.map((k) => [k.kind, k] as const))("%s: group, version, plural, scope", (_, k) => {
    const crd = must(
      crds.find((c) => c.spec.group === k.group && c.spec.names.kind === k.kind),
      `${k.kind}.${k.group} served`,
    );
    expect(crd.spec.names.plural).toBe(k.plural);
    expect(crd.spec.scope).toBe(k.namespaced ? "Namespaced" : "Cluster");
    expect(crd.spec.versions.find((v) => v.name === k.version)?.served).toBe(true);
  });

  it("has an entry for every served Flux CRD", () => {
    const served = crds.map((c) => `${c.spec.names.kind}.${c.spec.group}`).sort();
    expect(served).toEqual(KINDS.map((k) => `${k.kind}.${k.group}`).sort());
  });
});
