// Locates (and on first use builds) the binaries and CRDs of the test
// environment through scripts/testenv-build.sh, the single source of truth for
// versions, cache layout and locking.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export interface TestEnvAssets {
  /** Directory containing kube-apiserver and etcd (KUBEBUILDER_ASSETS layout). */
  binDir: string;
  /** Directory containing the Flux CRD yaml files. */
  crdDir: string;
}

export interface TestEnvVersions {
  kubernetes: string;
  etcd: string;
  flux: string;
  controllerGen: string;
}

const BUILD_SCRIPT = "scripts/testenv-build.sh";

/** The repository root (the directory holding scripts/testenv-build.sh). */
export function repoRoot(): string {
  const candidates = [
    process.env.TSFLUX_REPO_ROOT,
    (() => {
      try {
        return fileURLToPath(new URL("../..", import.meta.url));
      } catch {
        return undefined;
      }
    })(),
    process.cwd(),
  ];
  for (const c of candidates) {
    if (c && existsSync(path.join(c, BUILD_SCRIPT))) return path.resolve(c);
  }
  throw new Error(`cannot find ${BUILD_SCRIPT}; run from the tsflux repository or set TSFLUX_REPO_ROOT`);
}

/** Versions pinned in scripts/testenv-versions.sh. */
export function testEnvVersions(): TestEnvVersions {
  const text = readFileSync(path.join(repoRoot(), "scripts/testenv-versions.sh"), "utf8");
  const get = (key: string): string => {
    const value = new RegExp(`^${key}=(\\S+)`, "m").exec(text)?.[1];
    if (value === undefined) throw new Error(`${key} missing in scripts/testenv-versions.sh`);
    return value;
  };
  return {
    kubernetes: get("TESTENV_K8S_VERSION"),
    etcd: get("TESTENV_ETCD_VERSION"),
    flux: get("TESTENV_FLUX_VERSION"),
    controllerGen: get("TESTENV_CONTROLLER_GEN_VERSION"),
  };
}

function isExecutable(p: string): boolean {
  try {
    return statSync(p).isFile() && (statSync(p).mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

let pending: Promise<TestEnvAssets> | undefined;

/**
 * Resolves the assets. Honours KUBEBUILDER_ASSETS and TSFLUX_FLUX_CRDS; anything
 * not provided is built/downloaded (once, cached, locked) by scripts/testenv-build.sh.
 */
export function resolveAssets(log: (msg: string) => void = () => {}): Promise<TestEnvAssets> {
  pending ??= doResolve(log).catch((err: unknown) => {
    pending = undefined;
    throw err;
  });
  return pending;
}

async function doResolve(log: (msg: string) => void): Promise<TestEnvAssets> {
  const bin = process.env.KUBEBUILDER_ASSETS;
  const crds = process.env.TSFLUX_FLUX_CRDS;
  if (bin && crds) {
    for (const b of ["kube-apiserver", "etcd"]) {
      if (!isExecutable(path.join(bin, b))) {
        throw new Error(`KUBEBUILDER_ASSETS=${bin} does not contain an executable ${b}`);
      }
    }
    return { binDir: bin, crdDir: crds };
  }
  const kv = await runBuildScript(["--env"], log);
  const binDir = kv.KUBEBUILDER_ASSETS;
  const crdDir = kv.TSFLUX_FLUX_CRDS;
  if (!binDir || !crdDir) throw new Error(`unexpected output from ${BUILD_SCRIPT} --env: ${JSON.stringify(kv)}`);
  return { binDir, crdDir };
}

/** The binaries of the controllers mode (scripts/testenv-build.sh --controllers). */
export interface ControllerAssets {
  kubeControllerManager: string;
  kubeScheduler: string;
  kwok: string;
  /** Directory of kwok's stage files (node-initialize, pod-ready, ...). */
  kwokStages: string;
  sourceController: string;
  kustomizeController: string;
  helmController: string;
  notificationController: string;
  /** The notification-controller version that was built (the pinned one or the newest served patch). */
  notificationControllerVersion: string;
}

let pendingControllers: Promise<ControllerAssets> | undefined;

/**
 * Resolves (building once, cached and locked) the controllers mode's binaries.
 * TSFLUX_CONTROLLERS_BIN points at prebuilt ones. A failed build rejects with the
 * build's exact error: the e2e suite fails, it is never skipped.
 */
export function resolveControllerAssets(log: (msg: string) => void = () => {}): Promise<ControllerAssets> {
  pendingControllers ??= runBuildScript(["--controllers"], log).then(
    (kv) => {
      const get = (key: string): string => {
        const v = kv[key];
        if (!v) throw new Error(`${BUILD_SCRIPT} --controllers printed no ${key}`);
        return v;
      };
      return {
        kubeControllerManager: get("TSFLUX_KUBE_CONTROLLER_MANAGER"),
        kubeScheduler: get("TSFLUX_KUBE_SCHEDULER"),
        kwok: get("TSFLUX_KWOK"),
        kwokStages: get("TSFLUX_KWOK_STAGES"),
        sourceController: get("TSFLUX_SOURCE_CONTROLLER"),
        kustomizeController: get("TSFLUX_KUSTOMIZE_CONTROLLER"),
        helmController: get("TSFLUX_HELM_CONTROLLER"),
        notificationController: get("TSFLUX_NOTIFICATION_CONTROLLER"),
        notificationControllerVersion: get("TSFLUX_NOTIFICATION_CONTROLLER_VERSION"),
      };
    },
    (err: unknown) => {
      pendingControllers = undefined;
      throw err;
    },
  );
  return pendingControllers;
}

/** Runs scripts/testenv-build.sh with args and returns its KEY=value stdout lines. */
async function runBuildScript(args: string[], log: (msg: string) => void): Promise<Record<string, string>> {
  const script = path.join(repoRoot(), BUILD_SCRIPT);
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn("bash", [script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      for (const line of d.toString().split("\n")) if (line.trim()) log(line);
    });
    child.on("error", (err) => reject(new Error(`cannot run ${script}: ${err.message}`)));
    child.on("close", (code) => {
      if (code === 0) resolve(stdout);
      else {
        const lastErr = stderr
          .split("\n")
          .filter((l) => l.includes("ERROR"))
          .join("\n");
        reject(new Error(`${BUILD_SCRIPT} ${args.join(" ")} failed (exit ${code})\n${lastErr || stderr.slice(-4000)}`));
      }
    });
  });
  return Object.fromEntries(
    out
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}
