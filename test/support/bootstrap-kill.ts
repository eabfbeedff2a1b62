// Kill-at-every-step bootstrap (the rows; test/integration/bootstrap-kill.test.ts runs them
// with the controller stand-in, test/e2e/bootstrap-kill.test.ts with the real controllers): the built CLI is SIGKILLed at each step of bootstrap git,
// github and gitlab, then run again; the second run must converge to the state of an
// uninterrupted run: one commit of each kind, one deploy key (the source secret's), no
// orphan Secret, never a force-push, the GitRepository and Kustomization Ready.
//
// The kill lands at a known point without any hook in tsflux: a fault proxy in front of
// the server the step talks to holds that step's request (`stall`: the server never sees
// it; `hold`: the server acts and the answer never comes back, the worst moment to die),
// and the test kills the process while it waits. The wait step is caught by its ► line,
// with no controllers running, so it cannot finish first.
import { describe, expect, it } from "vitest";
import { BOOTSTRAP_STEPS } from "../../src/bootstrap/engine.js";
import {
  BOOTSTRAP_KINDS,
  gitPath,
  literal,
  type BootstrapKind,
  type BootstrapRig,
  type BootstrapTarget,
} from "./bootstrap-rig.js";
import { until } from "./cli-process.js";
import { must } from "./must.js";
import type { FaultRule } from "./fault-proxy.js";
import { failureLines, recordScenario } from "./reliability.js";

interface KillPoint {
  /** The bootstrap step (src/bootstrap's step names in parentheses). */
  step: string;
  kinds: BootstrapKind[];
  /** Where the process is held before the kill; undefined: the ► line `line` is waited for. */
  at?: (t: BootstrapTarget) => { proxy: "git" | "github" | "gitlab" | "kube"; rule: FaultRule };
  line?: RegExp;
  /** What the killed run left: the commits pushed (besides the provider's first commit), and more. */
  left: { pushed: ("components" | "sync")[]; secret?: boolean; deployKey?: boolean };
}

const gitRule = (t: BootstrapTarget, rule: Omit<FaultRule, "path"> & { path: string }): FaultRule => ({
  ...rule,
  path: gitPath(t, rule.path),
});

const KILL_POINTS: KillPoint[] = [
  {
    step: "clone (components-in-git)",
    left: { pushed: [] },
    kinds: BOOTSTRAP_KINDS,
    at: (t) => ({
      proxy: "git",
      rule: gitRule(t, { method: "GET", path: "info/refs\\?service=git-upload-pack", fault: { kind: "stall" } }),
    }),
  },
  {
    step: "commit (components-in-git): committed, not pushed",
    left: { pushed: [] },
    kinds: BOOTSTRAP_KINDS,
    at: (t) => ({
      proxy: "git",
      rule: gitRule(t, { method: "GET", path: "info/refs\\?service=git-receive-pack", fault: { kind: "stall" } }),
    }),
  },
  {
    step: "push (components-in-git): pushed, the answer lost",
    left: { pushed: ["components"] },
    kinds: BOOTSTRAP_KINDS,
    at: (t) => ({
      proxy: "git",
      rule: gitRule(t, { method: "POST", path: "git-receive-pack", fault: { kind: "hold" } }),
    }),
  },
  {
    step: "install apply (install-components)",
    left: { pushed: ["components"], secret: false },
    kinds: BOOTSTRAP_KINDS,
    at: (t) => ({
      proxy: "kube",
      rule: {
        method: "PATCH",
        path: new RegExp(`/apis/apps/v1/namespaces/${t.ns}/deployments/`),
        fault: { kind: "hold" },
      },
    }),
  },
  {
    step: "secret (source-secret): created, the answer lost",
    left: { pushed: ["components"], secret: true, deployKey: false },
    kinds: BOOTSTRAP_KINDS,
    at: (t) => ({
      proxy: "kube",
      rule: { method: "POST", path: new RegExp(`/api/v1/namespaces/${t.ns}/secrets`), fault: { kind: "hold" } },
    }),
  },
  {
    step: "deploy key (source-secret): registered, the answer lost",
    left: { pushed: ["components"], secret: true, deployKey: true },
    kinds: ["github", "gitlab"],
    at: (t) => ({
      proxy: t.kind === "github" ? "github" : "gitlab",
      rule: {
        method: "POST",
        path: t.kind === "github" ? new RegExp(`^/repos/${literal(t.repo)}/keys$`) : /\/deploy_keys$/,
        fault: { kind: "hold" },
      },
    }),
  },
  {
    step: "push (sync-in-git): pushed, the answer lost",
    left: { pushed: ["components", "sync"], secret: true },
    kinds: BOOTSTRAP_KINDS,
    at: (t) => ({
      proxy: "git",
      rule: gitRule(t, { method: "POST", path: "git-receive-pack", fault: { kind: "hold" }, skip: 1 }),
    }),
  },
  {
    step: "sync apply (apply-sync)",
    left: { pushed: ["components", "sync"], secret: true },
    kinds: BOOTSTRAP_KINDS,
    at: (t) => ({
      proxy: "kube",
      rule: {
        method: "PATCH",
        path: new RegExp(`/namespaces/${t.ns}/(gitrepositories|kustomizations)/${t.ns}`),
        fault: { kind: "hold" },
      },
    }),
  },
  {
    step: "wait (health)",
    left: { pushed: ["components", "sync"], secret: true },
    kinds: BOOTSTRAP_KINDS,
    line: /◎ waiting for GitRepository/,
  },
];

/** The kill points' check: together they cover every step of a direct bootstrap. */
export function describeKillPointCoverage(): void {
  describe("the kill points", () => {
    it("cover every step of a direct bootstrap (BOOTSTRAP_STEPS)", () => {
      // image-pull-secret runs only with --registry-creds; pull-request only with --pr.
      const direct = BOOTSTRAP_STEPS.filter((s) => s !== "pull-request" && s !== "image-pull-secret");
      const covered = new Set(KILL_POINTS.map((p) => /\(([a-z-]+)\)/.exec(p.step)?.[1]));
      expect(direct.filter((s) => !covered.has(s))).toEqual([]);
    });
  });
}

/**
 * For each kind: an uninterrupted run, then a run SIGKILLed at each kill point and run
 * again, which must converge to the uninterrupted run's state. `family` names the table
 * in docs/reliability.md.
 */
export function describeKillRows(
  rig: BootstrapRig,
  kinds: BootstrapKind[],
  family: (kind: BootstrapKind) => string = (kind) => `bootstrap ${kind}: kill and run again`,
): void {
  for (const kind of kinds) {
    describe(`bootstrap ${kind}, killed at each step, then run again`, () => {
      it("an uninterrupted run: the state every killed run must converge to", async () => {
        const t = await rig.target(kind);
        const res = await rig.start(t, { controllers: true }).done;
        expect(failureLines(res.stderr), res.stderr).toEqual([]);
        expect(res.code, res.stderr).toBe(0);
        await rig.expectConverged(t);
      });

      for (const point of KILL_POINTS.filter((p) => p.kinds.includes(kind))) {
        it(`SIGKILL at ${point.step}: the next run converges`, async (ctx) => {
          const t = await rig.target(kind);
          ctx.onTestFinished(() => rig.clearFaults());
          // No controllers played during the killed run: nothing in it can finish early (the
          // real ones, where they run, have nothing to reconcile before the sync apply, and
          // the wait is killed at its first line).
          const first = rig.start(t);
          if (point.at) {
            const { proxy, rule } = point.at(t);
            const p = rig.proxies[proxy];
            const before = p.injected.length;
            p.inject(rule);
            await Promise.race([
              p.injectedCount(before + 1),
              first.done.then((r) => {
                throw new Error(`the bootstrap ended before ${point.step} (exit ${r.code}):\n${r.stderr}`);
              }),
            ]);
          } else {
            const line = must(point.line, `a kill point's line or fault at ${point.step}`);
            await until(() => line.test(first.stderr), line.source, first);
          }
          const killed = await first.kill();
          expect(killed.signal).toBe("SIGKILL");
          rig.clearFaults();
          // The kill happened where the row says.
          const left = await rig.state(t);
          const pushed = left.messages.filter((m) => m !== "Initial commit");
          expect(pushed.map((m) => (m.startsWith("Add Flux sync") ? "sync" : "components")).reverse()).toEqual(
            point.left.pushed,
          );
          if (point.left.secret !== undefined) expect(left.secrets.includes("flux-system")).toBe(point.left.secret);
          if (point.left.deployKey !== undefined) expect(left.deployKeys).toHaveLength(point.left.deployKey ? 1 : 0);

          const second = await rig.start(t, { controllers: true }).done;
          expect(failureLines(second.stderr), second.stderr).toEqual([]);
          expect(second.code, second.stderr).toBe(0);
          await rig.expectConverged(t);
          recordScenario(ctx, {
            family: family(kind),
            server: point.at ? point.at(t).proxy : "—",
            fault: `SIGKILL at ${point.step}`,
            expected: "converged",
            injected: 1,
            category: "kill",
          });
        });
      }
    });
  }
}
