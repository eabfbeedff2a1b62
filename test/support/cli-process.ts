// The built CLI (bin/flux.js, dist/) as a child process, for tests that must do to it
// what a user's machine can: SIGKILL it half-way, run two at once. (test/helpers/cli.ts
// runs the CLI in-process, which cannot be killed.)
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface CliProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliProcess {
  child: ChildProcess;
  /** Output so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves when the process has exited. */
  done: Promise<CliProcessResult>;
  /** SIGKILL, then waits for the exit. */
  kill(): Promise<CliProcessResult>;
}

/** Starts `flux <args>` from the built CLI. `env` is added to the test process's environment. */
export function startCli(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): CliProcess {
  const child = spawn(process.execPath, [path.join(ROOT, "bin/flux.js"), ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: "1", ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliProcessResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    done,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      return done;
    },
  };
}

/** Runs `flux <args>` to the end. */
export function runCliProcess(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  return startCli(args, opts).done;
}

/** Resolves once `cond` holds; rejects after timeoutMs, or when `proc` exits first. */
export async function until(cond: () => boolean, what: string, proc?: CliProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (proc && (proc.child.exitCode !== null || proc.child.signalCode !== null))
      throw new Error(`the CLI exited before ${what}:\n${proc.stderr}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${proc ? `:\n${proc.stderr}` : ""}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A directory for the front of PATH with an `ssh-keyscan` that prints `hostKey` for
 * whatever host it is asked about: bootstrap collects the SSH host key of the git host,
 * which the contract servers do not serve (they speak HTTP only).
 */
export function fakeSshKeyscan(dir: string, hostKey: string): string {
  mkdirSync(dir, { recursive: true });
  const script = path.join(dir, "ssh-keyscan");
  // ssh-keyscan [-T s] [-p port] [-t types] host: prints "[host]:port type key" (or "host type key" on 22).
  writeFileSync(
    script,
    `#!/bin/sh
port=22
while [ $# -gt 1 ]; do
  case "$1" in
    -p) port="$2"; shift 2 ;;
    -T|-t) shift 2 ;;
    *) shift ;;
  esac
done
if [ "$port" = 22 ]; then echo "$1 ${hostKey}"; else echo "[$1]:$port ${hostKey}"; fi
`,
  );
  chmodSync(script, 0o755);
  return dir;
}
