// A spinner for long waits, shown only on an interactive stderr without NO_COLOR
// (ora is loaded only then). Elsewhere it is silent, and the final line is printed
// through the logger, so logs and pipes see exactly upstream's status lines.
import { colorEnabled, type Logger, type Writable } from "./logger.js";

export interface Spinner {
  update(text: string): void;
  succeed(text: string): void;
  fail(text: string): void;
  stop(): void;
}

export async function startSpinner(text: string, logger: Logger, stream: Writable = process.stderr): Promise<Spinner> {
  if (!stream.isTTY || !colorEnabled(stream)) {
    return {
      update: () => {},
      succeed: (t) => logger.success(t),
      fail: (t) => logger.failure(t),
      stop: () => {},
    };
  }
  // Lazy: ora loads only when a spinner is shown (a TTY), never in scripts.
  const { default: ora } = await import("ora");
  const spinner = ora({ text, stream: stream as NodeJS.WritableStream }).start();
  return {
    update: (t) => {
      spinner.text = t;
    },
    succeed: (t) => {
      spinner.stop();
      logger.success(t);
    },
    fail: (t) => {
      spinner.stop();
      logger.failure(t);
    },
    stop: () => spinner.stop(),
  };
}
