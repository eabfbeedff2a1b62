// Log parsing, filtering and formatting on lines recorded from a Flux controller.
import { describe, expect, it } from "vitest";
import {
  formatLogEntry,
  matchesFilter,
  parseLogLine,
  pickLoggingPod,
  validateLogsOptions,
  type LogEntry,
} from "../../../src/ops/logs.js";

// Lines recorded from a kustomize-controller (zap JSON, plus a klog line that is skipped).
const RECORDED = String.raw`{"level":"info","ts":"2024-05-02T10:11:12.345Z","msg":"starting server","kind":"health probe","addr":"[::]:9440"}
{"level":"info","ts":"2024-05-02T10:11:13.000Z","logger":"controller-runtime.metrics","msg":"Starting metrics server"}
{"level":"info","ts":"2024-05-02T10:12:00.123Z","msg":"server-side apply completed","controller":"kustomization","controllerGroup":"kustomize.toolkit.fluxcd.io","controllerKind":"Kustomization","Kustomization":{"name":"apps","namespace":"flux-system"},"namespace":"flux-system","name":"apps","reconcileID":"4f7c","output":{"Deployment/default/podinfo":"configured"},"revision":"main@sha1:696f056df216eea4f9401adbee0ff744d4df390f"}
I0502 10:12:01.000000       1 leaderelection.go:250] attempting to acquire leader lease flux-system/kustomize-controller-leader-election...
{"level":"error","ts":"2024-05-02T10:13:00.000Z","msg":"Reconciler error","controller":"kustomization","controllerGroup":"kustomize.toolkit.fluxcd.io","controllerKind":"Kustomization","namespace":"apps","name":"podinfo","reconcileID":"9a1b","error":"kustomization path not found: stat /tmp/kustomization-1/apps: no such file or directory"}
{"level":"debug","ts":"2024-05-02T10:14:00.000Z","msg":"dependencies do not meet ready condition, retrying in 30s","controllerKind":"Kustomization","namespace":"flux-system","name":"infra","reconciler kind":"Kustomization"}`;
const lines = RECORDED.split("\n");
const entries = lines.map(parseLogLine).filter((e): e is LogEntry => e !== undefined);
const base = { namespace: "flux-system", allNamespaces: false };
const render = (f: Parameters<typeof matchesFilter>[1]) =>
  entries
    .filter((e) => matchesFilter(e, f))
    .map(formatLogEntry)
    .join("");

describe("flux logs formatting", () => {
  it("skips non-JSON lines and throws on broken JSON", () => {
    expect(entries).toHaveLength(5);
    expect(() => parseLogLine("{not json")).toThrow();
  });

  it("prints upstream's line format for the Flux namespace by default", () => {
    expect(render(base)).toBe(
      "2024-05-02T10:12:00.123Z info Kustomization/apps.flux-system - server-side apply completed \n" +
        "2024-05-02T10:14:00.000Z debug Kustomization/infra.flux-system - dependencies do not meet ready condition, retrying in 30s \n",
    );
  });

  it("filters by level, kind, name and across namespaces", () => {
    expect(render({ ...base, allNamespaces: true, level: "error" })).toBe(
      "2024-05-02T10:13:00.000Z error Kustomization/podinfo.apps - Reconciler error kustomization path not found: stat /tmp/kustomization-1/apps: no such file or directory\n",
    );
    expect(render({ ...base, kind: "kustomization", name: "APPS" })).toBe(
      "2024-05-02T10:12:00.123Z info Kustomization/apps.flux-system - server-side apply completed \n",
    );
    expect(render({ ...base, kind: "GitRepository" })).toBe("");
    expect(render({ namespace: "apps", allNamespaces: false })).toContain("podinfo.apps");
  });

  it("lines without an object print the controller kind only", () => {
    expect(formatLogEntry({ ts: "t", level: "info", msg: "hello" })).toBe("t info  - hello \n");
  });
});

describe("flux logs options", () => {
  it("maps --tail, --since and --since-time to the log API, validates them", () => {
    expect(validateLogsOptions({ tail: 10, since: "2m" })).toEqual({ tailLines: 10, sinceSeconds: 120 });
    expect(validateLogsOptions({ tail: -1, sinceTime: "2024-05-02T10:00:00+02:00" })).toEqual({
      sinceTime: "2024-05-02T08:00:00Z",
    });
    expect(() => validateLogsOptions({ tail: -1, since: "1m", sinceTime: "2024-05-02T10:00:00Z" })).toThrow(
      "at most one of `sinceTime` or `sinceDuration` may be specified",
    );
    expect(() => validateLogsOptions({ tail: -1, sinceTime: "yesterday" })).toThrow(
      "yesterday is not a valid (RFC3339) time",
    );
    expect(() => validateLogsOptions({ tail: -1, level: "warn" })).toThrow(
      "unsupported log level 'warn', must be one of: debug, info, error",
    );
    expect(() => validateLogsOptions({ tail: Number("x") })).toThrow(/--tail/);
  });

  it("prefers scheduled, running, ready pods", () => {
    const pod = (name: string, phase: string, ready: boolean, nodeName?: string) => ({
      metadata: { name },
      spec: { nodeName },
      status: { phase, conditions: [{ type: "Ready", status: ready ? "True" : "False" }] },
    });
    expect(
      pickLoggingPod([pod("a", "Pending", false), pod("b", "Running", false, "n1"), pod("c", "Running", true, "n1")])
        ?.metadata.name,
    ).toBe("c");
    expect(pickLoggingPod([])).toBeUndefined();
  });
});
