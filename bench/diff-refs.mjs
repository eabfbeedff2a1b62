#!/usr/bin/env node
// Wall time of `flux diff refs` on a generated fleet repository: 100 Kustomizations
// (plus flux-system) and 20 HelmReleases (a chart folder of the tree, rendered by the
// real helm), two commits changing 10 apps and 5 releases' values. Uses the built
// CLI (npm run build) and the helm of the tool cache (scripts/go-tool-build.sh).
//   node bench/diff-refs.mjs [--runs N] [--apps 100] [--releases 20]
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const RUNS = arg("runs", 3);
const APPS = arg("apps", 100);
const RELEASES = arg("releases", 20);

function write(root, rel, text) {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function generate(root, round) {
  write(
    root,
    "clusters/bench/flux-system/gotk-sync.yaml",
    `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 1m, url: https://git.example.com/fleet.git, ref: {branch: main}}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 10m, path: ./clusters/bench, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}
`,
  );
  let ks = "";
  for (let i = 0; i < APPS; i++) {
    const name = `app-${String(i).padStart(3, "0")}`;
    ks += `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ${name}, namespace: flux-system}
spec:
  interval: 10m
  path: ./apps/${name}
  prune: true
  targetNamespace: ${name}
  sourceRef: {kind: GitRepository, name: flux-system}
  postBuild:
    substitute: {app: ${name}, tier: ${i % 3 === 0 ? "gold" : "silver"}}
`;
    const changed = round === 1 && i % 10 === 0;
    write(
      root,
      `apps/${name}/app.yaml`,
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: "\${app}", tier: "\${tier}"}}
spec:
  replicas: ${changed ? 3 : 2}
  selector: {matchLabels: {app: "\${app}"}}
  template:
    metadata: {labels: {app: "\${app}"}}
    spec:
      containers:
        - name: web
          image: nginx:1.${changed ? 27 : 26}
          ports: [{containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: "\${app}"}, ports: [{port: 80}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config}
data:
  app.conf: |
${Array.from({ length: 40 }, (_, l) => `    key${l} = ${changed && l === 7 ? "changed" : "value"}`).join("\n")}
`,
    );
    if (i < RELEASES) {
      const valuesChanged = round === 1 && i % 4 === 0;
      write(
        root,
        `apps/${name}/release.yaml`,
        `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: ${name}-demo}
spec:
  interval: 10m
  install: {crds: Skip}
  chart:
    spec:
      chart: ./charts/demo
      sourceRef: {kind: GitRepository, name: flux-system, namespace: flux-system}
  values:
    replicaCount: ${valuesChanged ? 4 : 1}
    config: {greeting: "hello from \${app}"}
`,
      );
    }
  }
  write(root, "clusters/bench/apps.yaml", ks);
}

function git(root, ...args) {
  execFileSync("git", args, {
    cwd: root,
    stdio: "ignore",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "b",
      GIT_AUTHOR_EMAIL: "b@x",
      GIT_COMMITTER_NAME: "b",
      GIT_COMMITTER_EMAIL: "b@x",
    },
  });
}

const tmp = mkdtempSync(path.join(os.tmpdir(), "tsflux-bench-refs-"));
try {
  const root = path.join(tmp, "fleet");
  mkdirSync(root);
  git(root, "init", "-q", "-b", "main");
  cpSync(path.join(repoRoot, "test/fixtures/helm/demo"), path.join(root, "charts/demo"), { recursive: true });
  generate(root, 0);
  git(root, "add", "-A");
  git(root, "commit", "-q", "-m", "base");
  generate(root, 1);
  git(root, "add", "-A");
  git(root, "commit", "-q", "-m", "head");

  const times = [];
  let code;
  let summary;
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    const res = spawnSync(
      process.execPath,
      [
        path.join(repoRoot, "bin/flux.js"),
        "diff",
        "refs",
        "--base",
        "HEAD~1",
        "--head",
        "HEAD",
        "--path",
        "clusters/bench",
        "-o",
        "json",
      ],
      { cwd: root, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
    );
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    code = res.status;
    if (code !== 1) {
      process.stderr.write(res.stdout.slice(0, 3000) + res.stderr);
      throw new Error(`diff refs exited ${code}, expected 1 (changes)`);
    }
    summary = JSON.parse(res.stdout).summary;
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(
    `diff refs: ${APPS + 1} Kustomizations + ${RELEASES} HelmReleases, two refs, ${os.availableParallelism?.() ?? os.cpus().length} CPUs: ` +
      `median ${(median / 1000).toFixed(2)} s over ${RUNS} runs (min ${(times[0] / 1000).toFixed(2)} s, max ${(times[times.length - 1] / 1000).toFixed(2)} s); ` +
      `units ${JSON.stringify(summary)}`,
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
