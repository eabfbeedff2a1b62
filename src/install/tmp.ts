// A temporary directory that is removed on every path: normal return, error, and
// SIGINT/SIGTERM/SIGHUP while it exists (the signal is then re-raised, so the process
// still ends the way the user asked).
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

export async function withTempDir<T>(
  prefix: string,
  fn: (dir: string) => Promise<T>,
  parent = os.tmpdir(),
): Promise<T> {
  const dir = mkdtempSync(path.join(parent, prefix));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  const handlers = SIGNALS.map((sig) => {
    const h = () => {
      cleanup();
      detach();
      process.kill(process.pid, sig);
    };
    process.once(sig, h);
    return [sig, h] as const;
  });
  const detach = () => {
    for (const [sig, h] of handlers) process.removeListener(sig, h);
  };
  try {
    return await fn(dir);
  } finally {
    detach();
    cleanup();
  }
}
