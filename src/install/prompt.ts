// A yes/no confirmation like promptui's IsConfirm: "<label> [y/N]: "; only y/yes confirms.
// Without a terminal on stdin the answer is no.
import type { IO } from "../cli/context.js";

export async function confirm(io: IO, label: string): Promise<boolean> {
  if (!io.stdin.isTTY) return false;
  io.stderr.write(`? ${label} [y/N]: `);
  const { createInterface } = await import("node:readline");
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
