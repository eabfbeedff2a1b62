// `flux <name>` for an installed plugin. Upstream flux v2.9.5 replaces itself with the
// plugin (syscall.Exec): same stdio, environment and exit status. Node cannot exec, so
// the plugin runs as a child with the process's descriptors, signals sent to flux are
// passed on to it, and flux exits with its status (or dies of the same signal).
// In-process callers with their own streams (tests, the library) get the output piped.
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import os from "node:os";
import type { Deps } from "../deps.js";
import { CliError } from "../errors.js";
import { must } from "../util/must.js";

export interface PluginExecOptions {
  /** The plugin's executable. */
  path: string;
  /** Everything on the command line but the plugin's name, unparsed. */
  args: string[];
}

const FORWARDED: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGWINCH"];

/** The descriptor behind a writer of the process's own streams (src/cli/stdio.ts), if it is one. */
function fdOf(w: unknown): number | undefined {
  const fd = (w as { fd?: unknown }).fd;
  return typeof fd === "number" ? fd : undefined;
}

export async function runPluginExec(o: PluginExecOptions, deps: Deps): Promise<void> {
  const { io } = deps;
  const outFd = fdOf(io.stdout);
  const errFd = fdOf(io.stderr);
  const own = outFd !== undefined && errFd !== undefined;
  const stdio: StdioOptions = own ? [0, outFd, errFd] : ["pipe", "pipe", "pipe"];
  // Forward from before the spawn: on a busy machine the plugin can start and be signalled
  // before this process runs its next line, and a signal with no handler yet would kill
  // flux instead of reaching the plugin. Signals that come before the child exists wait.
  const started: { child?: ChildProcess } = {};
  const early: NodeJS.Signals[] = [];
  const forward = (sig: NodeJS.Signals) => {
    if (started.child) started.child.kill(sig);
    else early.push(sig);
  };
  if (own) for (const sig of FORWARDED) process.on(sig, forward);
  let child: ChildProcess;
  try {
    child = spawn(o.path, o.args, { stdio, env: process.env, argv0: o.path });
  } catch (err) {
    if (own) for (const sig of FORWARDED) process.off(sig, forward);
    throw err;
  }
  started.child = child;
  for (const sig of early) child.kill(sig);
  if (!own) {
    must(child.stdout, "the plugin's stdout pipe").on("data", (d: Buffer) => io.stdout.write(d.toString()));
    must(child.stderr, "the plugin's stderr pipe").on("data", (d: Buffer) => io.stderr.write(d.toString()));
    const stdin = io.stdin as NodeJS.ReadableStream;
    stdin.pipe(must(child.stdin, "the plugin's stdin pipe")).on("error", () => {});
  }
  let result: { code: number | null; signal: NodeJS.Signals | null };
  try {
    result = await new Promise((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code, signal) => resolve({ code, signal }));
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    // what syscall.Exec reports: "fork/exec" is Go's word for a failed start
    throw new CliError(`fork/exec ${o.path}: ${e.code === "EACCES" ? "permission denied" : e.message}`);
  } finally {
    if (own) for (const sig of FORWARDED) process.off(sig, forward);
  }
  if (result.signal) {
    if (own && result.signal !== "SIGWINCH") {
      // as if flux itself had been the plugin: the shell sees the same signal
      process.kill(process.pid, result.signal);
      await new Promise((r) => setTimeout(r, 1000));
    }
    // the child reports the signal by name; one missing from this platform's table counts as 0
    const signals: Partial<Record<string, number>> = os.constants.signals;
    throw new CliError("", 128 + (signals[result.signal] ?? 0));
  }
  if (result.code !== 0) throw new CliError("", result.code ?? 1);
}
