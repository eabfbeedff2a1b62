// The program entry: parses argv, runs the command, and is the one place that prints
// `✗ <message>` and decides the exit code.
import { CommanderError, type Command } from "commander";
import { CliError, errorMessage, redactUrls } from "../errors.js";
import { createLogger } from "../output/logger.js";
import { processIO, type IO } from "./context.js";
import { BoolFlagError, normalizeBoolArgs, normalizeShorthands, routeSubcommandVersion } from "./flags.js";
import { buildProgram, type CommandTree } from "./program.js";

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
      if ((m = /command-argument value '(.*)' is invalid for argument '[^']*'\. (.*)$/s.exec(msg))) return m[2]!;
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

/** A ✗ line (plain or coloured) at the start of a line written to stderr. */
const FAILURE_LINE = /(^|\n)(\u001b\[31m)?✗ /;

/** Runs the command line against the given command tree; returns the exit code. */
export async function runProgram(
  tree: CommandTree,
  argv: string[] = process.argv.slice(2),
  processIo: IO = processIO(),
): Promise<number> {
  // Guard: a ✗ line always comes with a non-zero exit, whichever code path printed it.
  let printedFailure = false;
  const stderr = processIo.stderr;
  const io: IO = {
    ...processIo,
    stderr: {
      isTTY: stderr.isTTY,
      write: (s: string) => {
        if (FAILURE_LINE.test(s)) printedFailure = true;
        return stderr.write(s);
      },
    },
  };
  const logger = createLogger({ stream: io.stderr });
  const program = buildProgram(tree, io, argv);
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
  try {
    const args = routeSubcommandVersion(program, normalizeBoolArgs(normalizeShorthands(program, argv)));
    await program.parseAsync(args, { from: "user" });
    return printedFailure ? 1 : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") {
        return 0;
      }
      logger.failure(redactUrls(cobraMessage(err)));
      return 1;
    }
    if (err instanceof BoolFlagError) {
      logger.failure(errorMessage(err));
      return 1;
    }
    if (err instanceof CliError) {
      // every message passes redactUrls: a flag value may hold credentials (--url https://user:token@host)
      if (err.message !== "") logger.failure(errorMessage(err));
      return err.exitCode;
    }
    logger.failure(errorMessage(err));
    if (process.env.TSFLUX_DEBUG) console.error(err);
    return 1;
  }
}
