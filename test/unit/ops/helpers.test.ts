import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { kindInfo } from "../../../src/kinds/registry.js";
import { rfc3339Nano } from "../../../src/ops/reconcile.js";
import { exportObject, stdinConfirm } from "../../../src/ops/verbs.js";
import { parseStatusSelector, statusMatches } from "../../../src/ops/get.js";
import { mapConcurrent } from "../../../src/ops/common.js";
import { must } from "../../support/must.js";

describe("rfc3339Nano", () => {
  it("formats like Go's RFC3339Nano in UTC, trailing zeros trimmed", () => {
    expect(rfc3339Nano(new Date("2024-01-02T03:04:05.120Z"), 0)).toBe("2024-01-02T03:04:05.12Z");
    expect(rfc3339Nano(new Date("2024-01-02T03:04:05.000Z"), 0)).toBe("2024-01-02T03:04:05Z");
    expect(rfc3339Nano(new Date("2024-01-02T03:04:05.001Z"), 42)).toBe("2024-01-02T03:04:05.001000042Z");
  });
});

describe("exportObject", () => {
  it("keeps apiVersion, kind, name, namespace, labels, annotations and spec only", () => {
    const k = must(kindInfo("Kustomization"), "the Kustomization kind");
    const out = exportObject(k, {
      apiVersion: "kustomize.toolkit.fluxcd.io/v1",
      kind: "Kustomization",
      metadata: {
        name: "a",
        namespace: "ns",
        uid: "u",
        resourceVersion: "1",
        generation: 2,
        creationTimestamp: "2024-01-01T00:00:00Z",
        managedFields: [{}],
        labels: {},
        annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}" },
      },
      spec: { prune: true },
      status: { observedGeneration: 2 },
    });
    expect(out).toEqual({
      apiVersion: "kustomize.toolkit.fluxcd.io/v1",
      kind: "Kustomization",
      metadata: { name: "a", namespace: "ns" },
      spec: { prune: true },
    });
  });
});

describe("stdinConfirm", () => {
  const run = async (input: string | null) => {
    const stdin = new PassThrough();
    let err = "";
    const p = stdinConfirm(stdin, { write: (s: string) => (err += s) })("Are you sure you want to delete this alert");
    if (input === null) stdin.end();
    else stdin.write(input);
    return { answer: await p, err };
  };
  it("accepts y and yes, declines anything else and end of input", async () => {
    expect((await run("y\n")).answer).toBe(true);
    expect((await run("YES\n")).answer).toBe(true);
    expect((await run("n\n")).answer).toBe(false);
    expect((await run("\n")).answer).toBe(false);
    expect((await run(null)).answer).toBe(false);
    expect((await run("y\n")).err).toBe("? Are you sure you want to delete this alert? [y/N] \n");
  });
});

describe("status selector", () => {
  it("parses type=status and type!=status and matches case-insensitively", () => {
    expect(parseStatusSelector("ready=false")).toEqual({ type: "ready", status: "false", negate: false });
    expect(parseStatusSelector("Ready!=True")).toEqual({ type: "Ready", status: "True", negate: true });
    expect(() => parseStatusSelector("ready")).toThrow(
      "expected status selector in type=status or type!=status format, but found: ready",
    );
    const obj = { metadata: { name: "x" }, status: { conditions: [{ type: "Ready", status: "False" }] } };
    expect(statusMatches(obj, "ready", "false")).toBe(true);
    expect(statusMatches(obj, "Healthy", "false")).toBe(false);
  });
});

describe("mapConcurrent", () => {
  it("keeps order and bounds concurrency", async () => {
    let running = 0;
    let peak = 0;
    const out = await mapConcurrent([5, 1, 3, 2, 4], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 30, 20, 40]);
    expect(peak).toBe(2);
  });
});
