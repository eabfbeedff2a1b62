// Runs the whole CLI in-process with captured streams, as a user's shell would.
import { PassThrough } from "node:stream";
import { buildProgram, main } from "../../commands/index.js";
import { captureOptions } from "../../src/cli/action.js";
import { normalizeBoolArgs } from "../../src/cli/flags.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved in write order (what upstream's tests capture in one buffer). */
  output: string;
}

export async function runCli(args: string[], opts: { stdin?: string | undefined } = {}): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  let output = "";
  const stdin = new PassThrough();
  stdin.end(opts.stdin ?? "");
  const code = await main(args, {
    stdout: { write: (s: string) => ((stdout += s), (output += s), true), isTTY: false },
    stderr: { write: (s: string) => ((stderr += s), (output += s), true), isTTY: false },
    stdin,
  });
  return { code, stdout, stderr, output };
}

/**
 * The typed options the command line's command would give its engine, without
 * running the engine: the flags-to-options mapping as a user's argv exercises it.
 */
export async function optionsFor<O = Record<string, unknown>>(args: string[]): Promise<O> {
  const program = buildProgram(undefined, args);
  let captured: { options: unknown } | undefined;
  captureOptions(program, (_path, options) => (captured = { options }));
  program.exitOverride();
  for (const sub of program.commands) sub.exitOverride();
  await program.parseAsync(normalizeBoolArgs(args), { from: "user" });
  if (!captured) throw new Error(`no command ran for: ${args.join(" ")}`);
  return captured.options as O;
}

/** Flags as a command line: { readWriteKey: true, team: ["a", "b"] } -> --read-write-key=true --team=a --team=b */
export function argvOf(flags: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(flags)) {
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    for (const v of Array.isArray(value) ? value : [value]) out.push(`${flag}=${String(v)}`);
  }
  return out;
}
