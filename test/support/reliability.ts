// Bookkeeping for the reliability scenarios: each test of a fault table records what
// it did in the test's meta, which vitest's JSON report keeps; scripts/reliability-report.mjs
// turns the report into docs/reliability.md.
import { expect, type TestContext } from "vitest";
import type { Fault, FaultProxy, FaultRule } from "./fault-proxy.js";

/** What a scenario row expects of tsflux. */
export type Outcome = "retried, succeeded" | "waited, succeeded" | "clear failure" | "converged";

export interface ScenarioRecord {
  /** The command family ("get", "reconcile", "create", "bootstrap git", "push artifact", ...). */
  family: string;
  /** The server tsflux talked to through the fault proxy. */
  server: string;
  /** The fault, e.g. "reset mid-response", "503", "429 Retry-After 1s". */
  fault: string;
  expected: Outcome;
  /** Faults the proxy (or contract server) actually injected during the row. */
  injected: number;
  /**
   * "fault" (default): a fault injected between tsflux and a server; "kill": the process
   * is SIGKILLed and run again; "bad input": a malformed invocation.
   */
  category?: "fault" | "kill" | "bad input";
}

declare module "vitest" {
  interface TaskMeta {
    reliability?: ScenarioRecord;
  }
}

export function recordScenario(ctx: TestContext, rec: ScenarioRecord): void {
  ctx.task.meta.reliability = rec;
}

/** The ✗ lines of a command's stderr. */
export function failureLines(stderr: string): string[] {
  return stderr.split("\n").filter((l) => l.startsWith("✗"));
}

/** A fault as the scenario table names it. */
export function describeFault(f: Fault, times = 1): string {
  const what =
    f.kind === "status"
      ? `${f.status ?? 502}`
      : f.kind === "retry-after"
        ? `${f.status ?? 429} Retry-After ${f.retryAfterSeconds ?? 1}s`
        : f.kind === "reset"
          ? "reset mid-response"
          : f.kind === "truncate"
            ? "truncated body"
            : f.kind === "hold"
              ? "answer lost after the server acted"
              : "stall past the timeout";
  return times > 1 ? `${what} ×${times}` : what;
}

/**
 * The rows of a fault table against one server: `row(ctx, family, rule, expected, run)`
 * injects the rule, runs the command, checks that the proxy injected exactly the
 * rule's faults (none left over, none leaking into the next test) and records the row.
 * `proxy` is read when a row runs (proxies start in beforeAll).
 */
export function faultTable(proxy: () => FaultProxy, server: string) {
  return async function row<T>(
    ctx: TestContext,
    family: string,
    rule: FaultRule,
    expected: Outcome,
    run: () => Promise<T>,
  ): Promise<T> {
    const p = proxy();
    const before = p.injected.length;
    p.inject(rule);
    // A rule not used up would hit the next test: count it below, then drop it.
    ctx.onTestFinished(() => p.clear());
    const out = await run();
    const injected = p.injected.length - before;
    expect(injected, "faults injected").toBe(rule.times ?? 1);
    expect(p.pending()).toBe(0);
    recordScenario(ctx, { family, server, fault: describeFault(rule.fault, rule.times), expected, injected });
    return out;
  };
}
