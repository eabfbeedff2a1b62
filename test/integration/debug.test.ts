// `flux debug helmrelease|kustomization` beyond upstream's own cases (those run in
// test/unit/golden/upstream-goldens.test.ts): argument and flag checks, missing objects
// and references, a status as helm-controller writes it. The expected bytes are upstream flux v2.9.5's
// output for the same objects (compared by hand with the built binary).
import { beforeAll, describe, expect, it } from "vitest";
import { applyYaml, createNamespace, fluxRef, setStatus, testKubeConfig, testKubeconfigPath } from "../env/helpers.js";
import { runCli } from "../helpers/cli.js";

let ns: string;
let kubeconfig: string;
const flux = (...args: string[]) => runCli(["--kubeconfig", kubeconfig, ...args, "-n", ns]);

const hr = (name: string, valuesFrom: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: ${name}, namespace: ${ns}}
spec:
  chartRef: {kind: OCIRepository, name: podinfo}
  interval: 5m0s
  valuesFrom: ${valuesFrom}
`;

beforeAll(async () => {
  kubeconfig = await testKubeconfigPath();
  const kc = await testKubeConfig();
  ns = await createNamespace(kc);
  await applyYaml(
    kc,
    [
      `apiVersion: v1
kind: ConfigMap
metadata: {name: test, namespace: ${ns}}
data: {values.yaml: "cm: test"}
---
apiVersion: v1
kind: Secret
metadata: {name: test, namespace: ${ns}}
stringData: {flatValue: some-flat-value}
`,
      hr("missing", "[{kind: ConfigMap, name: missing}]"),
      hr("badkey", "[{kind: ConfigMap, name: test, valuesKey: nope}]"),
      hr(
        "optional",
        `[{kind: ConfigMap, name: test, valuesKey: nope, optional: true}, {kind: Secret, name: test, valuesKey: flatValue, targetPath: "a.b[1].c"}]`,
      ),
      `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: nopostbuild, namespace: ${ns}}
spec: {sourceRef: {kind: GitRepository, name: test}, interval: 1m, path: "./", prune: true}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: missingcm, namespace: ${ns}}
spec:
  sourceRef: {kind: GitRepository, name: test}
  interval: 1m
  path: "./"
  prune: true
  postBuild: {substituteFrom: [{kind: ConfigMap, name: nope}]}
`,
    ].join("---\n"),
  );
  // as helm-controller writes it: a zero `deleted` is dropped by the API server
  await setStatus(kc, fluxRef("HelmRelease", ns, "missing"), {
    conditions: [
      {
        type: "Ready",
        status: "False",
        reason: "X",
        message: "",
        lastTransitionTime: "2024-01-01T00:00:00Z",
        observedGeneration: 1,
      },
    ],
    lastAttemptedReleaseActionDuration: "1m",
    history: [
      {
        name: "a",
        namespace: ns,
        version: 1,
        status: "deployed",
        chartName: "c",
        chartVersion: "1",
        configDigest: "d",
        digest: "e",
        firstDeployed: "2024-01-01T00:00:00Z",
        lastDeployed: "2024-01-01T00:00:00Z",
        testHooks: { t1: { phase: "Succeeded", lastStarted: "2024-01-01T00:00:00Z" } },
      },
    ],
  });
});

const failure = async (args: string[], message: string) => {
  const r = await flux(...args);
  expect([r.code, r.stdout, r.stderr]).toEqual([1, "", `✗ ${message}\n`]);
};

describe("debug helmrelease", () => {
  it("takes one name and exactly one --show-* flag", async () => {
    await failure(["debug", "hr"], "accepts 1 arg(s), received 0");
    await failure(["debug", "hr", "a", "b", "--show-status"], "accepts 1 arg(s), received 2");
    const one = "exactly one of --show-status, --show-values, or --show-history must be set";
    await failure(["debug", "hr", "x"], one);
    await failure(["debug", "hr", "x", "--show-status", "--show-values"], one);
    await failure(["debug", "hr", "nope", "--show-status"], 'helmreleases.helm.toolkit.fluxcd.io "nope" not found');
  });

  it("prints the status as helm-controller's types do (null times, canonical durations)", async () => {
    const r = await flux("debug", "helmrelease", "missing", "--show-status");
    expect(r.code).toBe(0);
    expect(r.stdout)
      .toBe(`# Status documentation: https://fluxcd.io/flux/components/helm/helmreleases/#helmrelease-status
conditions:
- lastTransitionTime: "2024-01-01T00:00:00Z"
  message: ""
  observedGeneration: 1
  reason: X
  status: "False"
  type: Ready
history:
- chartName: c
  chartVersion: "1"
  configDigest: d
  deleted: null
  digest: e
  firstDeployed: "2024-01-01T00:00:00Z"
  lastDeployed: "2024-01-01T00:00:00Z"
  name: a
  namespace: ${ns}
  status: deployed
  testHooks:
    t1:
      lastCompleted: null
      lastStarted: "2024-01-01T00:00:00Z"
      phase: Succeeded
  version: 1
lastAttemptedReleaseActionDuration: 1m0s
observedGeneration: -1
`);
  });

  it("values: chartutil's errors, optional references skipped, targetPath set", async () => {
    await failure(
      ["debug", "hr", "missing", "--show-values"],
      `could not resolve ConfigMap chart values reference '${ns}/missing' with key 'values.yaml': configmaps "missing" not found`,
    );
    await failure(
      ["debug", "hr", "badkey", "--show-values"],
      `could not resolve ConfigMap chart values reference '${ns}/test' with key 'nope': key not found`,
    );
    const r = await flux("debug", "hr", "optional", "--show-values");
    expect([r.code, r.stdout]).toEqual([0, "a:\n  b:\n  - null\n  - c: some-flat-value\n"]);
  });
});

describe("debug kustomization", () => {
  it("vars: a Kustomization without postBuild, a missing ConfigMap", async () => {
    await failure(["debug", "ks", "nopostbuild", "--show-vars"], "no post build substitutions found");
    await failure(
      ["debug", "ks", "missingcm", "--show-vars"],
      `substitute from 'ConfigMap/nope' error: configmaps "nope" not found`,
    );
    await failure(["debug", "ks", "x"], "exactly one of --show-status, --show-vars, or --show-history must be set");
  });
});
