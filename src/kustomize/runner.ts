// Runs the real kustomize: $TSFLUX_KUSTOMIZE, else the kustomize flux v2.9.5 builds with
// (v5.8.1, whose API is sigs.k8s.io/kustomize/api v0.21.1) from the tool cache
// scripts/setup.sh builds into, else a `kustomize` binary or `kubectl kustomize` on
// PATH, whose version is named in a one-line warning and in build errors. The build never writes into the user's directory: the directory is
// mirrored into a temporary tree (real directories along its path, symlinks for
// everything else, so `../base` still resolves) where the kustomization.yaml
// Flux would build with is written. Temporary trees are removed on every path,
// including process exit.
import { execFile, execFileSync } from "node:child_process";
import {
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
import { findOnPath, isExecutable, toolsCache } from "../util/tools.js";

export { findOnPath };

/** The kustomize flux v2.9.5 is built with: sigs.k8s.io/kustomize/api v0.21.1 is kustomize v5.8.1. */
export const KUSTOMIZE_VERSION = "5.8.1";

export interface KustomizeCommand {
  /** Executable path. */
  file: string;
  /** Arguments placed before the directory. */
  args: string[];
  /** Human name for messages: "kustomize" or "kubectl kustomize". */
  label: string;
  /** The version, when known without asking the binary ("v5.8.1" for the tool cache's). */
  version?: string;
}

export const KUSTOMIZE_NOT_FOUND =
  `kustomize not found: install kustomize v${KUSTOMIZE_VERSION}, the version flux v2.9.5 builds with ` +
  "(https://kubectl.docs.kubernetes.io/installation/kustomize/; scripts/setup.sh builds it into the tool cache), " +
  "or kubectl (it embeds `kubectl kustomize`) and make sure one of them is on PATH, or set TSFLUX_KUSTOMIZE to a kustomize binary";

const BUILD_ARGS = ["--load-restrictor", "LoadRestrictionsNone"];

/** The tool cache's kustomize (scripts/go-tool-build.sh). */
export function cachedKustomizePath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(toolsCache(env), `kustomize-v${KUSTOMIZE_VERSION}`, "kustomize");
}

/** $TSFLUX_KUSTOMIZE, the tool cache's kustomize v5.8.1, `kustomize` on PATH, else `kubectl kustomize`. */
export function findKustomize(env: NodeJS.ProcessEnv = process.env): KustomizeCommand {
  if (env.TSFLUX_KUSTOMIZE) return { file: env.TSFLUX_KUSTOMIZE, args: ["build", ...BUILD_ARGS], label: "kustomize" };
  const cached = cachedKustomizePath(env);
  if (isExecutable(cached))
    return { file: cached, args: ["build", ...BUILD_ARGS], label: "kustomize", version: `v${KUSTOMIZE_VERSION}` };
  const kustomize = findOnPath("kustomize", env.PATH);
  if (kustomize) return { file: kustomize, args: ["build", ...BUILD_ARGS], label: "kustomize" };
  const kubectl = findOnPath("kubectl", env.PATH);
  if (kubectl) return { file: kubectl, args: ["kustomize", ...BUILD_ARGS], label: "kubectl kustomize" };
  throw new CliError(KUSTOMIZE_NOT_FOUND);
}

const versions = new Map<string, string>();

/**
 * The kustomize version a command runs ("v5.5.0"), asked once per binary: `kustomize
 * version`, or kubectl's "Kustomize Version" line. "unknown" when it does not say.
 */
export function kustomizeVersion(cmd: KustomizeCommand): string {
  if (cmd.version) return cmd.version;
  const known = versions.get(cmd.file);
  if (known) return known;
  let version = "unknown";
  try {
    const kubectl = cmd.args[0] === "kustomize";
    const out = execFileSync(cmd.file, kubectl ? ["version", "--client"] : ["version"], {
      encoding: "utf8",
      timeout: 10_000,
      stdio: ["ignore", "pipe", "ignore"],
    });
    const m = kubectl ? /Kustomize Version:\s*(\S+)/.exec(out) : /(v?\d+\.\d+\.\d+\S*)/.exec(out);
    const found = m?.[1];
    if (found !== undefined) version = found.startsWith("v") ? found : `v${found}`;
  } catch {
    /* unknown */
  }
  versions.set(cmd.file, version);
  return version;
}

/** "kustomize v5.5.0 (kubectl kustomize, /usr/bin/kubectl)": which kustomize ran, for messages. */
export function describeKustomize(cmd: KustomizeCommand): string {
  return `kustomize ${kustomizeVersion(cmd)} (${cmd.label}, ${cmd.file})`;
}

/** True when the command runs the kustomize version flux v2.9.5 builds with. */
export function isUpstreamKustomize(cmd: KustomizeCommand): boolean {
  return kustomizeVersion(cmd) === `v${KUSTOMIZE_VERSION}`;
}

const warned = new Set<string>();

/** The one-line warning for a kustomize other than v5.8.1, once per binary and process. */
export function kustomizeVersionWarning(cmd: KustomizeCommand): string | undefined {
  if (isUpstreamKustomize(cmd) || warned.has(cmd.file)) return undefined;
  warned.add(cmd.file);
  return `${describeKustomize(cmd)} is not v${KUSTOMIZE_VERSION}, the version flux v2.9.5 builds with: its output may differ (scripts/setup.sh builds v${KUSTOMIZE_VERSION} into the tool cache, or set TSFLUX_KUSTOMIZE)`;
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
 * How many directories above its own the text of a kustomization can reach: the
 * deepest climb of any `..` path in it (any string, so patches and names count too;
 * more is only slower). kustomize resolves what it reaches through a symlink from the
 * symlink's real target, so only the kustomization built in the mirror needs these.
 */
export function climbDepth(text: string): number {
  let max = 0;
  for (const token of text.split(/[\s"'`,;=[\]{}()]+/)) {
    if (!token.includes("..")) continue;
    let depth = 0;
    for (const seg of token.split(/[/\\]/)) {
      if (seg === "..") max = Math.max(max, -(--depth));
      else if (seg !== "." && seg !== "") depth++;
    }
  }
  return max;
}

/**
 * Mirrors `target` (absolute, real path) under `root`: every ancestor and the
 * target itself become real directories; the target's other entries, and those
 * of its `depth` nearest ancestors (what `../` paths reach), symlinks to the
 * originals. Entries of the target named in `skip` are not linked.
 * Returns the mirrored target path.
 */
export function mirrorDirectory(root: string, target: string, skip: string[] = [], depth = Infinity): string {
  const parts = target.split(path.sep).filter(Boolean);
  let original: string = path.sep;
  let mirror = root;
  const rootReal = realpathSync(root);
  for (let i = 0; i <= parts.length; i++) {
    const next = parts[i];
    let entries: string[] = [];
    try {
      if (parts.length - i <= depth) entries = readdirSync(original);
    } catch {
      /* unreadable: nothing to link */
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
  const quoted = /"command failed" err="((?:[^"\\]|\\.)*)"/s.exec(text)?.[1];
  if (quoted !== undefined) {
    try {
      return JSON.parse(`"${quoted}"`) as string;
    } catch {
      return quoted;
    }
  }
  return text.replace(/^Error: /i, "").replace(/^error: /, "");
}

export interface RunKustomizeOptions {
  command?: KustomizeCommand | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Told once when the kustomize is not the version flux v2.9.5 builds with. */
  warn?: ((line: string) => void) | undefined;
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
  if (opts.warn) {
    const warning = kustomizeVersionWarning(cmd);
    if (warning) opts.warn(warning);
  }
  const real = realpathSync(dir);
  const tmp = createTempDir("tsflux-build-");
  try {
    const fixedText = typeof kustomization.text === "string" ? kustomization.text : undefined;
    const mirrored = kustomization.standalone
      ? tmp
      : mirrorDirectory(
          tmp,
          real,
          [...new Set(["kustomization.yaml", "kustomization.yml", "Kustomization", kustomization.name])],
          fixedText === undefined ? Infinity : climbDepth(fixedText),
        );
    const text = fixedText ?? (kustomization.text as (buildDir: string) => string)(mirrored);
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
          if (!err) {
            resolve(stdout);
            return;
          }
          const text = kustomizeMessage((stderr || err.message).split(tmp).join(""));
          if ((err as NodeJS.ErrnoException).code === "ENOENT") {
            reject(new CliError(KUSTOMIZE_NOT_FOUND));
            return;
          }
          if (err.killed && !opts.signal?.aborted) {
            reject(new CliError(`kustomize build failed: timed out after ${opts.timeoutMs}ms`));
            return;
          }
          // name the kustomize when it is not upstream's: its version may be why the build differs
          const which = isUpstreamKustomize(cmd) ? "" : ` (${describeKustomize(cmd)})`;
          reject(new CliError(`kustomize build failed: ${text}${which}`));
        },
      );
    });
  } finally {
    removeTempDir(tmp);
  }
}
