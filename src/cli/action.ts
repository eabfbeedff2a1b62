// Binds a commander command to a run function that is loaded only when the command
// runs, so start-up never pays for the engine (or @kubernetes/client-node).
import type { Command } from "commander";
import { NotBuiltError } from "../errors.js";
import { contextFrom, processIO, type CommandContext, type IO } from "./context.js";

export type Run = (args: string[], opts: Record<string, unknown>, ctx: CommandContext) => Promise<void>;

/**
 * `optionsOf` turns the parsed command into the run's options (default: its own
 * flags); it may adjust the context, e.g. take over a global flag.
 */
export function lazyAction(
  cmd: Command,
  load: () => Promise<Run>,
  optionsOf: (self: Command, ctx: CommandContext) => Record<string, unknown> = (self) => self.opts(),
): Command {
  return cmd.action(async (...params: unknown[]) => {
    const self = params[params.length - 1] as Command;
    const ctx = contextFrom(self, ioOf(self));
    const opts = optionsOf(self, ctx);
    const run = await load();
    await run(self.args, opts, ctx);
  });
}

/** For commands whose engine has not been built yet: a clear error, exit 1. */
export function notBuilt(cmd: Command): Command {
  return cmd.action((...params: unknown[]) => {
    const self = params[params.length - 1] as Command;
    throw new NotBuiltError(commandPath(self));
  });
}

export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c && c.parent; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

// The streams a program was built with; commands find them through their root so
// tests can run the whole CLI in-process and capture its output.
const programIO = new WeakMap<Command, IO>();

export function setCommandIO(program: Command, io: IO): void {
  programIO.set(program, io);
}

/** The streams of the program a command belongs to (process streams by default). */
export function ioOf(cmd: Command): IO {
  let root = cmd;
  while (root.parent) root = root.parent;
  return programIO.get(root) ?? processIO();
}
