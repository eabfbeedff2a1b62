// Binds a commander command to an engine entry: the command's mapper turns the parsed
// flags into the engine's typed options, and the engine module is imported only when
// the command runs, so start-up never pays for it (or for @kubernetes/client-node).
import type { Command, Option } from "commander";
import type { Deps, Engine, IO } from "../deps.js";
import { Invocation } from "./invocation.js";
import { depsFrom, globalsFrom, processIO, rootOf } from "./context.js";

export { Invocation } from "./invocation.js";

/** An Invocation read by commander: the parsed command is at hand (completion and plugin need the tree). */
export class CommandInvocation extends Invocation {
  constructor(
    readonly command: Command,
    opts: { preRun?: boolean | undefined } = {},
  ) {
    // A command's own flag wins over a parent's flag of the same name.
    const values = { ...command.optsWithGlobals(), ...command.opts() };
    super(
      command.args,
      globalsFrom(command, opts),
      values,
      (name) => command.getOptionValueSourceWithGlobals(name) === "cli",
    );
  }
}

export interface Binding<O, I extends Invocation = Invocation> {
  /** Flags to typed options; pure, so it is tested without running the engine. */
  options: (inv: I) => O;
  /** Loads the engine entry (a dynamic import: the engine is a separate chunk). */
  engine: () => Promise<Engine<O>>;
  /** false: skip the root's checks before the command runs (upstream's no-op PersistentPreRunE of `plugin`). */
  preRun?: false;
}

// cobra's MarkDeprecated: the flag still works, is left out of help, and using it prints
// "Flag --<name> has been deprecated, <message>" before the command runs.
const deprecations = new WeakMap<Option, string>();

/** Hides `option` from help and warns when it is given (cobra's MarkDeprecated). */
export function deprecateOption(option: Option, message: string): Option {
  deprecations.set(option.hideHelp(), message);
  return option;
}

function warnDeprecated(self: Command, io: IO): void {
  for (let c: Command | null = self; c; c = c.parent)
    for (const o of c.options) {
      const message = deprecations.get(o);
      if (message !== undefined && c.getOptionValueSource(o.attributeName()) === "cli")
        io.stderr.write(`Flag ${o.long ?? o.short ?? ""} has been deprecated, ${message}\n`);
    }
}

/** Runs a command's engine with the options its mapper builds from the parsed flags. */
// A mapper takes an Invocation, or the CommandInvocation passed here when it reads the
// parsed command itself (completion and plugin read the tree).
export function bind<O, I extends Invocation = Invocation>(cmd: Command, binding: Binding<O, I>): Command {
  return cmd.action(async (...params: unknown[]) => {
    const self = params[params.length - 1] as Command;
    const options = binding.options(new CommandInvocation(self, { preRun: binding.preRun }) as unknown as I);
    const root = rootOf(self);
    const capture = captured.get(root);
    if (capture) {
      capture(commandPath(self), options);
      return;
    }
    warnDeprecated(self, ioOf(self));
    const deps: Deps = depsFrom(self, ioOf(self), { preRun: binding.preRun });
    const run = await binding.engine();
    await run(options, deps);
  });
}

export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c = cmd; c.parent; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

// The streams a program was built with; commands find them through their root so
// tests can run the whole CLI in-process and capture its output.
const programIO = new WeakMap<Command, IO>();
// Programs whose commands hand their options to a test instead of running the engine.
const captured = new WeakMap<Command, (path: string, options: unknown) => void>();

export function setCommandIO(program: Command, io: IO): void {
  programIO.set(program, io);
}

/** Makes every bound command of `program` report its options instead of running its engine. */
export function captureOptions(program: Command, sink: (path: string, options: unknown) => void): void {
  captured.set(program, sink);
}

/** The streams of the program a command belongs to (process streams by default). */
export function ioOf(cmd: Command): IO {
  return programIO.get(rootOf(cmd)) ?? processIO();
}
