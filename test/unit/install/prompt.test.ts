import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { Deps } from "../../../src/deps.js";
import { confirm as confirmDeployKey } from "../../../src/create/flow.js";
import { confirm } from "../../../src/install/prompt.js";

function tty(input: string | null, isTTY = true) {
  const stdin = Object.assign(new PassThrough(), { isTTY });
  if (input !== null) stdin.end(input);
  let err = "";
  return {
    io: { stdin, stdout: { write: () => true }, stderr: { write: (s: string) => ((err += s), true) } },
    err: () => err,
  };
}

describe("confirmation prompt", () => {
  it.each([
    ["y\n", true],
    ["YES\n", true],
    ["n\n", false],
    ["\n", false],
    ["maybe\n", false],
    ["", false],
  ])("answer %j -> %s", async (input, expected) => {
    const t = tty(input);
    expect(await confirm(t.io, "Are you sure you want to delete Flux and its custom resource definitions")).toBe(
      expected,
    );
    expect(t.err()).toBe("? Are you sure you want to delete Flux and its custom resource definitions [y/N]: ");
  });

  it("answers no without a terminal, without prompting", async () => {
    const t = tty("y\n", false);
    expect(await confirm(t.io, "Proceed")).toBe(false);
    expect(t.err()).toBe("");
  });
});

describe("create source git: the deploy key confirmation", () => {
  const ask = (t: ReturnType<typeof tty>) =>
    confirmDeployKey({ io: t.io } as unknown as Deps, "Have you added the deploy key to your repository");

  it("goes on after yes", async () => {
    const t = tty("y\n");
    await expect(ask(t)).resolves.toBeUndefined();
    expect(t.err()).toBe("? Have you added the deploy key to your repository [y/N] ");
  });

  it.each([["n\n"], [""]])("aborts after %j (no, or end of input)", async (input) => {
    await expect(ask(tty(input))).rejects.toThrow(/^aborting$/);
  });

  it("aborts without a terminal, without prompting", async () => {
    const t = tty("y\n", false);
    await expect(ask(t)).rejects.toThrow(/^aborting$/);
    expect(t.err()).toBe("");
  });
});
