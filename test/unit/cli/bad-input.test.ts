// Every malformed invocation of test/support/bad-inputs.ts ends with one ✗ line, a
// non-zero exit and nothing on stdout (docs/reliability.md counts them; bench/bad-input.mjs
// measures upstream flux on the same list).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../helpers/cli.js";
import { BAD_INPUTS, UNREACHABLE_KUBECONFIG } from "../../support/bad-inputs.js";
import { failureLines, recordScenario } from "../../support/reliability.js";

let dir: string;
let kubeconfig: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "tsflux-badinput-"));
  kubeconfig = path.join(dir, "kubeconfig");
  writeFileSync(kubeconfig, UNREACHABLE_KUBECONFIG, { mode: 0o600 });
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("malformed invocations", () => {
  it("the list has no duplicates", () => {
    expect(new Set(BAD_INPUTS.map((c) => c.args.join(" "))).size).toBe(BAD_INPUTS.length);
  });

  for (const c of BAD_INPUTS) {
    it(`${c.what}: one ✗ line, a non-zero exit, nothing on stdout`, async (ctx) => {
      const res = await runCli([...c.args, "--kubeconfig", kubeconfig]);
      expect(res.code, res.stderr).not.toBe(0);
      expect(failureLines(res.stderr), res.stderr).toHaveLength(1);
      expect(res.stdout).toBe("");
      recordScenario(ctx, {
        family: "bad input",
        server: "—",
        fault: `flux ${c.args.join(" ")}`,
        expected: "clear failure",
        injected: 0,
        category: "bad input",
      });
    });
  }
});
