// The token prompt: read from a terminal in raw mode, never echoed.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { promptSecret } from "../../../src/bootstrap/run.js";
import type { Deps } from "../../../src/deps.js";
import { silentLogger } from "../../../src/output/logger.js";

function tty() {
  const stdin = new PassThrough() as PassThrough & { isTTY: boolean; isRaw: boolean; setRawMode: (m: boolean) => void };
  stdin.isTTY = true;
  stdin.isRaw = false;
  const modes: boolean[] = [];
  stdin.setRawMode = (m: boolean) => {
    modes.push(m);
    stdin.isRaw = m;
  };
  let err = "";
  const ctx = {
    globals: {} as Deps["globals"],
    logger: silentLogger,
    io: { stdout: { write: () => true }, stderr: { write: (s: string) => ((err += s), true) }, stdin },
  } as Deps;
  return { ctx, stdin, modes, stderr: () => err };
}

describe("promptSecret", () => {
  it("reads a line in raw mode without echoing it, honouring backspace", async () => {
    const t = tty();
    const p = promptSecret(t.ctx, "Please enter your GitHub personal access token (PAT): ");
    t.stdin.write("ghp_ab");
    t.stdin.write("x\u007fc\r");
    expect(await p).toBe("ghp_abc");
    expect(t.stderr()).toBe("Please enter your GitHub personal access token (PAT): \n");
    expect(t.modes).toEqual([true, false]);
  });

  it("stops on Ctrl-C", async () => {
    const t = tty();
    const p = promptSecret(t.ctx, "token: ");
    t.stdin.write("\u0003");
    await expect(p).rejects.toThrow("interrupted");
    expect(t.modes).toEqual([true, false]);
  });

  it("refuses without a terminal", async () => {
    const t = tty();
    (t.stdin as { isTTY: boolean }).isTTY = false;
    await expect(promptSecret(t.ctx, "token: ")).rejects.toThrow("no terminal to prompt on");
  });
});
