// Faults between tsflux and the API server (test/support/fault-proxy.ts), one test per
// row of each command family's table: the command either retries and succeeds with
// the same output as without the fault, or prints one ✗ line, exits non-zero and
// leaves nothing half-written.
import type { KubeConfig } from "@kubernetes/client-node";
import { beforeAll, describe, expect, it } from "vitest";
import {
  applyYaml,
  createNamespace,
  fluxRef,
  getObject,
  markReconciled,
  secretStrings,
  setArtifact,
  setReadyCondition,
  testKubeConfig,
  testKubeconfigPath,
  tryGetObject,
} from "../env/helpers.js";
import { runCli } from "../helpers/cli.js";
import { startKubeFaultProxy, type Fault, type FaultProxy, type FaultRule } from "../support/fault-proxy.js";
import { failureLines, faultTable, recordScenario, type Outcome } from "../support/reliability.js";
import { stopAfterAll } from "../support/teardown.js";

const REQ = "reconcile.fluxcd.io/requestedAt";
let kc: KubeConfig;
let proxy: FaultProxy;
const stopLater = stopAfterAll();
let kubeconfig: string;
let ns: string;
let baseline: string;

beforeAll(async () => {
  kc = await testKubeConfig();
  ns = await createNamespace(kc);
  await applyYaml(
    kc,
    `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: podinfo}
spec: {interval: 5m, url: https://github.com/stefanprodan/podinfo, ref: {branch: main}}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: website}
spec: {interval: 5m, url: https://github.com/fluxcd/website, ref: {branch: main}}
`,
    ns,
  );
  for (const name of ["podinfo", "website"]) {
    await setArtifact(kc, fluxRef("GitRepository", ns, name), "main@sha1:0123456789abcdef0123456789abcdef01234567");
    await setReadyCondition(kc, fluxRef("GitRepository", ns, name), true, "Succeeded", "stored artifact");
  }
  ({ proxy, kubeconfig } = await startKubeFaultProxy(await testKubeconfigPath(), { lifetimeMs: 15 * 60_000 }));
  stopLater(proxy);
  baseline = (await flux("get", "sources", "git", "-n", ns)).stdout;
  expect(baseline).toContain("podinfo");
});

const flux = (...args: string[]) => runCli(["--kubeconfig", kubeconfig, ...args]);

const withFault = faultTable(() => proxy, "kube-apiserver");

const LIST = /\/gitrepositories(\?|$)/;

describe("get against a faulty API server", () => {
  const recovers: [string, Fault, number][] = [
    ["reset mid-response", { kind: "reset" }, 1],
    ["truncated body", { kind: "truncate" }, 1],
    ["502", { kind: "status", status: 502 }, 1],
    ["503 twice", { kind: "status", status: 503 }, 2],
    ["429 with Retry-After", { kind: "retry-after", retryAfterSeconds: 1 }, 1],
  ];
  for (const [name, fault, times] of recovers) {
    it(`${name}: retried, the same table`, async (ctx) => {
      // The table without the fault, now: the reconcile rows change the objects' status.
      const baseline = (await flux("get", "sources", "git", "-n", ns)).stdout;
      const res = await withFault(
        ctx,
        "get",
        { fault, times, method: "GET", path: LIST },
        fault.kind === "retry-after" ? "waited, succeeded" : "retried, succeeded",
        () => flux("get", "sources", "git", "-n", ns),
      );
      expect(res.stderr).toBe("");
      expect(res.stdout).toBe(baseline);
      expect(res.code).toBe(0);
    });
  }

  it("500: one ✗ line, exit 1, no table", async (ctx) => {
    const res = await withFault(
      ctx,
      "get",
      { fault: { kind: "status", status: 500 }, method: "GET", path: LIST },
      "clear failure",
      () => flux("get", "sources", "git", "-n", ns),
    );
    expect(res.code).toBe(1);
    expect(res.stdout).toBe("");
    expect(failureLines(res.stderr)).toEqual([expect.stringMatching(/^✗ .*500 Internal Server Error/)]);
  });

  it("503 beyond the retry budget: one ✗ line, exit 1", async (ctx) => {
    const res = await withFault(
      ctx,
      "get",
      { fault: { kind: "status", status: 503 }, times: 5, method: "GET", path: LIST },
      "clear failure",
      () => flux("get", "sources", "git", "-n", ns),
    );
    expect(res.code).toBe(1);
    expect(res.stdout).toBe("");
    expect(failureLines(res.stderr)).toEqual([expect.stringMatching(/^✗ .*503 Service Unavailable/)]);
  });

  it("a stall past the timeout: one ✗ line naming the wait, exit 1", async (ctx) => {
    const res = await withFault(
      ctx,
      "get",
      { fault: { kind: "stall" }, method: "GET", path: LIST },
      "clear failure",
      () => flux("get", "sources", "git", "-n", ns, "--timeout", "2s"),
    );
    expect(res.code).toBe(1);
    expect(res.stdout).toBe("");
    expect(failureLines(res.stderr)).toEqual([
      expect.stringMatching(
        /^✗ the Kubernetes API server at https:\/\/127\.0\.0\.1:\d+ did not answer GET \/apis\/source\.toolkit\.fluxcd\.io\/v1\/namespaces\/.*\/gitrepositories within 10s$/,
      ),
    ]);
  });
});

/** Plays source-controller: answers each new reconcile request as handled. */
function standIn(name: string): () => Promise<void> {
  const stop = new AbortController();
  const loop = (async () => {
    while (!stop.signal.aborted) {
      const obj = await tryGetObject(kc, fluxRef("GitRepository", ns, name)).catch(() => undefined);
      const asked = obj?.metadata.annotations?.[REQ];
      if (asked && (obj.status as { lastHandledReconcileAt?: string } | undefined)?.lastHandledReconcileAt !== asked)
        await markReconciled(kc, fluxRef("GitRepository", ns, name), asked).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return async () => {
    stop.abort();
    await loop;
  };
}

const OBJECT = /\/gitrepositories\/website(\?|$)/;

describe("reconcile against a faulty API server", () => {
  const recovers: [string, FaultRule, Outcome][] = [
    [
      "502 on the annotation patch",
      { fault: { kind: "status", status: 502 }, method: "PATCH", path: OBJECT },
      "retried, succeeded",
    ],
    [
      "reset after the annotation patch was applied",
      { fault: { kind: "reset" }, method: "PATCH", path: OBJECT },
      "retried, succeeded",
    ],
    [
      "429 on the annotation patch",
      { fault: { kind: "retry-after", retryAfterSeconds: 1 }, method: "PATCH", path: OBJECT },
      "waited, succeeded",
    ],
    [
      "reset while reading the object back",
      { fault: { kind: "reset" }, method: "GET", path: OBJECT },
      "retried, succeeded",
    ],
  ];
  for (const [name, rule, expected] of recovers) {
    it(`${name}: retried, reconciled`, async (ctx) => {
      const stop = standIn("website");
      try {
        const res = await withFault(ctx, "reconcile", rule, expected, () =>
          flux("reconcile", "source", "git", "website", "-n", ns, "--timeout", "30s"),
        );
        expect(failureLines(res.stderr)).toEqual([]);
        expect(res.stderr).toContain("✔ fetched revision main@sha1:0123456789abcdef0123456789abcdef01234567");
        expect(res.code).toBe(0);
      } finally {
        await stop();
      }
    });
  }

  it("500 on the annotation patch: one ✗ line, exit 1, no request annotation", async (ctx) => {
    const before = (await getObject(kc, fluxRef("GitRepository", ns, "podinfo"))).metadata.annotations?.[REQ];
    const res = await withFault(
      ctx,
      "reconcile",
      { fault: { kind: "status", status: 500 }, method: "PATCH", path: /\/gitrepositories\/podinfo(\?|$)/ },
      "clear failure",
      () => flux("reconcile", "source", "git", "podinfo", "-n", ns, "--timeout", "5s"),
    );
    expect(res.code).toBe(1);
    expect(failureLines(res.stderr)).toHaveLength(1);
    expect(res.stderr).not.toContain("✔");
    expect((await getObject(kc, fluxRef("GitRepository", ns, "podinfo"))).metadata.annotations?.[REQ]).toBe(before);
  });
});

const SECRETS = /\/secrets(\/[^/?]+)?(\?|$)/;

describe("create secret against a faulty API server", () => {
  const create = (name: string, password: string) =>
    flux("create", "secret", "git", name, "--url=https://github.com/x/y", "-u", "git", "-p", password, "-n", ns);

  const recovers: [string, FaultRule, Outcome][] = [
    [
      "503 on the create",
      { fault: { kind: "status", status: 503 }, method: "POST", path: SECRETS },
      "retried, succeeded",
    ],
    ["reset after the create was stored", { fault: { kind: "reset" }, method: "POST", path: SECRETS }, "converged"],
    [
      "429 on the create",
      { fault: { kind: "retry-after", retryAfterSeconds: 1 }, method: "POST", path: SECRETS },
      "waited, succeeded",
    ],
    [
      "truncated answer to the existence check",
      { fault: { kind: "truncate" }, method: "GET", path: SECRETS },
      "retried, succeeded",
    ],
  ];
  recovers.forEach(([name, rule, expected], i) => {
    it(`${name}: one Secret with the given data`, async (ctx) => {
      const secret = `creds-${i}`;
      const res = await withFault(ctx, "create", rule, expected, () => create(secret, `pw-${i}`));
      expect(failureLines(res.stderr)).toEqual([]);
      expect(res.code).toBe(0);
      expect(res.stderr + res.stdout).not.toContain(`pw-${i}`);
      expect(await secretStrings(kc, ns, secret)).toMatchObject({ username: "git", password: `pw-${i}` });
    });
  });

  it("500 on the create: one ✗ line, exit 1, no Secret", async (ctx) => {
    const res = await withFault(
      ctx,
      "create",
      { fault: { kind: "status", status: 500 }, method: "POST", path: SECRETS },
      "clear failure",
      () => create("creds-500", "pw-500"),
    );
    expect(res.code).toBe(1);
    expect(failureLines(res.stderr)).toHaveLength(1);
    expect(res.stderr).not.toContain("pw-500");
    expect(await secretStrings(kc, ns, "creds-500")).toBeUndefined();
  });

  it("two creates of the same Secret at once: both succeed, one sound Secret", async (ctx) => {
    const [a, b] = await Promise.all([create("creds-race", "pw-race"), create("creds-race", "pw-race")]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(failureLines(a.stderr + b.stderr)).toEqual([]);
    expect(await secretStrings(kc, ns, "creds-race")).toMatchObject({ username: "git", password: "pw-race" });
    recordScenario(ctx, {
      family: "create",
      server: "kube-apiserver",
      fault: "two creates of one object at once",
      expected: "converged",
      injected: 0,
    });
  });
});
