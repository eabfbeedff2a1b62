// How a command's failure reaches the user, on commander's path (src/cli/main.ts) and
// on the hot path of `create …` (src/cli/hot-line.ts) alike.
import type { IO } from "../deps.js";
import { CliError, errorMessage } from "../errors.js";
import type { Logger } from "../output/logger.js";

/** Tracks whether a ✗ line reached stderr: a ✗ line always comes with a non-zero exit. */
export function guardFailures(processIo: IO): { io: IO; failed: () => boolean } {
  let printedFailure = false;
  const stderr = processIo.stderr;
  // Getters, not a spread: reading processIo.stdin would create process.stdin.
  const guardedStderr = {
    fd: (stderr as { fd?: number }).fd,
    get isTTY() {
      return stderr.isTTY;
    },
    write: (s: string) => {
      if (FAILURE_LINE.test(s)) printedFailure = true;
      return stderr.write(s);
    },
  };
  const io: IO = {
    get stdout() {
      return processIo.stdout;
    },
    stderr: guardedStderr,
    get stdin() {
      return processIo.stdin;
    },
  };
  return { io, failed: () => printedFailure };
}

/** A ✗ (\u2717) line, plain or coloured, at the start of a line written to stderr. Escaped: the CLI bundle stays ASCII (scripts/build.mjs). */
const FAILURE_LINE = /(^|\n)(\u001b\[31m)?\u2717 /;

/** Prints a command's failure as `✗ <message>` and returns its exit code. */
export function reportFailure(err: unknown, logger: Logger): number {
  if (err instanceof CliError) {
    // every message passes redactUrls: a flag value may hold credentials (--url https://user:token@host)
    if (err.message !== "") logger.failure(errorMessage(err));
    return err.exitCode;
  }
  logger.failure(errorMessage(err));
  if (process.env.TSFLUX_DEBUG) console.error(err);
  return 1;
}
