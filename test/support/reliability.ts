// Bookkeeping for the reliability scenarios: each test of a fault table records what
// it did in the test's meta, which vitest's JSON report keeps; scripts/reliability-report.mjs
// turns the report into docs/reliability.md.
import type { TestContext } from "vitest";
import type { Fault } from "./fault-proxy.js";

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
            : "stall past the timeout";
  return times > 1 ? `${what} ×${times}` : what;
}
