// The main job (`npm run demo`): a real kube-apiserver with the Flux CRDs, driven by
// tsflux as a user or a pipeline would. No Flux controller runs here, so the demo
// plays source-controller and kustomize-controller by writing status, exactly as the
// integration tests do, and tsflux sees what it would see on a real cluster.
import { spawn } from "node:child_process";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import {
  createNamespace,
  fluxRef,
  kubeRequest,
  markReconciled,
  resourcePath,
  setArtifact,
  type ResourceRef,
} from "./helpers.js";
import { startTestEnv } from "./testenv.js";

const root = process.env.TSFLUX_REPO_ROOT ?? process.cwd();
const flux = path.join(root, "bin", "flux.js");

function run(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  process.stderr.write(`\n$ flux ${args.join(" ")}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [flux, ...args], { env, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

async function expectOk(p: Promise<number>, what: string): Promise<void> {
  const code = await p;
  if (code !== 0) throw new Error(`${what} exited ${code}`);
}

async function main(): Promise<void> {
  const env = await startTestEnv();
  const stop = () => void env.stop().then(() => process.exit(130));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  try {
    const kc = new KubeConfig();
    kc.loadFromFile(env.kubeconfigPath);
    const e = { ...process.env, KUBECONFIG: env.kubeconfigPath, NO_COLOR: "1" };
    const ns = "flux-system";
    await kubeNamespace(kc, ns);

    await expectOk(run(["version", "--client"], e), "version");
    await expectOk(run(["check", "--pre"], e), "check --pre");
    const gitArgs = [
      "create",
      "source",
      "git",
      "podinfo",
      "--url=https://github.com/stefanprodan/podinfo",
      "--branch=master",
    ];
    await expectOk(run([...gitArgs, "--export"], e), "create --export");

    // create waits for Ready: meanwhile, play source-controller.
    const created = run([...gitArgs, "--timeout=1m"], e);
    const git = fluxRef("GitRepository", ns, "podinfo");
    await waitForObject(kc, git);
    await setArtifact(kc, git, "master@sha1:696f056df216eea4f9401adbee0ff744d4df390f");
    await markReconciled(kc, git, undefined, { message: "stored artifact for revision 'master@sha1:696f056d'" });
    await expectOk(created, "create source git");

    const ksArgs = ["create", "kustomization", "podinfo", "--source=GitRepository/podinfo", "--path=./kustomize"];
    const ksCreated = run([...ksArgs, "--prune=true", "--interval=10m", "--timeout=1m"], e);
    const ks = fluxRef("Kustomization", ns, "podinfo");
    await waitForObject(kc, ks);
    await markReconciled(kc, ks, undefined, {
      status: { lastAppliedRevision: "master@sha1:696f056df216eea4f9401adbee0ff744d4df390f" },
    });
    await expectOk(ksCreated, "create kustomization");

    await expectOk(run(["get", "all"], e), "get all");
    await expectOk(run(["get", "sources", "git", "-o", "json"], e), "get -o json");
    await expectOk(run(["suspend", "kustomization", "podinfo"], e), "suspend");
    await expectOk(run(["get", "kustomizations"], e), "get kustomizations");
    await expectOk(run(["resume", "kustomization", "podinfo", "--wait=false"], e), "resume");
    await expectOk(run(["export", "source", "git", "--all"], e), "export");
    await expectOk(run(["delete", "kustomization", "podinfo", "--silent"], e), "delete");
    process.stderr.write("\n✔ demo finished\n");
  } finally {
    await env.stop();
  }
}

async function kubeNamespace(kc: KubeConfig, name: string): Promise<void> {
  await createNamespace(kc, name).catch(() => undefined);
}

/** Waits until tsflux has created the object, as a controller's informer would see it. */
async function waitForObject(kc: KubeConfig, ref: ResourceRef): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await kubeRequest(kc, "GET", resourcePath(ref));
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`✗ demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
