// Runs the whole CLI in-process with captured streams, as a user's shell would.
import { PassThrough } from "node:stream";
import { main } from "../../src/cli/main.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved in write order (what upstream's tests capture in one buffer). */
  output: string;
}

export async function runCli(args: string[], opts: { stdin?: string } = {}): Promise<CliResult> {
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
