// Declares the vitest suites for upstream's command-line cases: every case of the table
// runs, except those the checked-in list test/fixtures/upstream-not-driven.txt names. A "failing" entry is run and
// must still fail, a "missing-command" entry's command must still be missing: the list
// can only shrink, and a fix that makes a case pass fails here until its entry goes.
import type { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  TESTDATA_DIR,
  commandExists,
  prepareGroup,
  readNotDriven,
  runCase,
  type GroupContext,
} from "./upstream-driver.js";
import { caseId, upstreamGroups } from "./upstream-cases.js";
import { must } from "./must.js";

export interface SuiteEnv {
  kubeConfig?: () => Promise<KubeConfig>;
  kubeconfigPath?: () => Promise<string>;
  registry?: () => Promise<{ host: string; stop: () => Promise<void> }>;
}

export function defineUpstreamSuite(cluster: boolean, env: SuiteEnv = {}): void {
  const notDriven = readNotDriven();
  const savedCwd = process.cwd();
  const savedEnv = { KUBECONFIG: process.env.KUBECONFIG, TZ: process.env.TZ };
  let registry: { host: string; stop: () => Promise<void> } | undefined;
  let kc: KubeConfig | undefined;

  beforeAll(async () => {
    // As `go test` in cmd/flux: relative testdata paths resolve against it; TZ=UTC (TestMain).
    process.chdir(TESTDATA_DIR);
    process.env.TZ = "UTC";
    if (env.kubeconfigPath) process.env.KUBECONFIG = await env.kubeconfigPath();
    kc = await env.kubeConfig?.();
  });
  afterAll(async () => {
    process.chdir(savedCwd);
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) Reflect.deleteProperty(process.env, k);
      else process.env[k] = v;
    }
    await registry?.stop();
  });

  for (const g of upstreamGroups.filter((x) => x.cluster === cluster)) {
    describe(`${g.file}:${g.test}`, () => {
      // Prepared only when a case of the group runs.
      let ctx: GroupContext | undefined;
      const needsGroup = g.cases.some((c) => {
        const entry = notDriven.get(caseId(g, c));
        return !entry || ["failing", "deliberate"].includes(entry.reason);
      });
      beforeAll(async () => {
        if (!needsGroup) return;
        let host: string | undefined;
        if (g.cases.some((c) => c.push) && env.registry) {
          registry ??= await env.registry();
          host = registry.host;
        }
        ctx = await prepareGroup(g, kc, host);
      });
      afterAll(() => ctx?.cleanup());

      for (const c of g.cases) {
        const id = caseId(g, c);
        const entry = notDriven.get(id);
        if (entry?.reason === "missing-command") {
          it(`${c.name || "(case)"}: command still missing (listed in upstream-not-driven.txt)`, async () => {
            expect(
              await commandExists(c.args),
              `${id}: the command exists now; drive it and drop it from test/fixtures/upstream-not-driven.txt`,
            ).toBe(false);
          });
        } else if (entry?.reason === "failing" || entry?.reason === "deliberate") {
          it(`${c.name || "(case)"}: still differs from upstream (${entry.reason} in upstream-not-driven.txt)`, async () => {
            // A case that throws (its setup depends on what is still broken) still differs.
            const outcome = await runCase(g, c, must(ctx, "the group's prepared context")).catch((err: unknown) => ({
              pass: false,
              err,
            }));
            // UPSTREAM_DEBUG=1 shows what still differs
            if (process.env.UPSTREAM_DEBUG) console.log(id, JSON.stringify(outcome, null, 1));
            expect(outcome.pass, `${id} passes now: remove it from test/fixtures/upstream-not-driven.txt`).toBe(false);
          });
        } else if (entry) {
          it(`${c.name || "(case)"}: listed as ${entry.reason}`, () => {
            throw new Error(`${id} is in the table; ${entry.reason} entries are for cases the table does not hold`);
          });
        } else {
          it(c.name || "(case)", async () => {
            const outcome = await runCase(g, c, must(ctx, "the group's prepared context"));
            if (!outcome.pass) {
              const r = outcome.result;
              // A readable diff for goldens, the whole run otherwise.
              if (outcome.expected !== undefined && r.code === 0) expect(r.output, id).toBe(outcome.expected);
              expect.fail(`${id}: ${outcome.detail}\nexit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
            }
          });
        }
      }
    });
  }
}
