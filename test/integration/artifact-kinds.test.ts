// source-watcher's kinds against the real API server: get/export source external
// (ExternalArtifact), get/export artifact generator and tree artifact generator
// (ArtifactGenerator). The expected bytes are upstream flux v2.9.5's output for the
// same objects (compared by hand with the built binary). The generator's inventory is
// written as source-watcher would (no source-watcher runs here).
import { beforeAll, describe, expect, it } from "vitest";
import { applyYaml, createNamespace, fluxRef, setStatus, testKubeConfig, testKubeconfigPath } from "../env/helpers.js";
import { runCli } from "../helpers/cli.js";

let ns: string;
let empty: string;
let kubeconfig: string;
const flux = (...args: string[]) => runCli(["--kubeconfig", kubeconfig, ...args]);

beforeAll(async () => {
  kubeconfig = await testKubeconfigPath();
  const kc = await testKubeConfig();
  ns = await createNamespace(kc);
  empty = await createNamespace(kc);
  await applyYaml(
    kc,
    `apiVersion: source.extensions.fluxcd.io/v1beta1
kind: ArtifactGenerator
metadata: {name: gen, namespace: ${ns}}
spec:
  sources:
  - {alias: repo, kind: GitRepository, name: podinfo}
  artifacts:
  - name: podinfo-app
    copy:
    - {from: "@repo/kustomize/**", to: "@artifact/"}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: ExternalArtifact
metadata: {name: podinfo-app, namespace: ${ns}}
spec:
  sourceRef: {apiVersion: source.extensions.fluxcd.io/v1beta1, kind: ArtifactGenerator, name: gen, namespace: ${ns}}
`,
  );
  const entry = (name: string) => ({ name, namespace: ns, digest: "sha256:aa", filename: "a.tar.gz" });
  await setStatus(kc, fluxRef("ArtifactGenerator", ns, "gen"), {
    inventory: [entry("podinfo-app"), entry("other")],
  });
});

describe("get", () => {
  it("artifact generators: upstream's table (Suspended from the reconcile annotation)", async () => {
    const r = await flux("get", "artifact", "generators", "-n", ns);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      "NAME\tSUSPENDED\tREADY\tMESSAGE                  \ngen \tFalse    \tFalse\twaiting to be reconciled\t\n",
    );
    const all = await flux("get", "artifacts", "generator", "-A");
    expect(all.stdout).toMatch(/^NAMESPACE *\tNAME *\tSUSPENDED\tREADY\tMESSAGE/);
    expect(all.stdout).toMatch(new RegExp(`\n${ns} *\tgen *\tFalse    \tFalse\twaiting to be reconciled\t\n`));
  });

  it("sources external, and in get sources all / get all", async () => {
    const src = `ArtifactGenerator/${ns}/gen`;
    const r = await flux("get", "sources", "external", "-n", ns);
    expect(r.code).toBe(0);
    const pad = " ".repeat(src.length - "SOURCE".length);
    expect(r.stdout).toBe(
      `NAME       \tREVISION\tSOURCE${pad}\tREADY\tMESSAGE                  \n` +
        `podinfo-app\t        \t${src}\tFalse\twaiting to be reconciled\t\n`,
    );
    for (const args of [
      ["get", "sources", "all"],
      ["get", "all"],
    ]) {
      const all = await flux(...args, "-n", ns);
      expect(all.code).toBe(0);
      expect(all.stdout).toContain(`externalartifact/podinfo-app\t        \t${src}\tFalse`);
      // ArtifactGenerator is not part of `get all` (as upstream)
      expect(all.stdout).not.toContain("artifactgenerator/");
    }
  });

  it("nothing found is ✗ and exit 1", async () => {
    const r = await flux("get", "artifact", "generators", "-n", empty);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`✗ no ArtifactGenerator objects found in "${empty}" namespace\n`);
  });
});

describe("export", () => {
  it("artifact generator and source external print upstream's manifests", async () => {
    const gen = await flux("export", "artifact", "generator", "gen", "-n", ns);
    expect(gen.code).toBe(0);
    expect(gen.stdout).toBe(`---
apiVersion: source.extensions.fluxcd.io/v1beta1
kind: ArtifactGenerator
metadata:
  name: gen
  namespace: ${ns}
spec:
  artifacts:
  - copy:
    - from: '@repo/kustomize/**'
      to: '@artifact/'
    name: podinfo-app
  sources:
  - alias: repo
    kind: GitRepository
    name: podinfo
`);
    const ext = await flux("export", "source", "external", "--all", "-n", ns);
    expect(ext.code).toBe(0);
    expect(ext.stdout).toBe(`---
apiVersion: source.toolkit.fluxcd.io/v1
kind: ExternalArtifact
metadata:
  name: podinfo-app
  namespace: ${ns}
spec:
  sourceRef:
    apiVersion: source.extensions.fluxcd.io/v1beta1
    kind: ArtifactGenerator
    name: gen
    namespace: ${ns}
`);
  });
});

describe("tree artifact generator", () => {
  it("prints the ExternalArtifacts of the inventory", async () => {
    const r = await flux("tree", "artifact", "generator", "gen", "-n", ns);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `ArtifactGenerator/${ns}/gen\n├── ExternalArtifact/${ns}/podinfo-app\n└── ExternalArtifact/${ns}/other\n\n`,
    );
    const json = await flux("tree", "artifact", "generator", "gen", "-n", ns, "-o", "json");
    expect(JSON.parse(json.stdout)).toEqual({
      resource: {
        Namespace: ns,
        Name: "gen",
        GroupKind: { Group: "source.extensions.fluxcd.io", Kind: "ArtifactGenerator" },
      },
      resources: ["podinfo-app", "other"].map((name) => ({
        resource: {
          Namespace: ns,
          Name: name,
          GroupKind: { Group: "source.toolkit.fluxcd.io", Kind: "ExternalArtifact" },
        },
      })),
    });
    const yaml = await flux("tree", "artifact", "generator", "gen", "-n", ns, "-o", "yaml");
    expect(yaml.stdout.startsWith("resource:\n  GroupKind:\n    Group: source.extensions.fluxcd.io\n")).toBe(true);
  });

  it("takes exactly one name and reports a missing generator", async () => {
    expect((await flux("tree", "artifact", "generator", "-n", ns)).stderr).toBe("✗ accepts 1 arg(s), received 0\n");
    const two = await flux("tree", "artifact", "generator", "a", "b", "-n", ns);
    expect([two.code, two.stderr]).toEqual([1, "✗ accepts 1 arg(s), received 2\n"]);
    const missing = await flux("tree", "artifact", "generator", "nope", "-n", ns);
    expect([missing.code, missing.stderr]).toEqual([
      1,
      '✗ artifactgenerators.source.extensions.fluxcd.io "nope" not found\n',
    ]);
  });
});
