// kstatus-style readiness as upstream flux computes it for dynamic objects.
import { describe, expect, it } from "vitest";
import { objectState, isSuspended } from "../../../src/kube/status.js";
import type { KubeObject } from "../../../src/kube/rest.js";

const obj = (generation: number, status?: Record<string, unknown>, spec?: Record<string, unknown>): KubeObject => ({
  metadata: { name: "x", namespace: "ns", generation },
  ...(spec ? { spec } : {}),
  ...(status ? { status } : {}),
});
const ready = (s: string, message = "m", observedGeneration?: number) => ({
  type: "Ready",
  status: s,
  reason: "r",
  message,
  observedGeneration,
});

describe("objectState", () => {
  it("is InProgress until reconciled for the latest generation", () => {
    expect(objectState(obj(1)).state).toBe("InProgress");
    expect(objectState(obj(2, { observedGeneration: 1, conditions: [ready("True")] })).state).toBe("InProgress");
    expect(objectState(obj(2, { observedGeneration: 2, conditions: [ready("True", "m", 1)] })).state).toBe(
      "InProgress",
    );
    expect(objectState(obj(2, { observedGeneration: 2 })).state).toBe("InProgress");
  });

  it("is Ready with Ready=True for the current generation", () => {
    expect(objectState(obj(2, { observedGeneration: 2, conditions: [ready("True", "ok", 2)] }))).toEqual({
      state: "Ready",
      message: "ok",
    });
    // Conditions without observedGeneration (HelmRelease, ImageUpdateAutomation) use status.observedGeneration.
    expect(objectState(obj(3, { observedGeneration: 3, conditions: [ready("True", "ok")] })).state).toBe("Ready");
  });

  it("waits while Reconciling, fails when Stalled or settled with Ready=False", () => {
    const base = { observedGeneration: 1 };
    expect(
      objectState(
        obj(1, {
          ...base,
          conditions: [ready("False", "building"), { type: "Reconciling", status: "True", message: "building" }],
        }),
      ).state,
    ).toBe("InProgress");
    expect(
      objectState(
        obj(1, {
          ...base,
          conditions: [ready("False", "bad path"), { type: "Stalled", status: "True", message: "invalid spec" }],
        }),
      ),
    ).toEqual({
      state: "Failed",
      message: "invalid spec: bad path",
      stalled: true,
    });
    const gaveUp = { type: "Stalled", status: "True", message: "Failed to install after 1 attempt(s)" };
    expect(objectState(obj(1, { ...base, conditions: [ready("False", gaveUp.message), gaveUp] })).message).toBe(
      gaveUp.message,
    );
    expect(objectState(obj(1, { ...base, conditions: [ready("True", "ok"), gaveUp] })).message).toBe(gaveUp.message);
    expect(objectState(obj(1, { ...base, conditions: [ready("False", "auth failed")] }))).toEqual({
      state: "Failed",
      message: "auth failed",
      stalled: false,
    });
    expect(objectState(obj(1, { ...base, conditions: [ready("Unknown", "progressing")] })).state).toBe("InProgress");
  });

  it("requires the requested reconciliation to be handled", () => {
    const st = { observedGeneration: 1, conditions: [ready("True")], lastHandledReconcileAt: "a" };
    expect(objectState(obj(1, st), "b").state).toBe("InProgress");
    expect(objectState(obj(1, st), "a").state).toBe("Ready");
  });

  it("accepts a later request handled meanwhile, not an earlier one", () => {
    const st = (handled: string) => ({
      observedGeneration: 1,
      conditions: [ready("True")],
      lastHandledReconcileAt: handled,
    });
    expect(objectState(obj(1, st("2024-01-01T00:00:02.5Z")), "2024-01-01T00:00:02.123456Z").state).toBe("Ready");
    expect(objectState(obj(1, st("2024-01-01T00:00:01Z")), "2024-01-01T00:00:02.123456Z").state).toBe("InProgress");
    expect(objectState(obj(1, st("not a time")), "2024-01-01T00:00:02Z").state).toBe("InProgress");
  });

  it("isSuspended reads spec.suspend", () => {
    expect(isSuspended(obj(1, undefined, { suspend: true }))).toBe(true);
    expect(isSuspended(obj(1))).toBe(false);
  });
});
