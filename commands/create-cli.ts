// `flux create …` alone (dist/cli/create.cjs, loaded by commands/entry.ts): the create
// group and its engines without the other verbs, commander's help texts or the YAML
// parser, so `create … --export` reads and runs a third of the whole CLI's code
// (issue 17: start-up). It runs the same program as dist/cli/main.js would for the
// command line, whose first word is `create`; help, which needs upstream's texts, is
// left to the whole CLI.
import { runProgram } from "../src/cli/main.js";
import { register as create } from "./create/index.js";

class HelpNeeded extends Error {}

/** Runs a `flux create …` command line; undefined (nothing written) when it asks for help. */
export async function runCreate(argv: string[]): Promise<number | undefined> {
  try {
    return await runProgram([["create", create]], argv, undefined, () => Promise.reject(new HelpNeeded()));
  } catch (err) {
    if (err instanceof HelpNeeded) return undefined;
    throw err;
  }
}
