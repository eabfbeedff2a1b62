// `flux stats` against the real API server: running, failing (Ready=False), suspended
// and artifact storage per kind, in upstream's row order. The table bytes are upstream
// flux v2.9.5's for the same objects (compared by hand with the built binary); the
// statuses are written as source-controller and helm-controller would.
import { beforeAll, describe, expect, it } from "vitest";
import { applyYaml, createNamespace, fluxRef, setStatus, testKubeConfig, testKubeconfigPath } from "../env/helpers.js";
import { runCli } from "../helpers/cli.js";

let ns: string;
let kubeconfig: string;
const flux = (...args: string[]) => runCli(["--kubeconfig", kubeconfig, ...args]);

const git = (name: string, suspend = false) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: ${name}, namespace: ${ns}}
spec: {interval: 1m, url: "https://example.com/${name}", suspend: ${suspend}}
`;
const ready = (status: "True" | "False") => ({
  conditions: [{ type: "Ready", status, reason: "R", message: "m", lastTransitionTime: "2024-01-01T00:00:00Z" }],
});
const artifact = (size: number) => ({
  artifact: {
    revision: "main@sha1:0",
    path: "p",
    url: "http://x/p",
    digest: "sha256:0",
    lastUpdateTime: "2024-01-01T00:00:00Z",
    size,
  },
});

beforeAll(async () => {
  kubeconfig = await testKubeconfigPath();
  const kc = await testKubeConfig();
  ns = await createNamespace(kc);
  await applyYaml(
    kc,
    [
      git("a"),
      git("b"),
      git("c", true),
      `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: k, namespace: ${ns}}
spec: {interval: 1m, path: ./, prune: true, sourceRef: {kind: GitRepository, name: a}}
`,
    ].join("---\n"),
  );
  await setStatus(kc, fluxRef("GitRepository", ns, "a"), { ...ready("True"), ...artifact(1024 * 1024) });
  await setStatus(kc, fluxRef("GitRepository", ns, "b"), { ...ready("False"), ...artifact(256 * 1024) });
  await setStatus(kc, fluxRef("Kustomization", ns, "k"), ready("False"));
});

const zero = (kind: string) => `${kind.padEnd(21)}\t0      \t0      \t0        \t-      \t\n`;

describe("stats", () => {
  it("prints upstream's table for a namespace", async () => {
    const r = await flux("stats", "-n", ns);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toBe(
      "RECONCILERS          \tRUNNING\tFAILING\tSUSPENDED\tSTORAGE \n" +
        "GitRepository        \t2      \t1      \t1        \t1.2 MiB\t\n" +
        ["OCIRepository", "HelmRepository", "HelmChart", "Bucket"].map(zero).join("") +
        "Kustomization        \t1      \t1      \t0        \t-      \t\n" +
        ["HelmRelease", "Alert", "Provider", "Receiver", "ImageUpdateAutomation", "ImagePolicy", "ImageRepository"]
          .map(zero)
          .join(""),
    );
  });

  it("-o json gives the counts and bytes", async () => {
    const r = await flux("stats", "-n", ns, "-o", "json");
    const stats = JSON.parse(r.stdout) as { kind: string }[];
    expect(stats.map((s) => s.kind)[0]).toBe("GitRepository");
    expect(stats[0]).toEqual({ kind: "GitRepository", running: 2, failing: 1, suspended: 1, storageBytes: 1310720 });
  });

  it("-A counts every namespace; arguments are refused", async () => {
    const all = await flux("stats", "-A", "-o", "json");
    const gitRow = (JSON.parse(all.stdout) as { kind: string; running: number }[])[0];
    expect(gitRow?.running).toBeGreaterThanOrEqual(2);
    const r = await flux("stats", "x");
    expect([r.code, r.stderr]).toEqual([1, '✗ unknown command "x" for "flux stats"\n']);
    const bad = await flux("stats", "-o", "xml");
    expect([bad.code, bad.stdout, bad.stderr]).toEqual([1, "", "✗ --output must be table, json or yaml, not xml\n"]);
  });

  it("a kind it may not list: the row, a ✗ line and exit 1 (upstream prints zeros and exits 0)", async () => {
    const kc = await testKubeConfig();
    const user = `stats-${Date.now().toString(36)}`;
    const kinds =
      "gitrepositories, ocirepositories, buckets, helmrepositories, helmcharts, kustomizations, helmreleases, alerts, providers, receivers, imagepolicies, imagerepositories";
    await applyYaml(
      kc,
      `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: ${user}}
rules: [{apiGroups: ["*"], resources: [${kinds}], verbs: [list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ${user}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${user}}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: ${user}}]
`,
    );
    const r = await flux("--as", user, "stats", "-n", ns);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("GitRepository        \t2      \t1      \t1        \t1.2 MiB\t\n");
    expect(r.stdout).toContain(zero("ImageUpdateAutomation"));
    const lines = r.stderr.trim().split("\n");
    expect(lines[0]).toMatch(/^✗ imageupdateautomations.image.toolkit.fluxcd.io is forbidden: User "stats-/);
    expect(lines[1]).toBe("✗ failed to list ImageUpdateAutomation");
  });
});
