// Status lines with upstream flux's symbols, always on stderr; data goes to stdout.
// Colour only when the stream is a TTY and NO_COLOR is unset. Credentials in URLs
// (https://user:token@host) are redacted from every line.
import { redactUrls } from "../errors.js";

export interface Logger {
  action(message: string): void; // ►
  generate(message: string): void; // ✚
  waiting(message: string): void; // ◎
  success(message: string): void; // ✔
  warning(message: string): void; // ⚠️
  failure(message: string): void; // ✗
  debug(message: string): void; // only with --verbose
}

export interface Writable {
  write(chunk: string): unknown;
  isTTY?: boolean | undefined;
}

export function colorEnabled(stream: Writable, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true;
}

const ANSI = {
  cyan: "\u001b[36m",
  green: "\u001b[32m",
  red: "\u001b[31m",
  yellow: "\u001b[33m",
  magenta: "\u001b[35m",
  reset: "\u001b[39m",
};

export interface LoggerOptions {
  stream?: Writable;
  verbose?: boolean;
  color?: boolean;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const stream = opts.stream ?? process.stderr;
  const color = opts.color ?? colorEnabled(stream);
  const line = (symbol: string, tint: keyof typeof ANSI, message: string) => {
    const sym = color ? ANSI[tint] + symbol + ANSI.reset : symbol;
    stream.write(`${sym} ${redactUrls(message)}\n`);
  };
  return {
    action: (m) => line("►", "cyan", m),
    generate: (m) => line("✚", "magenta", m),
    waiting: (m) => line("◎", "yellow", m),
    success: (m) => line("✔", "green", m),
    warning: (m) => line("⚠️", "yellow", m),
    failure: (m) => line("✗", "red", m),
    debug: (m) => {
      if (opts.verbose) stream.write(`${redactUrls(m)}\n`);
    },
  };
}

/** A logger that remembers its lines; for tests and for library users who want no output. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const stream: Writable = {
    write: (s: string) => {
      lines.push(...s.replace(/\n$/, "").split("\n"));
      return true;
    },
  };
  return Object.assign(createLogger({ stream, color: false, verbose: true }), { lines });
}

export const silentLogger: Logger = {
  action: () => {},
  generate: () => {},
  waiting: () => {},
  success: () => {},
  warning: () => {},
  failure: () => {},
  debug: () => {},
};
