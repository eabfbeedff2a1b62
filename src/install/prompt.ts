// A yes/no confirmation like promptui's IsConfirm: "<label> [y/N]: "; only y/yes confirms.
// Without a terminal on stdin, or at end of input, the answer is no.
import type { IO } from "../deps.js";
import { createInterface } from "node:readline";

/** `end` follows "[y/N]" (`flux create source git` asks without the colon). */
export async function confirm(io: IO, label: string, end = ": "): Promise<boolean> {
  if (!io.stdin.isTTY) return false;
  io.stderr.write(`? ${label} [y/N]${end}`);
  const rl = createInterface({ input: io.stdin, terminal: false });
  try {
    const answer: string = await new Promise((resolve) => {
      rl.once("line", resolve);
      rl.once("close", () => resolve(""));
    });
    return /^(y|yes)$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
