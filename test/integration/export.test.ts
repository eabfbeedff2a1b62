// `flux export` against the real API server: clean manifests (no status, managedFields,
// uid, resourceVersion, generation, creationTimestamp, last-applied annotation).
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  applyYaml,
  createNamespace,
  fluxRef,
  markReconciled,
  testKubeConfig,
  testKubeconfigPath,
} from "../env/helpers.js";
import { runCli } from "../helpers/cli.js";
import { expectGolden, tsfluxGolden } from "../support/golden.js";

const dir = new URL("../golden/tsflux/export/", import.meta.url);
const read = (name: string) => readFileSync(new URL(name, dir), "utf8");

/** Compares with test/golden/tsflux/export/<name>; `{{ .fluxns }}` stands for the namespace. */
const expectSnapshot = (actual: string, name: string, ns: string) =>
  expectGolden(actual, tsfluxGolden("export", name), { fluxns: ns });

let kubeconfig: string;
let ns: string;
const flux = (...args: string[]) => runCli(["--kubeconfig", kubeconfig, ...args]);

beforeAll(async () => {
  kubeconfig = await testKubeconfigPath();
  const kc = await testKubeConfig();
  ns = await createNamespace(kc);
  await applyYaml(kc, read("objects.yaml").replaceAll("{{ .fluxns }}", ns));
  // A controller has been here: status, observedGeneration, requestedAt annotation.
  await markReconciled(kc, fluxRef("GitRepository", ns, "podinfo"), "2024-01-01T00:00:00Z");
});

describe("export", () => {
  it("exports one object without server-side fields", async () => {
    const res = await flux("export", "source", "git", "podinfo", "-n", ns);
    expect(res.code).toBe(0);
    expect(res.stderr).toBe("");
    expectSnapshot(res.stdout, "source-git.golden", ns);
    expect(res.stdout).not.toMatch(
      /status:|managedFields|uid:|resourceVersion|generation|creationTimestamp|last-applied/,
    );
  });

  it("exports kustomizations, helmreleases and alerts byte for byte", async () => {
    expectSnapshot((await flux("export", "kustomization", "podinfo", "-n", ns)).stdout, "kustomization.golden", ns);
    expectSnapshot((await flux("export", "helmrelease", "podinfo", "-n", ns)).stdout, "helmrelease.golden", ns);
    expectSnapshot((await flux("export", "alert", "--all", "-n", ns)).stdout, "alert-all.golden", ns);
  });

  it("--all prints every object as its own document; aliases work", async () => {
    const res = await flux("export", "ks", "--all", "-n", ns);
    expect(res.stdout).toBe((await flux("export", "kustomization", "podinfo", "-n", ns)).stdout);
  });

  it("--with-credentials exports the source's Secret after it", async () => {
    const kc = await testKubeConfig();
    const ns2 = await createNamespace(kc);
    await applyYaml(
      kc,
      `apiVersion: v1
kind: Secret
metadata: {name: git-auth, namespace: ${ns2}, labels: {team: a}}
type: Opaque
stringData: {username: git, password: s3cr3t}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: private, namespace: ${ns2}}
spec: {interval: 1m, url: https://example.com/repo.git, ref: {branch: main}, secretRef: {name: git-auth}}`,
    );
    const res = await flux("export", "source", "git", "private", "--with-credentials", "-n", ns2);
    expect(res.code).toBe(0);
    expect(
      res.stdout.endsWith(
        `---\napiVersion: v1\ndata:\n  password: czNjcjN0\n  username: Z2l0\nkind: Secret\nmetadata:\n  name: git-auth\n  namespace: ${ns2}\ntype: Opaque\n`,
      ),
    ).toBe(true);
    expect(res.stderr).toBe("");
    const without = await flux("export", "source", "git", "private", "-n", ns2);
    expect(without.stdout).not.toContain("kind: Secret");
    // Declared on `export source` (upstream's persistent flag): before the kind too.
    const before = await flux("export", "source", "--with-credentials", "git", "private", "-n", ns2);
    expect(before.stdout).toBe(res.stdout);
    await applyYaml(
      kc,
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmChart
metadata: {name: chart, namespace: ${ns2}}
spec: {interval: 5m, chart: ./chart, sourceRef: {kind: GitRepository, name: private}}`,
    );
    // A HelmChart names no Secret: the flag is accepted and adds nothing.
    const chart = await flux("export", "source", "chart", "chart", "--with-credentials", "-n", ns2);
    expect(chart.code).toBe(0);
    expect(chart.stdout).toBe((await flux("export", "source", "chart", "chart", "-n", ns2)).stdout);
  });

  it("fails clearly: no name, missing object, empty namespace", async () => {
    const noName = await flux("export", "source", "git", "-n", ns);
    expect(noName).toMatchObject({ code: 1, stdout: "", stderr: "✗ name is required\n" });
    const missing = await flux("export", "source", "git", "nope", "-n", ns);
    expect(missing).toMatchObject({
      code: 1,
      stdout: "",
      stderr: '✗ gitrepositories.source.toolkit.fluxcd.io "nope" not found\n',
    });
    const empty = await flux("export", "source", "bucket", "--all", "-n", ns);
    expect(empty).toMatchObject({ code: 1, stdout: "", stderr: `✗ no objects found in ${ns} namespace\n` });
  });
});
