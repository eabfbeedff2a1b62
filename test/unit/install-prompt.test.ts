import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { confirm } from "../../src/install/prompt.js";

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
