// The flux command tree: every top-level verb, in upstream's order of help. The CLI
// toolkit (src/cli) builds the program from this list; it never imports commands/.
import type { Command } from "commander";
import type { IO } from "../src/deps.js";
import type { HelpTexts } from "../src/cli/help.js";
import { runProgram } from "../src/cli/main.js";
import { buildProgram as build, type CommandTree } from "../src/cli/program.js";
import { register as bootstrap } from "./bootstrap/index.js";
import { register as build_ } from "./build/index.js";
import { register as check } from "./check/index.js";
import { register as completion } from "./completion/index.js";
import { register as create } from "./create/index.js";
import { register as debug } from "./debug/index.js";
import { register as del } from "./delete/index.js";
import { register as diff } from "./diff/index.js";
import { register as envsubst } from "./envsubst/index.js";
import { register as events } from "./events/index.js";
import { register as exportCmd } from "./export/index.js";
import { register as get } from "./get/index.js";
import { register as install } from "./install/index.js";
import { register as list } from "./list/index.js";
import { register as logs } from "./logs/index.js";
import { register as migrate } from "./migrate/index.js";
import { register as plugin } from "./plugin/index.js";
import { register as pull } from "./pull/index.js";
import { register as push } from "./push/index.js";
import { register as reconcile } from "./reconcile/index.js";
import { register as resume } from "./resume/index.js";
import { register as stats } from "./stats/index.js";
import { register as suspend } from "./suspend/index.js";
import { register as tag } from "./tag/index.js";
import { register as trace } from "./trace/index.js";
import { register as tree } from "./tree/index.js";
import { register as trigger } from "./trigger/index.js";
import { register as uninstall } from "./uninstall/index.js";
import { register as version } from "./version/index.js";

/** Top-level verbs by name: registering only the one a command line uses keeps start-up fast. */
export const commandTree: CommandTree = [
  ["bootstrap", bootstrap],
  ["build", build_],
  ["check", check],
  ["completion", completion],
  ["create", create],
  ["debug", debug],
  ["delete", del],
  ["diff", diff],
  ["envsubst", envsubst],
  ["events", events],
  ["export", exportCmd],
  ["get", get],
  ["install", install],
  ["list", list],
  ["logs", logs],
  ["migrate", migrate],
  ["plugin", plugin],
  ["pull", pull],
  ["push", push],
  ["reconcile", reconcile],
  ["resume", resume],
  ["stats", stats],
  ["suspend", suspend],
  ["tag", tag],
  ["trace", trace],
  ["tree", tree],
  ["trigger", trigger],
  ["uninstall", uninstall],
  ["version", version],
];

/** The flux program (the whole tree, or only the verb `argv` names). */
export function buildProgram(io?: IO, argv?: string[]): Command {
  return build(commandTree, io, argv);
}

/** Upstream's help texts (commands/help-texts.json, dumped from flux v2.9.5), loaded only to show help. */
export async function helpTexts(): Promise<HelpTexts> {
  const data = await import("./help-texts.json", { with: { type: "json" } });
  return (data.default as { commands: HelpTexts }).commands;
}

/** Runs flux with the given arguments and streams; returns the exit code. */
export function main(argv: string[] = process.argv.slice(2), io?: IO): Promise<number> {
  return runProgram(commandTree, argv, io, helpTexts);
}
