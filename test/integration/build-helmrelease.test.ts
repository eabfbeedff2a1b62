// `flux build helmrelease`: charts from a local HTTP chart repository, from the
// docker-registry (OCI HelmRepository and OCIRepository) and from a folder of the
// same git tree, rendered by the real helm; each rendering is checked against
// `helm template` run directly on the same chart and values.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { HELM_NOT_FOUND, findHelm } from "../../src/helm/binary.js";
import { releaseNameOf, shortenName } from "../../src/helm/render.js";
import { startRegistry, type TestRegistry } from "../env/registry.js";
import { runCli } from "../helpers/cli.js";
import { chartRepository, DEMO_CHART, helm } from "../support/helm-charts.js";
import { must } from "../support/must.js";
import { startStaticServer, type StaticServer } from "../support/static-server.js";
import { stopAfterAll } from "../support/teardown.js";

type Obj = Record<string, unknown> & {
  kind?: string;
  metadata?: Record<string, unknown> & { labels?: Record<string, string> };
};

function docs(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => !!o && typeof o === "object");
}

/** The objects without the labels helm-controller adds, keyed for comparison. */
function withoutOrigin(objects: Obj[]): Obj[] {
  return objects
    .map((o) => {
      const c = structuredClone(o);
      const metadata = c.metadata;
      const labels = metadata?.labels;
      if (metadata && labels) {
        delete labels["helm.toolkit.fluxcd.io/name"];
        delete labels["helm.toolkit.fluxcd.io/namespace"];
        if (Object.keys(labels).length === 0) delete metadata.labels;
      }
      return c;
    })
    .sort((a, b) =>
      `${String(a.kind)}/${String(a.metadata?.name)}`.localeCompare(`${String(b.kind)}/${String(b.metadata?.name)}`),
    );
}

let tmp: string;
let server: StaticServer;
let registry: TestRegistry;
let fleet: string;
let repoDir: string;
const stopLater = stopAfterAll();

function write(rel: string, text: string): void {
  const file = path.join(fleet, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "tsflux-build-hr-"));
  repoDir = path.join(tmp, "repo");
  const [, , v110] = await chartRepository(repoDir, ["1.0.0", "1.0.1", "1.1.0", "2.0.0-rc.1"]);
  server = stopLater(await startStaticServer(repoDir));
  registry = stopLater(await startRegistry());
  await helm(["push", must(v110, "the packaged chart 1.1.0"), `oci://${registry.host}/charts`, "--plain-http"]);

  fleet = path.join(tmp, "fleet");
  mkdirSync(path.join(fleet, "charts"), { recursive: true });
  execFileSync("git", ["init", "-q", fleet]);
  execFileSync("cp", ["-r", DEMO_CHART, path.join(fleet, "charts", "demo")]);
  write(
    "infra/sources.yaml",
    `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: demo-http
  namespace: flux-system
spec:
  interval: 10m
  url: ${server.url}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: demo-oci
  namespace: flux-system
spec:
  interval: 10m
  type: oci
  insecure: true
  url: oci://${registry.host}/charts
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: demo-chart
  namespace: apps
spec:
  interval: 10m
  insecure: true
  url: oci://${registry.host}/charts/demo
  ref:
    semver: ">=1.0.0"
  layerSelector:
    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
    operation: copy
`,
  );
  write(
    "apps/releases.yaml",
    `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: from-http
  namespace: apps
spec:
  interval: 5m
  chart:
    spec:
      chart: demo
      version: "<1.1.0"
      sourceRef:
        kind: HelmRepository
        name: demo-http
        namespace: flux-system
  values:
    replicaCount: 3
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: from-http-latest
  namespace: apps
spec:
  interval: 5m
  chart:
    spec:
      chart: demo
      sourceRef:
        kind: HelmRepository
        name: demo-http
        namespace: flux-system
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: from-oci
  namespace: apps
spec:
  interval: 5m
  install:
    crds: Skip
  chart:
    spec:
      chart: demo
      version: "1.1.x"
      sourceRef:
        kind: HelmRepository
        name: demo-oci
        namespace: flux-system
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: from-ociref
  namespace: apps
spec:
  interval: 5m
  releaseName: demo-ref
  chartRef:
    kind: OCIRepository
    name: demo-chart
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: from-git
  namespace: apps
spec:
  interval: 5m
  targetNamespace: prod
  storageNamespace: flux-system
  chart:
    spec:
      chart: ./charts/demo
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
  values:
    replicaCount: 2
  valuesFrom:
    - kind: ConfigMap
      name: demo-values
    - kind: Secret
      name: demo-secret
      valuesKey: password
      targetPath: password
    - kind: ConfigMap
      name: absent-but-optional
      optional: true
  commonMetadata:
    labels:
      team: blue
      helm.toolkit.fluxcd.io/name: overridden
  postRenderers:
    - kustomize:
        patches:
          - target:
              kind: Deployment
            patch: |
              - op: add
                path: /metadata/annotations
                value:
                  patched: "yes"
        images:
          - name: ghcr.io/example/demo
            newTag: patched
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: demo-values
  namespace: apps
data:
  values.yaml: |
    config:
      greeting: bonjour
---
apiVersion: v1
kind: Secret
metadata:
  name: demo-secret
  namespace: apps
stringData:
  password: "12345"
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: needs-values
  namespace: apps
spec:
  interval: 5m
  chart:
    spec:
      chart: ./charts/demo
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
  valuesFrom:
    - kind: ConfigMap
      name: missing-values
`,
  );
}, 180_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function build(name: string, ...extra: string[]) {
  return runCli(["build", "helmrelease", name, "-n", "apps", "--path", fleet, ...extra]);
}

/** `helm template` on the same chart and values, directly. */
async function helmTemplate(release: string, chart: string, namespace: string, values: object, ...flags: string[]) {
  const file = path.join(tmp, `values-${release}.json`);
  writeFileSync(file, JSON.stringify(values));
  return docs(await helm(["template", release, chart, "--namespace", namespace, "-f", file, "--no-hooks", ...flags]));
}

describe("flux build helmrelease", () => {
  it("renders a chart from an HTTP repository at the newest version the constraint allows, as helm template does", async () => {
    const res = await build("from-http");
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const objects = docs(res.stdout);
    const deployment = must(
      objects.find((o) => o.kind === "Deployment"),
      "a Deployment in the build",
    );
    expect(deployment.metadata?.labels).toMatchObject({
      "helm.sh/chart": "demo-1.0.1",
      "helm.toolkit.fluxcd.io/name": "from-http",
      "helm.toolkit.fluxcd.io/namespace": "apps",
    });
    const direct = await helmTemplate(
      "from-http",
      path.join(repoDir, "demo-1.0.1.tgz"),
      "apps",
      { replicaCount: 3 },
      "--include-crds",
    );
    expect(withoutOrigin(objects)).toEqual(withoutOrigin(direct));
    // hooks are not part of the release's objects
    expect(objects.some((o) => o.kind === "Job")).toBe(false);
    expect(server.requests).toContain("/index.yaml");
  });

  it("picks the newest stable version when the HelmRelease names none", async () => {
    const res = await build("from-http-latest");
    expect(res.code).toBe(0);
    const deployment = must(
      docs(res.stdout).find((o) => o.kind === "Deployment"),
      "a Deployment in the build",
    );
    expect(deployment.metadata?.labels?.["helm.sh/chart"]).toBe("demo-1.1.0");
  });

  it("pulls a chart from an OCI HelmRepository, skipping CRDs as spec.install.crds says", async () => {
    const res = await build("from-oci");
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const objects = docs(res.stdout);
    expect(objects.some((o) => o.kind === "CustomResourceDefinition")).toBe(false);
    const direct = await helmTemplate("from-oci", path.join(repoDir, "demo-1.1.0.tgz"), "apps", {}, "--skip-crds");
    expect(withoutOrigin(objects)).toEqual(withoutOrigin(direct));
  });

  it("pulls the chart of an OCIRepository chartRef, with spec.releaseName", async () => {
    const res = await build("from-ociref", "-o", "json");
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const list = JSON.parse(res.stdout) as { kind: string; items: Obj[] };
    expect(list.kind).toBe("List");
    const direct = await helmTemplate("demo-ref", path.join(repoDir, "demo-1.1.0.tgz"), "apps", {}, "--include-crds");
    expect(withoutOrigin(list.items)).toEqual(withoutOrigin(direct));
  });

  it("renders a chart folder of the same tree with valuesFrom, targetNamespace, commonMetadata and post-renderers", async () => {
    const res = await build("from-git");
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const objects = docs(res.stdout);
    const deployment = objects.find((o) => o.kind === "Deployment") as Obj & {
      spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
    };
    expect(deployment.metadata).toMatchObject({
      name: "prod-from-git-demo",
      namespace: "prod",
      annotations: { patched: "yes" },
      labels: { team: "blue", "helm.toolkit.fluxcd.io/name": "from-git", "helm.toolkit.fluxcd.io/namespace": "apps" },
    });
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.containers[0]?.image).toBe("ghcr.io/example/demo:patched");
    const configMap = objects.find((o) => o.kind === "ConfigMap") as Obj & { data: Record<string, string> };
    expect(configMap.data.GREETING).toBe("bonjour");
    // targetPath sets the value as helm --set would type it: "12345" becomes a number
    const secret = objects.find((o) => o.kind === "Secret") as Obj & { stringData: Record<string, string> };
    expect(secret.stringData.password).toBe("12345");
    // the same chart and computed values through helm template, before post-rendering
    const direct = await helmTemplate(
      "prod-from-git",
      path.join(fleet, "charts", "demo"),
      "prod",
      { config: { greeting: "bonjour" }, password: 12345, replicaCount: 2 },
      "--include-crds",
    );
    const service = (list: Obj[]) =>
      must(
        withoutOrigin(list).find((o) => o.kind === "Service"),
        "a Service",
      );
    const ours = service(objects);
    const labels = must(ours.metadata?.labels, "the Service's labels");
    delete labels.team;
    expect(ours).toEqual(service(direct));
  });

  it("fails with the missing ConfigMap named, and changes nothing", async () => {
    const res = await build("needs-values");
    expect(res.code).toBe(1);
    expect(res.stdout).toBe("");
    expect(res.stderr).toContain("could not find ConfigMap 'apps/missing-values' in the files");
  });

  it("fails clearly for an unknown HelmRelease, a missing --path and a bad output format", async () => {
    const missing = await build("nope");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("HelmRelease 'apps/nope' not found in the files under");
    const noPath = await runCli(["build", "helmrelease", "from-git"]);
    expect(noPath.code).toBe(1);
    expect(noPath.stderr).toContain("--path is required");
    const badOutput = await build("from-git", "-o", "table");
    expect(badOutput).toMatchObject({ code: 1, stdout: "", stderr: "✗ --output must be json or yaml, not table\n" });
  });

  it("names a chart version no repository entry satisfies", async () => {
    const dir = path.join(tmp, "bad-version");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, "hr.yaml"),
      readFileSync(path.join(fleet, "infra/sources.yaml"), "utf8") +
        `---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: too-new
  namespace: apps
spec:
  chart:
    spec:
      chart: demo
      version: ">=3.0.0"
      sourceRef:
        kind: HelmRepository
        name: demo-http
        namespace: flux-system
`,
    );
    const res = await runCli(["build", "hr", "too-new", "-n", "apps", "--path", dir]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      "no chart version found for chart 'demo' in HelmRepository/flux-system/demo-http matching '>=3.0.0'",
    );
  });
});

describe("helm-controller's release names", () => {
  it("uses [targetNamespace-]name, shortening names past 53 characters with a hash", () => {
    expect(releaseNameOf({ metadata: { name: "app" }, spec: {} })).toBe("app");
    expect(releaseNameOf({ metadata: { name: "app" }, spec: { targetNamespace: "prod" } })).toBe("prod-app");
    expect(releaseNameOf({ metadata: { name: "app" }, spec: { targetNamespace: "prod", releaseName: "x" } })).toBe("x");
    const long = "a-very-long-target-namespace-name-for-testing-purposes-app";
    // sha256 of the name, computed independently (python3 hashlib)
    expect(shortenName(long)).toBe(`${long.slice(0, 40)}-${SHA_OF_LONG.slice(0, 12)}`);
    expect(shortenName(long)).toHaveLength(53);
    expect(shortenName("x".repeat(53))).toBe("x".repeat(53));
  });
});

const SHA_OF_LONG = "c0a1ee6da2551028ba1fd5cdaa14ab7f7564147b08e8e41f3df227dbd01dd968";

describe("finding helm", () => {
  it("names how to install helm when neither the tool cache nor PATH has it", () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), "tsflux-no-helm-"));
    try {
      expect(() => findHelm({ PATH: empty, TSFLUX_TOOLS_CACHE: empty, HOME: empty })).toThrow(HELM_NOT_FOUND);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    expect(HELM_NOT_FOUND).toContain("scripts/setup.sh");
  });
});
