// Completion checked in a real bash: the generated script is sourced, registered
// with `complete`, and its function is run on scripted command lines.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProgram } from "../../../commands/index.js";
import { completeWords, completionScript } from "../../../src/cli/completion.js";

describe("completion candidates", () => {
  const program = buildProgram();
  it("completes subcommands and flags from the command tree", () => {
    expect(completeWords(program, ["cre"])).toEqual(["create"]);
    expect(completeWords(program, ["completion", ""])).toEqual(["bash", "fish", "powershell", "zsh"]);
    expect(completeWords(program, ["version", "--cl"])).toEqual([
      "--client",
      "--client-certificate",
      "--client-key",
      "--cluster",
    ]);
    expect(completeWords(program, ["get", "--name"])).toEqual(["--namespace"]);
  });
});

describe("bash completion", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "tsflux-completion-"));
    const shim = join(dir, "flux");
    writeFileSync(shim, `#!/bin/sh\nexec node ${resolve("bin/flux.js")} "$@"\n`);
    chmodSync(shim, 0o755);
    writeFileSync(join(dir, "flux.bash"), completionScript("bash"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function complete(line: string): string[] {
    const words = line.split(" ");
    const script = `
      source ${join(dir, "flux.bash")}
      complete -p flux
      COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")})
      COMP_CWORD=${words.length - 1}
      _flux_complete
      printf '%s\\n' "\${COMPREPLY[@]}"
    `;
    const out = execFileSync("bash", ["--norc", "-c", script], {
      env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
      encoding: "utf8",
    });
    return out.trim().split("\n");
  }

  it("registers the completion function and completes commands and flags", () => {
    const out = complete("flux rec");
    expect(out[0]).toBe("complete -o default -F _flux_complete flux");
    expect(out.slice(1)).toEqual(["reconcile"]);
    expect(complete("flux completion z").slice(1)).toEqual(["zsh"]);
    expect(complete("flux version --client-").slice(1)).toEqual(["--client-certificate", "--client-key"]);
    expect(complete("flux version --cl").slice(1)).toEqual([
      "--client",
      "--client-certificate",
      "--client-key",
      "--cluster",
    ]);
  });
});

describe("other shells", () => {
  it.each(["zsh", "fish", "powershell"])("%s script calls back into flux __complete", (shell) => {
    expect(completionScript(shell)).toContain("flux __complete");
  });
});
