// `flux migrate` (cluster mode) against a private real kube-apiserver: a CRD labelled
// app.kubernetes.io/part-of=flux whose storage version moved from v1beta1 to v1 while
// objects were stored at v1beta1. The migration rewrites every object at v1 (managed
// fields naming v1beta1 patched to v1, the others touched with an empty patch) and
// leaves v1 alone in the CRD's status.storedVersions, as upstream v2.9.5 does. The CRD
// is cluster-scoped, so this file has an API server of its own.
import type { KubeConfig } from "@kubernetes/client-node";
import { beforeAll, describe, expect, it } from "vitest";
import { createNamespace, eventually, kubeRequest, ContentType, type KubeObject } from "../env/helpers.js";
import { startTestEnv, type TestEnv } from "../env/testenv.js";
import { runCli } from "../helpers/cli.js";
import { stopAfterAll } from "../support/teardown.js";

let env: TestEnv;
let kc: KubeConfig;
const GROUP = "migrate.tsflux.test";
const CRD_NAME = `widgets.${GROUP}`;
const CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
const schema = { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } };

function crd(storage: "v1beta1" | "v1", labelled = true) {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: CRD_NAME, labels: labelled ? { "app.kubernetes.io/part-of": "flux" } : {} },
    spec: {
      group: GROUP,
      scope: "Namespaced",
      names: { plural: "widgets", singular: "widget", kind: "Widget", listKind: "WidgetList" },
      versions: [
        { name: "v1beta1", served: true, storage: storage === "v1beta1", schema },
        { name: "v1", served: true, storage: storage === "v1", schema },
      ],
    },
  };
}

const flux = (...args: string[]) => runCli(["--kubeconfig", env.kubeconfigPath, ...args]);
const getCrd = () =>
  kubeRequest<KubeObject & { status: { storedVersions: string[] } }>(kc, "GET", `${CRDS}/${CRD_NAME}`);

const stopLater = stopAfterAll();

beforeAll(async () => {
  env = stopLater(await startTestEnv({ installCRDs: false, log: () => {} }));
  kc = env.kubeConfig;
}, 300_000);

describe("flux migrate (cluster)", { shuffle: false }, () => {
  let ns: string;

  it("moves stored objects and the CRD's stored versions to the storage version", async () => {
    await kubeRequest(kc, "POST", CRDS, { body: crd("v1beta1") });
    await eventually(async () => {
      const c = await getCrd();
      return (c.status as { acceptedNames?: { kind?: string } }).acceptedNames?.kind === "Widget" || undefined;
    });
    ns = await createNamespace(kc);
    const widgets = (v: string) => `/apis/${GROUP}/${v}/namespaces/${ns}/widgets`;
    // stored at v1beta1, its managed fields name v1beta1 (server-side apply)
    await eventually(() =>
      kubeRequest(kc, "PATCH", `${widgets("v1beta1")}/a?fieldManager=test`, {
        body: { apiVersion: `${GROUP}/v1beta1`, kind: "Widget", metadata: { name: "a" }, spec: { size: 1 } },
        contentType: ContentType.ApplyPatch,
      }),
    );
    // the storage version moves on; the old one stays in storedVersions
    const current = await getCrd();
    await kubeRequest(kc, "PUT", `${CRDS}/${CRD_NAME}`, {
      body: { ...crd("v1"), metadata: { ...crd("v1").metadata, resourceVersion: current.metadata.resourceVersion } },
    });
    await kubeRequest(kc, "POST", widgets("v1"), {
      body: { apiVersion: `${GROUP}/v1`, kind: "Widget", metadata: { name: "b" }, spec: { size: 2 } },
    });
    expect((await getCrd()).status.storedVersions).toEqual(["v1beta1", "v1"]);

    const res = await flux("migrate");
    expect(res.stderr).toBe(
      "► starting migration of custom resources\n" +
        `✔ Widget/${ns}/a migrated to version v1\n` +
        `✔ Widget/${ns}/b migrated to version v1\n` +
        `✔ ${CRD_NAME} migrated to storage version v1\n` +
        "✔ custom resources migrated successfully\n",
    );
    expect(res.code).toBe(0);
    expect((await getCrd()).status.storedVersions).toEqual(["v1"]);
    const a = await kubeRequest<KubeObject & { metadata: { managedFields: { apiVersion: string }[] } }>(
      kc,
      "GET",
      `${widgets("v1")}/a`,
    );
    expect(a.metadata.managedFields.map((m) => m.apiVersion)).toEqual(
      a.metadata.managedFields.map(() => `${GROUP}/v1`),
    );
    expect((a as unknown as { spec: unknown }).spec).toEqual({ size: 1 });
  });

  it("a second run rewrites the objects again and leaves the CRD as it is", async () => {
    const res = await flux("migrate");
    expect(res.stderr).not.toContain("storage version");
    expect(res.stderr).toContain(`✔ Widget/${ns}/a migrated to version v1\n`);
    expect(res.code).toBe(0);
  });

  it("touches no CRD without the Flux label", async () => {
    const current = await getCrd();
    await kubeRequest(kc, "PUT", `${CRDS}/${CRD_NAME}`, {
      body: {
        ...crd("v1", false),
        metadata: { ...crd("v1", false).metadata, resourceVersion: current.metadata.resourceVersion },
      },
    });
    const res = await flux("migrate");
    expect(res.stderr).toBe("► starting migration of custom resources\n✔ custom resources migrated successfully\n");
  });
});
