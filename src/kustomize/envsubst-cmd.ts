// `flux envsubst`: substitutes ${VAR} expressions in stdin from the environment,
// line by line like upstream, with Flux's envsubst engine.
import { createInterface } from "node:readline";
import type { Deps } from "../deps.js";
import { CliError } from "../errors.js";
import { EnvsubstError, evalEnvsubst } from "./envsubst.js";

export interface EnvsubstOptions {
  strict?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Substitutes every line of `input`; writes each result line as soon as it is ready. */
export async function envsubstStream(
  input: NodeJS.ReadableStream,
  write: (chunk: string) => unknown,
  opts: EnvsubstOptions = {},
): Promise<void> {
  const env = opts.env ?? process.env;
  const lookup = (name: string): [string, boolean] => {
    const v = Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined;
    return opts.strict ? [v ?? "", v !== undefined] : [v ?? "", true];
  };
  const rl = createInterface({ input, crlfDelay: Infinity, terminal: false });
  try {
    for await (const line of rl) {
      try {
        write(evalEnvsubst(line, lookup) + "\n");
      } catch (err) {
        if (err instanceof EnvsubstError) throw new CliError(err.message);
        throw err;
      }
    }
  } finally {
    rl.close();
  }
}

export async function runEnvsubst(options: { strict: boolean }, deps: Deps): Promise<void> {
  await envsubstStream(deps.io.stdin, (s) => deps.io.stdout.write(s), { strict: options.strict });
}
