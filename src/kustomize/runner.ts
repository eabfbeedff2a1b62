// Runs the real kustomize: a `kustomize` binary, or `kubectl kustomize`, found on
// PATH. The build never writes into the user's directory: the directory is
// mirrored into a temporary tree (real directories along its path, symlinks for
// everything else, so `../base` still resolves) where the kustomization.yaml
// Flux would build with is written. Temporary trees are removed on every path,
// including process exit.
import { execFile } from "node:child_process";
import {
  accessSync,
  constants,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmdirSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { CliError } from "../errors.js";

export interface KustomizeCommand {
  /** Executable path. */
  file: string;
  /** Arguments placed before the directory. */
  args: string[];
  /** Human name for messages: "kustomize" or "kubectl kustomize". */
  label: string;
}

export const KUSTOMIZE_NOT_FOUND =
  "kustomize not found: install kustomize (https://kubectl.docs.kubernetes.io/installation/kustomize/) or kubectl (it embeds `kubectl kustomize`) and make sure one of them is on PATH";

/** The first executable `name` (not a directory) in the directories of `envPath`. */
export function findOnPath(name: string, envPath: string | undefined): string | undefined {
  for (const dir of (envPath ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (!lstatSync(candidate).isDirectory()) return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/** Finds `kustomize`, else `kubectl`, on PATH. */
export function findKustomize(env: NodeJS.ProcessEnv = process.env): KustomizeCommand {
  const kustomize = findOnPath("kustomize", env.PATH);
  if (kustomize)
    return { file: kustomize, args: ["build", "--load-restrictor", "LoadRestrictionsNone"], label: "kustomize" };
  const kubectl = findOnPath("kubectl", env.PATH);
  if (kubectl)
    return {
      file: kubectl,
      args: ["kustomize", "--load-restrictor", "LoadRestrictionsNone"],
      label: "kubectl kustomize",
    };
  throw new CliError(KUSTOMIZE_NOT_FOUND);
}

// ----------------------------------------------------------------- temp trees

const liveTempDirs = new Set<string>();
let exitHookInstalled = false;

/** Removes a tree without ever following symlinks. */
export function removeTree(dir: string): void {
  let st;
  try {
    st = lstatSync(dir);
  } catch {
    return;
  }
  if (!st.isDirectory()) {
    unlinkSync(dir);
    return;
  }
  for (const name of readdirSync(dir)) removeTree(path.join(dir, name));
  rmdirSync(dir);
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const dir of liveTempDirs) {
      try {
        removeTree(dir);
      } catch {
        /* best effort at exit */
      }
    }
  });
}

export function createTempDir(prefix = "tsflux-"): string {
  installExitHook();
  const dir = mkdtempSync(path.join(realpathSync(os.tmpdir()), prefix));
  liveTempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  removeTree(dir);
  liveTempDirs.delete(dir);
}

/** Temp dirs still alive (for tests). */
export function liveTempDirCount(): number {
  return liveTempDirs.size;
}

/**
 * Mirrors `target` (absolute, real path) under `root`: every ancestor and the
 * target itself become real directories, all their other entries symlinks to
 * the originals. Entries of the target named in `skip` are not linked.
 * Returns the mirrored target path.
 */
export function mirrorDirectory(root: string, target: string, skip: string[] = []): string {
  const parts = target.split(path.sep).filter(Boolean);
  let original: string = path.sep;
  let mirror = root;
  const rootReal = realpathSync(root);
  for (let i = 0; i <= parts.length; i++) {
    const next = parts[i];
    let entries: string[];
    try {
      entries = readdirSync(original);
    } catch {
      entries = [];
    }
    for (const name of entries) {
      if (name === next) continue;
      if (i === parts.length && skip.includes(name)) continue;
      const src = path.join(original, name);
      if (src === rootReal || rootReal.startsWith(src + path.sep)) continue; // our own temp tree
      try {
        symlinkSync(src, path.join(mirror, name));
      } catch {
        /* unreadable entries are skipped */
      }
    }
    if (next === undefined) break;
    original = path.join(original, next);
    mirror = path.join(mirror, next);
    mkdirSync(mirror);
  }
  return mirror;
}

/**
 * The error kustomize reported, without klog framing (`E1124 ... "command
 * failed" err="..."`) or the `Error: ` prefix of the kustomize CLI.
 */
export function kustomizeMessage(stderr: string): string {
  const text = stderr.trim();
  const klog = /"command failed" err="((?:[^"\\]|\\.)*)"/s.exec(text);
  if (klog) {
    try {
      return JSON.parse(`"${klog[1]}"`) as string;
    } catch {
      return klog[1]!;
    }
  }
  return text.replace(/^Error: /i, "").replace(/^error: /, "");
}

export interface RunKustomizeOptions {
  command?: KustomizeCommand | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Builds `dir` (the user's directory) with `kustomization` (file name and YAML
 * text) in place of its own kustomization file. Returns kustomize's stdout.
 * With `standalone`, the kustomization (text rendered for the directory it is
 * built in) only references the user's files by path and is built in an empty
 * temporary directory (no mirror needed).
 */
export async function runKustomize(
  dir: string,
  kustomization: { name: string; text: string | ((buildDir: string) => string); standalone?: boolean },
  opts: RunKustomizeOptions = {},
): Promise<string> {
  const cmd = opts.command ?? findKustomize(opts.env);
  const real = realpathSync(dir);
  const tmp = createTempDir("tsflux-build-");
  try {
    const mirrored = kustomization.standalone
      ? tmp
      : mirrorDirectory(tmp, real, [
          ...new Set(["kustomization.yaml", "kustomization.yml", "Kustomization", kustomization.name]),
        ]);
    const text = typeof kustomization.text === "function" ? kustomization.text(mirrored) : kustomization.text;
    writeFileSync(path.join(mirrored, kustomization.name), text, { mode: 0o600 });
    return await new Promise<string>((resolve, reject) => {
      execFile(
        cmd.file,
        [...cmd.args, mirrored],
        {
          maxBuffer: 1024 * 1024 * 1024,
          timeout: opts.timeoutMs,
          signal: opts.signal,
          env: opts.env ?? process.env,
          encoding: "utf8",
        },
        (err, stdout, stderr) => {
          if (!err) return resolve(stdout);
          const text = kustomizeMessage((stderr || err.message).split(tmp).join(""));
          if ((err as NodeJS.ErrnoException).code === "ENOENT") return reject(new CliError(KUSTOMIZE_NOT_FOUND));
          if (err.killed && !opts.signal?.aborted)
            return reject(new CliError(`kustomize build failed: timed out after ${opts.timeoutMs}ms`));
          reject(new CliError(`kustomize build failed: ${text}`));
        },
      );
    });
  } finally {
    removeTempDir(tmp);
  }
}
