// `flux get` against the real API server: upstream's tables byte for byte, -A, all,
// selectors, -o json|yaml, errors. Status is written as a controller would.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import {
  applyYaml,
  createNamespace,
  fluxRef,
  setStatus,
  testKubeConfig,
  testKubeconfigPath,
  type KubeObject,
} from "../env/helpers.js";
import { runCli } from "../helpers/cli.js";
import { mustKind } from "../../src/kinds/registry.js";
import { must } from "../support/must.js";

const golden = (name: string) => readFileSync(new URL(`../golden/tsflux/get/${name}`, import.meta.url), "utf8");

/** Applies objects (spec via server-side apply, status through the status subresource). */
async function applyWithStatus(yamlText: string, ns: string): Promise<void> {
  const kc = await testKubeConfig();
  const docs = parseAllDocuments(yamlText.replaceAll("{{ .fluxns }}", ns)).map((d) => d.toJS() as KubeObject);
  for (const doc of docs) {
    if (doc.kind === "Namespace") continue;
    const { status, ...rest } = doc;
    await applyYaml(kc, [rest], ns);
    if (status) {
      await setStatus(kc, { ...refOf(doc), namespace: ns, name: doc.metadata.name }, status);
    }
  }
}

function refOf(doc: KubeObject) {
  const k = mustKind(must(doc.kind, "the document's kind"));
  return { group: k.group, version: k.version, plural: k.plural };
}

let kubeconfig: string;
let ns: string;

beforeAll(async () => {
  kubeconfig = await testKubeconfigPath();
  ns = await createNamespace(await testKubeConfig(), `flux-system-${Date.now().toString(36)}`);
  await applyWithStatus(golden("objects.yaml"), ns);
});

const flux = (...args: string[]) => runCli(["--kubeconfig", kubeconfig, ...args]);

describe("get sources git", () => {
  it("prints upstream's table byte for byte", async () => {
    const res = await flux("get", "sources", "git", "-n", ns);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(golden("sources-git.golden"));
  });

  it("--no-header drops the header line, one name selects one row", async () => {
    const res = await flux("get", "sources", "git", "podinfo-shard1", "-n", ns, "--no-header");
    // Without a header the columns are as wide as the cells.
    expect(res.stdout).toBe(
      "podinfo-shard1\tmain@sha1:696f056d\tFalse\tTrue\tFetched revision: main@sha1:696f056d\t\n",
    );
  });

  it("-A adds the NAMESPACE column", async () => {
    const res = await flux("get", "sources", "git", "-A", "-l", "sharding.fluxcd.io/key=shard2");
    expect(res.code).toBe(0);
    const lines = res.stdout.split("\n");
    expect(lines[0]).toMatch(/^NAMESPACE\s*\tNAME\s*\tREVISION\s*\tSUSPENDED\tREADY\tMESSAGE\s+$/);
    expect(lines).toContain(
      `${ns}\tpodinfo-shard2\tmain@sha1:696f056d\tFalse    \tTrue \tFetched revision: main@sha1:696f056d\t`,
    );
  });

  it("--status-selector filters on conditions, and rejects a bad syntax", async () => {
    const none = await flux("get", "sources", "git", "-n", ns, "--status-selector", "ready=false");
    expect(none.stdout).toBe("NAME\tREVISION\tSUSPENDED\tREADY\tMESSAGE \n");
    const all = await flux("get", "sources", "git", "-n", ns, "--status-selector", "Ready=True");
    expect(all.stdout).toBe(golden("sources-git.golden"));
    const bad = await flux("get", "sources", "git", "-n", ns, "--status-selector", "ready");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("✗ expected status selector in type=status or type!=status format, but found: ready\n");
  });

  it("says so when nothing is found, and exits 1 as upstream", async () => {
    const res = await flux("get", "kustomizations", "-n", ns);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe("");
    expect(res.stderr).toBe(`✗ no Kustomization objects found in "${ns}" namespace\n`);
    const one = await flux("get", "sources", "git", "nope", "-n", ns);
    expect(one.code).toBe(1);
    expect(one.stderr).toBe(`✗ GitRepository object 'nope' not found in "${ns}" namespace\n`);
  });
});

describe("get all", () => {
  it("prints one table per kind with kind/name and a blank line after each", async () => {
    const res = await flux("get", "all", "-n", ns);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(
      "NAME                        \tREVISION          \tSUSPENDED\tREADY\tMESSAGE                              \n" +
        "gitrepository/podinfo       \tmain@sha1:696f056d\tFalse    \tTrue \tFetched revision: main@sha1:696f056d\t\n" +
        "gitrepository/podinfo-shard1\tmain@sha1:696f056d\tFalse    \tTrue \tFetched revision: main@sha1:696f056d\t\n" +
        "gitrepository/podinfo-shard2\tmain@sha1:696f056d\tFalse    \tTrue \tFetched revision: main@sha1:696f056d\t\n" +
        "\n",
    );
  });

  it("get sources all and get images all cover their kinds; -w is refused", async () => {
    const src = await flux("get", "sources", "all", "-n", ns);
    expect(src.stdout.split("\n")[1]).toMatch(/^gitrepository\/podinfo /);
    const img = await flux("get", "images", "all", "-n", ns);
    expect(img.code).toBe(0);
    expect(img.stdout).toBe("");
    const w = await flux("get", "all", "-n", ns, "-w");
    expect(w.code).toBe(1);
    expect(w.stderr).toBe("✗ expected a single resource type, but found all\n");
  });
});

describe("-o json|yaml", () => {
  it("prints a kubectl-style List", async () => {
    const json = await flux("get", "sources", "git", "-n", ns, "-o", "json");
    const list = JSON.parse(json.stdout) as { kind: string; items: KubeObject[] };
    expect(list.kind).toBe("List");
    expect(list.items.map((i) => `${i.kind}/${i.metadata.name}`)).toEqual([
      "GitRepository/podinfo",
      "GitRepository/podinfo-shard1",
      "GitRepository/podinfo-shard2",
    ]);
    const yaml = await flux("get", "all", "-n", ns, "-o", "yaml");
    expect(
      yaml.stdout.startsWith(
        "apiVersion: v1\nitems:\n- apiVersion: source.toolkit.fluxcd.io/v1\n  kind: GitRepository\n",
      ),
    ).toBe(true);
    const bad = await flux("get", "all", "-n", ns, "-o", "xml");
    expect(bad).toMatchObject({ code: 1, stdout: "", stderr: "✗ --output must be table, json or yaml, not xml\n" });
  });

  it("leaves out metadata.managedFields unless --show-managed-fields, as kubectl does", async () => {
    const parse = (out: string) => JSON.parse(out) as { items: KubeObject[] };
    const plain = parse((await flux("get", "sources", "git", "podinfo", "-n", ns, "-o", "json")).stdout);
    expect(plain.items).toHaveLength(1);
    const [item] = plain.items;
    expect(item?.metadata.name).toBe("podinfo");
    expect(item?.metadata).not.toHaveProperty("managedFields");
    expect(item?.metadata.uid).toEqual(expect.any(String));
    expect((await flux("get", "sources", "git", "-n", ns, "-o", "yaml")).stdout).not.toContain("managedFields:");
    const full = parse(
      (await flux("get", "sources", "git", "podinfo", "-n", ns, "-o", "json", "--show-managed-fields")).stdout,
    );
    expect(full.items[0]?.metadata.managedFields).toEqual(
      expect.arrayContaining([expect.objectContaining<{ manager: unknown }>({ manager: expect.any(String) })]),
    );
  });
});

describe("columns of the other kinds", () => {
  it("Kustomization, HelmRelease (--show-source), Alert and Provider", async () => {
    const kc = await testKubeConfig();
    const ns2 = await createNamespace(kc);
    await applyYaml(
      kc,
      `
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: ${ns2}}
spec: {interval: 10m, prune: true, path: ./apps, sourceRef: {kind: GitRepository, name: flux-system}, suspend: true}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: podinfo, namespace: ${ns2}}
spec:
  interval: 10m
  chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: podinfo}}}
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: {name: slack, namespace: ${ns2}}
spec: {type: slack}
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata: {name: on-call, namespace: ${ns2}}
spec: {providerRef: {name: slack}, eventSources: [{kind: Kustomization, name: "*"}]}
`,
    );
    await setStatus(kc, fluxRef("Kustomization", ns2, "apps"), {
      lastAppliedRevision: "main@sha1:0123456789abcdef0123456789abcdef01234567",
      conditions: [
        {
          type: "Ready",
          status: "True",
          reason: "ReconciliationSucceeded",
          message: "Applied revision: main@sha1:0123456789abcdef0123456789abcdef01234567",
          lastTransitionTime: "2024-01-01T00:00:00Z",
        },
      ],
    });
    await setStatus(kc, fluxRef("HelmRelease", ns2, "podinfo"), {
      history: [
        {
          chartName: "podinfo",
          chartVersion: "6.5.4",
          configDigest: "sha256:def",
          digest: "sha256:abc",
          firstDeployed: "2024-01-01T00:00:00Z",
          lastDeployed: "2024-01-01T00:00:00Z",
          name: "podinfo",
          namespace: ns2,
          status: "deployed",
          version: 1,
        },
      ],
      conditions: [
        {
          type: "Ready",
          status: "False",
          reason: "InstallFailed",
          message: "Helm install failed",
          lastTransitionTime: "2024-01-01T00:00:00Z",
        },
      ],
    });
    const ks = await flux("get", "ks", "-n", ns2);
    expect(ks.stdout).toBe(
      "NAME\tREVISION          \tSUSPENDED\tREADY\tMESSAGE                              \n" +
        "apps\tmain@sha1:01234567\tTrue     \tTrue \tApplied revision: main@sha1:01234567\t\n",
    );
    const ksSource = await flux("get", "ks", "-n", ns2, "--show-source");
    const ksSrc = `GitRepository/${ns2}/flux-system`;
    expect(ksSource.stdout).toBe(
      `NAME\t${"SOURCE".padEnd(ksSrc.length)}\tREVISION          \tSUSPENDED\tREADY\tMESSAGE                              \n` +
        `apps\t${ksSrc}\tmain@sha1:01234567\tTrue     \tTrue \tApplied revision: main@sha1:01234567\t\n`,
    );
    const hr = await flux("get", "hr", "-n", ns2, "--show-source");
    const src = `HelmRepository/${ns2}/podinfo`;
    expect(hr.stdout).toBe(
      `NAME   \t${"SOURCE".padEnd(src.length)}\tREVISION\tSUSPENDED\tREADY\tMESSAGE             \n` +
        `podinfo\t${src}\t6.5.4   \tFalse    \tFalse\tHelm install failed\t\n`,
    );
    const alerts = await flux("get", "alerts", "-n", ns2);
    expect(alerts.stdout).toBe(
      "NAME   \tSUSPENDED\tREADY\tMESSAGE        \non-call\tFalse    \tTrue \tAlert is Ready\t\n",
    );
    // providers have no conditions: upstream treats them as Ready=True for --status-selector
    const all = await flux("get", "alert-providers", "-n", ns2);
    const providers = await flux("get", "alert-providers", "-n", ns2, "--status-selector", "ready=true");
    expect(providers.stdout).toBe(all.stdout);
    expect(providers.stdout).toContain("slack");
    const none = await flux("get", "alert-providers", "-n", ns2, "--status-selector", "ready!=true");
    expect(none.stdout).toBe("NAME\tREADY\tMESSAGE \n");
  });
});

describe("errors", () => {
  it("get all: prints what it may list, reports each forbidden kind, exits 1", async () => {
    const kc = await testKubeConfig();
    const user = `partial-${Date.now().toString(36)}`;
    await applyYaml(
      kc,
      `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: ${user}}
rules: [{apiGroups: [source.toolkit.fluxcd.io], resources: [gitrepositories, ocirepositories, buckets, helmrepositories, helmcharts, externalartifacts], verbs: [list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ${user}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${user}}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: ${user}}]
`,
    );
    const res = await flux("--as", user, "get", "all", "-n", ns);
    expect(res.code).toBe(1);
    expect(res.stdout.split("\n")[1]).toMatch(/^gitrepository\/podinfo /);
    const failures = res.stderr.trim().split("\n");
    expect(failures).toHaveLength(9);
    expect(failures[0]).toMatch(/^✗ imagerepositories.image.toolkit.fluxcd.io is forbidden: User "partial-/);
    expect(failures[8]).toBe(
      "✗ failed to list ImageRepository, ImagePolicy, ImageUpdateAutomation, HelmRelease, Kustomization, Receiver, Provider, Alert",
    );
    // The sources alone are all allowed.
    expect((await flux("--as", user, "get", "sources", "all", "-n", ns)).code).toBe(0);
  });

  it("a kind the API server does not serve: a clear hint, ignored by get all", async () => {
    const { createKubeClient } = await import("../../src/kube/client.js");
    const { mustKind } = await import("../../src/kinds/registry.js");
    const { getObjects } = await import("../../src/ops/get.js");
    const { createLogger } = await import("../../src/output/logger.js");
    const client = await createKubeClient({ kubeconfig });
    const missing = { ...mustKind("GitRepository"), group: "source.example.com" };
    let out = "";
    let err = "";
    const deps = {
      client,
      stdout: { write: (s: string) => (out += s) },
      logger: createLogger({ stream: { write: (s: string) => (err += s) }, color: false }),
    };
    const base = {
      namespace: ns,
      allNamespaces: false,
      noHeader: false,
      watch: false,
      output: "table" as const,
      timeoutMs: 10_000,
    };
    await expect(getObjects({ ...base, kinds: [missing], all: false }, deps)).rejects.toThrow(
      'no matches for kind "GitRepository" in version "source.example.com/v1": is Flux installed (flux check)?',
    );
    await getObjects({ ...base, kinds: [missing, mustKind("GitRepository")], all: true }, deps);
    expect(err).toBe("");
    expect(out.split("\n")[1]).toMatch(/^gitrepository\/podinfo /);
  });

  it("unreachable cluster: one clear line, exit 1", async () => {
    const res = await runCli(["--kubeconfig", kubeconfig, "--server", "https://127.0.0.1:1", "get", "ks"]);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe("");
    expect(res.stderr).toMatch(
      /^✗ unable to connect to the Kubernetes API server at https:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\).*\n$/,
    );
  });

  it("forbidden: the API server's message", async () => {
    const res = await flux("--as", "nobody", "get", "ks", "-n", ns);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      `✗ kustomizations.kustomize.toolkit.fluxcd.io is forbidden: User "nobody" cannot list resource "kustomizations" in API group "kustomize.toolkit.fluxcd.io" in the namespace "${ns}"\n`,
    );
  });
});

describe("get -w", () => {
  it("prints the current objects with a header, then one row per change, until --timeout", async () => {
    const kc = await testKubeConfig();
    const ns3 = await createNamespace(kc);
    await applyYaml(
      kc,
      `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: watched, namespace: ${ns3}}
spec: {interval: 10m, prune: true, path: ./apps, sourceRef: {kind: GitRepository, name: flux-system}}`,
    );
    const run = flux("get", "ks", "-w", "-n", ns3, "--timeout", "3s");
    await new Promise((r) => setTimeout(r, 1200));
    await setStatus(kc, fluxRef("Kustomization", ns3, "watched"), {
      conditions: [
        {
          type: "Ready",
          status: "True",
          reason: "ReconciliationSucceeded",
          message: "Applied revision: main@sha1:abc",
          lastTransitionTime: "2024-01-01T00:00:00Z",
        },
      ],
    });
    const res = await run;
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(
      `NAME   \tREVISION\tSUSPENDED\tREADY\t${"MESSAGE".padEnd(24)} \n` +
        "watched\t        \tFalse    \tFalse\twaiting to be reconciled\t\n" +
        "watched\t\tFalse\tTrue\tApplied revision: main@sha1:abc\t\n",
    );
  });
});
