// The program entry: parses argv, runs the command, and is the one place that prints
// `✗ <message>` and decides the exit code.
import { CommanderError, type Command } from "commander";
import { CliError, errorMessage, redactUrls } from "../errors.js";
import { createLogger } from "../output/logger.js";
import { globalsFrom, processIO, type IO } from "./context.js";
import {
  FlagError,
  checkFlagsInOrder,
  normalizeBoolArgs,
  normalizeShorthands,
  routeSubcommandVersion,
} from "./flags.js";
import { guardFailures, reportFailure } from "./failure.js";
import { HelpRequest, renderHelpRequest, type HelpTexts } from "./help.js";
import { buildProgram, pluginInvocation, type CommandTree } from "./program.js";

/** Rewrites commander's wording into upstream's (cobra/pflag) where scripts may match it. */
export function cobraMessage(err: CommanderError): string {
  const msg = err.message.replace(/^error: /, "");
  let m: RegExpExecArray | null;
  switch (err.code) {
    case "commander.unknownOption":
      if ((m = /unknown option '(--[^'=]+)/.exec(msg))) return `unknown flag: ${m[1]}`;
      if ((m = /unknown option '-([^'-])([^']*)'/.exec(msg)))
        return `unknown shorthand flag: '${m[1]}' in -${m[1]}${m[2]}`;
      return msg;
    case "commander.optionMissingArgument":
      if ((m = /option '(?:-\w, )?(--[\w-]+)/.exec(msg))) return `flag needs an argument: ${m[1]}`;
      return msg;
    case "commander.invalidArgument":
      if ((m = /option '((?:-\w, )?--[\w-]+)[^']*' argument '(.*)' is invalid\. (.*)$/s.exec(msg)))
        return `invalid argument "${m[2]}" for "${m[1]}" flag: ${m[3]}`;
      if ((m = /command-argument value '(.*)' is invalid for argument '[^']*'\. (.*)$/s.exec(msg))) return m[2] ?? msg;
      return msg;
    case "commander.unknownCommand":
      if ((m = /unknown command '([^']*)'/.exec(msg))) return `unknown command "${m[1]}" for "flux"`;
      return msg;
    case "commander.excessArguments":
      return msg
        .replace(/\. Expected .*$/s, "")
        .replace(/^too many arguments.*$/s, "accepts no arguments, too many arguments given");
    default:
      return msg;
  }
}

/**
 * cobra.NoArgs' wording for an argument given to a command that takes none:
 * `unknown command "x" for "flux install"`. Undefined when the command takes arguments.
 */
function noArgsMessage(program: Command, args: string[]): string | undefined {
  let cmd = program;
  const path = ["flux"];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? "";
    if (a === "--") return undefined;
    if (a.startsWith("-")) {
      const opt = [cmd, ...ancestors(cmd)].flatMap((c) => c.options).find((o) => o.long === a || o.short === a);
      if (opt && (opt.required || opt.optional) && !a.includes("=")) i++;
      continue;
    }
    const sub = cmd.commands.find((c) => c.name() === a || c.aliases().includes(a));
    if (sub) {
      cmd = sub;
      path.push(sub.name());
      continue;
    }
    return cmd.registeredArguments.length === 0 ? `unknown command "${a}" for "${path.join(" ")}"` : undefined;
  }
  return undefined;
}

function ancestors(cmd: Command): Command[] {
  const out: Command[] = [];
  for (let c = cmd.parent; c; c = c.parent) out.push(c);
  return out;
}

/** Runs the command line against the given command tree; returns the exit code. */
export async function runProgram(
  tree: CommandTree,
  argv: string[] = process.argv.slice(2),
  processIo: IO = processIO(),
  helpTexts: () => Promise<HelpTexts> = () => Promise.resolve({}),
): Promise<number> {
  // Guard: a ✗ line always comes with a non-zero exit, whichever code path printed it.
  const { io, failed } = guardFailures(processIo);
  const logger = createLogger({ stream: io.stderr });
  const program = buildProgram(tree, io, argv);
  // `flux <plugin> …`: the plugin gets every other word unparsed, and none of the root's
  // checks run (upstream: DisableFlagParsing and a no-op PersistentPreRunE).
  const plugin = pluginInvocation(program, argv);
  if (plugin) {
    try {
      // only a plugin's command line loads the child-process code
      const { runPluginExec } = await import("../plugin/exec.js");
      await runPluginExec(plugin, { globals: globalsFrom(program, { preRun: false }), io, logger });
      return failed() ? 1 : 0;
    } catch (err) {
      if (err instanceof CliError && err.message === "") return err.exitCode;
      logger.failure(errorMessage(err));
      return err instanceof CliError ? err.exitCode : 1;
    }
  }
  const output = {
    writeOut: (s: string) => void io.stdout.write(s),
    writeErr: (s: string) => void io.stderr.write(s),
    outputError: () => {},
  };
  const configure = (cmd: Command) => {
    cmd.exitOverride();
    cmd.configureOutput(output);
    for (const sub of cmd.commands) configure(sub);
  };
  configure(program);
  let args = argv;
  try {
    const shorthands = normalizeShorthands(program, argv);
    checkFlagsInOrder(program, shorthands);
    args = routeSubcommandVersion(program, normalizeBoolArgs(shorthands));
    await program.parseAsync(args, { from: "user" });
    return failed() ? 1 : 0;
  } catch (err) {
    if (err instanceof HelpRequest) {
      // cobra prints help on stdout and exits 0, also for a command group run alone.
      io.stdout.write(renderHelpRequest(err, await helpTexts()));
      return 0;
    }
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") {
        return 0;
      }
      const message = err.code === "commander.excessArguments" ? noArgsMessage(program, args) : undefined;
      logger.failure(redactUrls(message ?? cobraMessage(err)));
      return 1;
    }
    if (err instanceof FlagError) {
      logger.failure(errorMessage(err));
      return 1;
    }
    return reportFailure(err, logger);
  }
}
