// A small fleet repository, as `flux bootstrap` lays one out, in two commits:
//   clusters/prod: the flux-system sync, an infra and an apps Kustomization
//   infra/: a HelmRepository (the local chart index) and the cluster's variables
//   apps/: a plain app (substituted from the Kustomization and the variables) and
//          two HelmReleases (a chart from the index, a chart folder of the tree)
// The second commit changes the apps Kustomization's substitutions, a
// HelmRelease's values and the other's chart version, a Secret's value, and adds
// and removes an object.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEMO_CHART } from "./helm-charts.js";

export interface FleetVariant {
  cluster: string;
  replicas: number;
  chartVersion: string;
  password: string;
  /** Objects only one commit has. */
  extra: "old" | "new";
}

export const FIRST: FleetVariant = {
  cluster: "prod",
  replicas: 1,
  chartVersion: "1.0.0",
  password: "hunter2",
  extra: "old",
};
export const SECOND: FleetVariant = {
  cluster: "production",
  replicas: 3,
  chartVersion: "1.1.0",
  password: "correct-horse",
  extra: "new",
};

function write(root: string, rel: string, text: string): void {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

export function writeFleet(root: string, chartRepoUrl: string, v: FleetVariant): void {
  write(
    root,
    "clusters/prod/flux-system/gotk-sync.yaml",
    `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m0s
  ref:
    branch: main
  url: https://git.example.com/fleet.git
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m0s
  path: ./clusters/prod
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`,
  );
  write(
    root,
    "clusters/prod/infra.yaml",
    `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: infra
  namespace: flux-system
spec:
  interval: 10m
  path: ./infra
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`,
  );
  write(
    root,
    "clusters/prod/apps.yaml",
    `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/prod
  prune: true
  targetNamespace: apps
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substitute:
      cluster: ${v.cluster}
    substituteFrom:
      - kind: ConfigMap
        name: cluster-vars
`,
  );
  write(
    root,
    "infra/sources.yaml",
    `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: demo
  namespace: flux-system
spec:
  interval: 1h
  url: ${chartRepoUrl}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-vars
  namespace: flux-system
data:
  region: eu-west-1
---
apiVersion: v1
kind: Namespace
metadata:
  name: apps
`,
  );
  write(
    root,
    "apps/prod/kustomization.yaml",
    `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../base/web
  - ../base/releases.yaml
  - ${v.extra}.yaml
`,
  );
  write(
    root,
    `apps/prod/${v.extra}.yaml`,
    `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${v.extra}-settings
data:
  mode: ${v.extra}
`,
  );
  write(
    root,
    "apps/base/web/kustomization.yaml",
    `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - web.yaml
`,
  );
  write(
    root,
    "apps/base/web/web.yaml",
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    cluster: \${cluster}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          env:
            - name: CLUSTER
              value: \${cluster}
            - name: REGION
              value: \${region}
---
apiVersion: v1
kind: Secret
metadata:
  name: web-credentials
stringData:
  password: ${v.password}
  user: web
`,
  );
  write(
    root,
    "apps/base/releases.yaml",
    `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
spec:
  interval: 10m
  chart:
    spec:
      chart: demo
      version: "${v.chartVersion}"
      sourceRef:
        kind: HelmRepository
        name: demo
        namespace: flux-system
  install:
    crds: Skip
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: local
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/demo
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
  install:
    crds: Skip
  values:
    replicaCount: ${v.replicas}
    config:
      greeting: hello from \${cluster}
`,
  );
  rmSync(path.join(root, "charts"), { recursive: true, force: true });
  cpSync(DEMO_CHART, path.join(root, "charts", "demo"), { recursive: true });
}

function git(root: string, ...args: string[]): void {
  execFileSync("git", args, {
    cwd: root,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "tsflux",
      GIT_AUTHOR_EMAIL: "tsflux@example.com",
      GIT_COMMITTER_NAME: "tsflux",
      GIT_COMMITTER_EMAIL: "tsflux@example.com",
    },
    stdio: "ignore",
  });
}

/** A git repository at `root` with the fleet committed twice (FIRST, then SECOND). */
export function fleetRepository(root: string, chartRepoUrl: string): void {
  mkdirSync(root, { recursive: true });
  git(root, "init", "-q", "-b", "main");
  writeFleet(root, chartRepoUrl, FIRST);
  git(root, "add", "-A");
  git(root, "commit", "-q", "-m", "first");
  rmSync(path.join(root, `apps/prod/${FIRST.extra}.yaml`));
  writeFleet(root, chartRepoUrl, SECOND);
  git(root, "add", "-A");
  git(root, "commit", "-q", "-m", "second");
}
