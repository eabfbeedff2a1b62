// Two bootstraps racing on one repository and one cluster (the built CLI, twice, started
// together): each ends cleanly (exit 0, or one ✗ line and a non-zero exit), the branch
// only ever moves forward (no force-push, no lost commit), and the result is the state of
// one uninterrupted run: one commit of each kind, one deploy key (the stored Secret's),
// one Secret, Ready. A third run then finds nothing to do. These are the rows;
// test/integration/bootstrap-race.test.ts runs them with the controller stand-in,
// test/e2e/bootstrap-race.test.ts with the real controllers.
import { describe, expect, it } from "vitest";
import type { BootstrapKind, BootstrapRig } from "./bootstrap-rig.js";
import { failureLines, recordScenario } from "./reliability.js";

/** For each kind, two bootstraps racing; `family` names the table in docs/reliability.md. */
export function describeRaceRows(
  rig: BootstrapRig,
  kinds: BootstrapKind[],
  family: (kind: BootstrapKind) => string = (kind) => `bootstrap ${kind}`,
): void {
  describe("two bootstraps at once", () => {
    for (const kind of kinds) {
      it(`bootstrap ${kind}: both end cleanly and the result is one bootstrap's`, async (ctx) => {
        const t = await rig.target(kind);
        const runs = await Promise.all([
          rig.start(t, { controllers: true }).done,
          rig.start(t, { controllers: true }).done,
        ]);
        for (const r of runs) {
          if (r.code === 0) expect(failureLines(r.stderr), r.stderr).toEqual([]);
          else expect(failureLines(r.stderr), r.stderr).toHaveLength(1);
        }
        expect(
          runs.some((r) => r.code === 0),
          runs.map((r) => r.stderr).join("\n----\n"),
        ).toBe(true);
        await rig.expectConverged(t);

        const third = await rig.start(t, { controllers: true }).done;
        expect(third.code, third.stderr).toBe(0);
        expect(third.stderr).toContain("✔ bootstrap is up to date: nothing changed in the repository or the cluster");
        await rig.expectConverged(t);
        recordScenario(ctx, {
          family: family(kind),
          server: "git server, API server" + (kind === "git" ? "" : `, ${kind === "github" ? "GitHub" : "GitLab"}`),
          fault: "two bootstraps at once",
          expected: "converged",
          injected: 0,
        });
      });
    }
  });
}
