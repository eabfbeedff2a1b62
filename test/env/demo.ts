// The main job (`npm run demo`): tsflux driving the real Flux controllers, as a user
// or a pipeline would. A local git server (git http-backend, Basic auth) holds a small
// fleet repository with an app; `flux bootstrap git` installs Flux from the real
// install bundle into a control plane in the controllers mode (kube-apiserver,
// kube-controller-manager, kube-scheduler, a kwok Node, and source-, kustomize-,
// helm- and notification-controller as host processes); the app is deployed; a
// change is pushed and reconciled with its source; then get all, tree, events and
// diff. The demo writes no status: everything it shows, the controllers did.
import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { startGitServer, type GitServer } from "./git-server.js";
import { startTestEnv, type TestEnv } from "./testenv.js";

const root = process.env.TSFLUX_REPO_ROOT ?? process.cwd();
const flux = path.join(root, "bin", "flux.js");
const TOKEN = "demo-t0ken";
const REPO = "acme/fleet";

function run(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  process.stderr.write(`\n$ flux ${args.join(" ")}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [flux, ...args], { env, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

async function expectCode(p: Promise<number>, what: string, want = 0): Promise<void> {
  const code = await p;
  if (code !== want) throw new Error(`${what} exited ${code}, expected ${want}`);
}

function appFiles(message: string, replicas: number): Record<string, string> {
  return {
    "apps/podinfo/deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: podinfo
  namespace: podinfo
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: podinfo
  template:
    metadata:
      labels:
        app: podinfo
    spec:
      containers:
        - name: podinfo
          image: ghcr.io/stefanprodan/podinfo:6.9.0
          ports:
            - containerPort: 9898
`,
    "apps/podinfo/service.yaml": `apiVersion: v1
kind: Service
metadata:
  name: podinfo
  namespace: podinfo
spec:
  selector:
    app: podinfo
  ports:
    - port: 80
      targetPort: 9898
`,
    "apps/podinfo/config.yaml": `apiVersion: v1
kind: Namespace
metadata:
  name: podinfo
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: podinfo-config
  namespace: podinfo
data:
  message: ${JSON.stringify(message)}
`,
  };
}

const appsKustomization = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/podinfo
  prune: true
  wait: true
  timeout: 2m
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

async function installBundle(): Promise<string> {
  const { stdout } = await promisify(execFile)("bash", [path.join(root, "scripts/install-bundle-build.sh")], {
    cwd: root,
    maxBuffer: 16 << 20,
  });
  // The script prints the bundle's directory on its last line.
  const out = stdout.trim();
  return out.slice(out.lastIndexOf("\n") + 1);
}

async function main(): Promise<void> {
  let env: TestEnv | undefined;
  let git: GitServer | undefined;
  const work = mkdtempSync(path.join(os.tmpdir(), "tsflux-demo-"));
  const cleanup = async () => {
    await git?.stop();
    await env?.stop();
    rmSync(work, { recursive: true, force: true });
  };
  const interrupted = () => void cleanup().then(() => process.exit(130));
  process.on("SIGINT", interrupted);
  process.on("SIGTERM", interrupted);
  try {
    process.stderr.write("► starting a control plane with the real Flux controllers (controllers mode)\n");
    const [started, bundle] = await Promise.all([startTestEnv({ controllers: true }), installBundle()]);
    env = started;
    const controllers = started.controllers;
    if (!controllers) throw new Error("the test environment started without the Flux controllers");
    git = await startGitServer({ username: "git", password: TOKEN });
    await git.createRepo(REPO, {
      branch: "main",
      files: { ...appFiles("hello from v1", 2), "clusters/demo/apps.yaml": appsKustomization },
      message: "Add podinfo",
    });
    process.stderr.write(`► git server ${git.url(REPO)} (Basic auth); controllers' logs in ${controllers.logDir}\n`);
    const e = { ...process.env, KUBECONFIG: env.kubeconfigPath, NO_COLOR: "1" };

    await expectCode(run(["version", "--client"], e), "version");
    await expectCode(run(["check", "--pre"], e), "check --pre");
    await expectCode(
      run(
        [
          "bootstrap",
          "git",
          `--url=${git.url(REPO)}`,
          "--allow-insecure-http",
          "--token-auth",
          "--username=git",
          `--password=${TOKEN}`,
          "--path=clusters/demo",
          `--manifests=${bundle}`,
          "--timeout=3m",
        ],
        e,
      ),
      "bootstrap git",
    );
    // The app's Kustomization came from the repository: wait for kustomize-controller.
    await expectCode(run(["reconcile", "kustomization", "apps", "--timeout=2m"], e), "reconcile apps");
    await expectCode(run(["get", "kustomizations"], e), "get kustomizations");

    process.stderr.write(`\n► someone pushes a change to ${REPO}: 3 replicas and a new message\n`);
    const sha = git.commitFiles(REPO, "main", appFiles("hello from v2", 3), "podinfo: 3 replicas, v2");
    process.stderr.write(`  pushed ${sha}\n`);
    await expectCode(run(["reconcile", "kustomization", "apps", "--with-source", "--timeout=2m"], e), "reconcile");

    await expectCode(run(["get", "all", "-A"], e), "get all");
    await expectCode(run(["tree", "kustomization", "apps"], e), "tree");
    await expectCode(
      run(["trace", "podinfo", "--kind=Deployment", "--api-version=apps/v1", "-n", "podinfo"], e),
      "trace",
    );
    await expectCode(run(["events", "--for", "Kustomization/apps"], e), "events");

    // A local edit, diffed against what kustomize-controller applied: exit 1 means drift.
    const checkout = path.join(work, "fleet");
    for (const [f, text] of Object.entries(appFiles("hello from a local edit", 3))) {
      mkdirSync(path.dirname(path.join(checkout, f)), { recursive: true });
      writeFileSync(path.join(checkout, f), text);
    }
    await expectCode(
      run(["diff", "kustomization", "apps", `--path=${path.join(checkout, "apps/podinfo")}`], e),
      "diff kustomization",
      1,
    );
    process.stderr.write("\n✔ demo finished: bootstrap, deploy, push, reconcile, get, tree, trace, events and diff\n");
  } finally {
    await cleanup();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`✗ demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
