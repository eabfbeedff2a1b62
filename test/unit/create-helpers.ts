// Runs the real CLI entry in-process with captured streams.
import { PassThrough } from "node:stream";
import { main } from "../../commands/index.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], opts: { stdin?: string } = {}): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const stdin = new PassThrough();
  stdin.end(opts.stdin ?? "");
  const code = await main(argv, {
    stdout: { write: (s: string) => ((stdout += s), true), isTTY: false },
    stderr: { write: (s: string) => ((stderr += s), true), isTTY: false },
    stdin,
  });
  return { code, stdout, stderr };
}
