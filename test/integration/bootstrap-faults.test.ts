// Fault tables for bootstrap git, github and gitlab: the built CLI bootstraps through a
// fault proxy in front of the git server, the GitHub or GitLab contract server and the
// API server (test/support/bootstrap-rig.ts), and one fault is injected per row. Each row
// either retries (or waits as told) and ends in the state of an uninterrupted run, or
// prints one ✗ line, exits non-zero and leaves nothing half-written: no deploy key
// without its secret, no commit beyond the ones already complete, and a run without the
// fault then converges to the uninterrupted state.
import { describe, expect, it } from "vitest";
import {
  TOKEN,
  gitPath,
  literal,
  useBootstrapRig,
  type BootstrapKind,
  type BootstrapState,
  type BootstrapTarget,
} from "../support/bootstrap-rig.js";
import type { FaultRule } from "../support/fault-proxy.js";
import { failureLines, faultTable, type Outcome } from "../support/reliability.js";

const rig = useBootstrapRig();

type Server = "git" | "github" | "gitlab" | "kube";
const SERVER_NAMES: Record<Server, string> = {
  git: "git server",
  github: "GitHub contract server",
  gitlab: "GitLab contract server",
  kube: "kube-apiserver",
};
const tables = Object.fromEntries(
  (Object.keys(SERVER_NAMES) as Server[]).map((s) => [s, faultTable(() => rig.proxies[s], SERVER_NAMES[s])]),
) as Record<Server, ReturnType<typeof faultTable>>;

const ADVERTISE = "info/refs\\?service=git-upload-pack";
const UPLOAD_PACK = "git-upload-pack$";
const RECEIVE_PACK = "git-receive-pack$";
const keysPath = (t: BootstrapTarget) =>
  t.kind === "github" ? new RegExp(`^/repos/${literal(t.repo)}/keys$`) : /^\/api\/v4\/projects\/[^/]+\/deploy_keys$/;
const repoPath = (t: BootstrapTarget) =>
  t.kind === "github"
    ? new RegExp(`^/repos/${literal(t.repo)}$`)
    : new RegExp(`^/api/v4/projects/${literal(encodeURIComponent(t.repo))}$`);

interface Row {
  name: string;
  server: Server;
  rule: (t: BootstrapTarget) => FaultRule;
  expected: Outcome;
  /** Extra flags for the run (e.g. a short --timeout for a stall). */
  extra?: string[];
  /** For a clear failure: the ✗ line, and what the failed run left. */
  failure?: { line: RegExp; left: (s: BootstrapState, t: BootstrapTarget) => void };
}

const STALL = { kind: "stall" as const, stallMs: 60_000 };

const gitRows: Row[] = [
  {
    name: "reset mid-response on the clone's ref advertisement",
    server: "git",
    rule: (t) => ({ method: "GET", path: gitPath(t, ADVERTISE), fault: { kind: "reset" } }),
    expected: "retried, succeeded",
  },
  {
    name: "503 twice on the clone",
    server: "git",
    rule: (t) => ({ method: "GET", path: gitPath(t, ADVERTISE), fault: { kind: "status", status: 503 }, times: 2 }),
    expected: "retried, succeeded",
  },
  {
    name: "429 with Retry-After on the clone",
    server: "git",
    rule: (t) => ({ method: "GET", path: gitPath(t, ADVERTISE), fault: { kind: "retry-after", retryAfterSeconds: 1 } }),
    expected: "waited, succeeded",
  },
  {
    name: "502 on the push",
    server: "git",
    rule: (t) => ({ method: "POST", path: gitPath(t, RECEIVE_PACK), fault: { kind: "status", status: 502 } }),
    expected: "retried, succeeded",
  },
  {
    name: "reset after the push was stored",
    server: "git",
    rule: (t) => ({ method: "POST", path: gitPath(t, RECEIVE_PACK), fault: { kind: "reset" } }),
    expected: "converged",
  },
  {
    name: "500 on every push",
    server: "git",
    rule: (t) => ({ method: "POST", path: gitPath(t, RECEIVE_PACK), fault: { kind: "status", status: 500 }, times: 3 }),
    expected: "clear failure",
    failure: {
      line: /^✗ .*(500|Internal Server Error)/,
      left: (s) => {
        expect(
          s.messages.filter((m) => m !== "Initial commit"),
          "nothing pushed",
        ).toEqual([]);
        expect(s.secrets, "the cluster untouched").toEqual([]);
      },
    },
  },
  {
    name: "a stall on the clone past --timeout",
    server: "git",
    // Every attempt of the clone (3) stalls.
    rule: (t) => ({ method: "GET", path: gitPath(t, ADVERTISE), fault: STALL, times: 3 }),
    expected: "clear failure",
    extra: ["--timeout=5s"],
    failure: {
      line: /^✗ .*(did not answer|timed out|timeout)/i,
      left: (s) => {
        expect(s.messages.filter((m) => m !== "Initial commit")).toEqual([]);
        expect(s.secrets).toEqual([]);
      },
    },
  },
];

const kubeRows: Row[] = [
  {
    name: "503 on the source secret's create",
    server: "kube",
    rule: (t) => ({
      method: "POST",
      path: new RegExp(`/namespaces/${t.ns}/secrets`),
      fault: { kind: "status", status: 503 },
    }),
    expected: "retried, succeeded",
  },
  {
    name: "reset after the source secret was created",
    server: "kube",
    rule: (t) => ({ method: "POST", path: new RegExp(`/namespaces/${t.ns}/secrets`), fault: { kind: "reset" } }),
    expected: "converged",
  },
  {
    name: "429 with Retry-After on the components' apply",
    server: "kube",
    rule: (t) => ({
      method: "PATCH",
      path: new RegExp(`/apis/apps/v1/namespaces/${t.ns}/deployments/`),
      fault: { kind: "retry-after", retryAfterSeconds: 1 },
    }),
    expected: "waited, succeeded",
  },
  {
    name: "502 on the sync apply",
    server: "kube",
    rule: (t) => ({
      method: "PATCH",
      path: new RegExp(`/namespaces/${t.ns}/kustomizations/${t.ns}`),
      fault: { kind: "status", status: 502 },
    }),
    expected: "retried, succeeded",
  },
  {
    name: "truncated body while waiting for the Kustomization",
    server: "kube",
    rule: (t) => ({
      method: "GET",
      path: new RegExp(`/namespaces/${t.ns}/kustomizations/${t.ns}`),
      fault: { kind: "truncate" },
    }),
    expected: "retried, succeeded",
  },
  {
    name: "500 on the components' apply",
    server: "kube",
    rule: (t) => ({
      method: "PATCH",
      path: new RegExp(`/apis/apps/v1/namespaces/${t.ns}/deployments/`),
      fault: { kind: "status", status: 500 },
    }),
    expected: "clear failure",
    failure: {
      line: /^✗ .*500/,
      left: (s) => {
        // The components commit is complete and stays; nothing after the failed step.
        expect(s.messages.filter((m) => m !== "Initial commit")).toEqual([
          expect.stringMatching(/component manifests$/),
        ]);
        expect(s.secrets).toEqual([]);
      },
    },
  },
];

const providerRows: Row[] = [
  {
    name: "502 twice on the repository lookup",
    server: "github",
    rule: (t) => ({ method: "GET", path: repoPath(t), fault: { kind: "status", status: 502 }, times: 2 }),
    expected: "retried, succeeded",
  },
  {
    name: "reset mid-response on the repository lookup",
    server: "github",
    rule: (t) => ({ method: "GET", path: repoPath(t), fault: { kind: "reset" } }),
    expected: "retried, succeeded",
  },
  {
    name: "truncated body on the repository lookup",
    server: "github",
    rule: (t) => ({ method: "GET", path: repoPath(t), fault: { kind: "truncate" } }),
    expected: "retried, succeeded",
  },
  {
    name: "429 with Retry-After on the deploy key",
    server: "github",
    rule: (t) => ({ method: "POST", path: keysPath(t), fault: { kind: "retry-after", retryAfterSeconds: 1 } }),
    expected: "waited, succeeded",
  },
  {
    name: "reset after the deploy key was registered",
    server: "github",
    rule: (t) => ({ method: "POST", path: keysPath(t), fault: { kind: "reset" } }),
    expected: "converged",
  },
  {
    name: "truncated pack during the clone",
    server: "git",
    rule: (t) => ({ method: "POST", path: gitPath(t, UPLOAD_PACK), fault: { kind: "truncate" }, skip: 1 }),
    expected: "retried, succeeded",
  },
  {
    name: "503 on every deploy key registration",
    server: "github",
    rule: (t) => ({ method: "POST", path: keysPath(t), fault: { kind: "status", status: 503 }, times: 4 }),
    expected: "clear failure",
    failure: {
      line: /^✗ .*503/,
      left: (s) => {
        expect(s.deployKeys, "no deploy key").toEqual([]);
        // The secret comes first, so the next run registers its key (no orphan key).
        expect(s.secrets).toEqual(["flux-system"]);
        expect(s.messages.filter((m) => m !== "Initial commit")).toEqual([
          expect.stringMatching(/component manifests$/),
        ]);
      },
    },
  },
  {
    name: "a stall on the repository lookup past --timeout",
    server: "github",
    rule: (t) => ({ method: "GET", path: repoPath(t), fault: STALL }),
    expected: "clear failure",
    extra: ["--timeout=5s"],
    failure: {
      line: /^✗ .*(did not answer|timed out|timeout)/i,
      left: (s) => {
        expect(s.messages).toEqual([]);
        expect(s.deployKeys).toEqual([]);
        expect(s.secrets).toEqual([]);
      },
    },
  },
];

const TABLES: [BootstrapKind, Row[]][] = [
  ["git", [...gitRows, ...kubeRows]],
  ["github", providerRows],
  ["gitlab", providerRows.map((r) => (r.server === "github" ? { ...r, server: "gitlab" } : r))],
];

for (const [kind, rows] of TABLES) {
  describe(`bootstrap ${kind} through faults`, () => {
    for (const row of rows) {
      it(`${row.name}: ${row.expected === "clear failure" ? "one ✗ line, exit 1, nothing half-written" : "the state of an uninterrupted run"}`, async (ctx) => {
        const t = await rig.target(kind);
        ctx.onTestFinished(() => rig.clearFaults());
        const res = await tables[row.server](
          ctx,
          `bootstrap ${kind}`,
          row.rule(t),
          row.expected,
          () => rig.start(t, { controllers: true, extra: row.extra }).done,
        );
        expect(res.stdout + res.stderr).not.toContain(TOKEN);
        if (!row.failure) {
          expect(failureLines(res.stderr), res.stderr).toEqual([]);
          expect(res.code, res.stderr).toBe(0);
          await rig.expectConverged(t);
          return;
        }
        expect(res.code, res.stderr).toBe(1);
        expect(failureLines(res.stderr), res.stderr).toEqual([expect.stringMatching(row.failure.line)]);
        row.failure.left(await rig.state(t), t);
        rig.expectFastForwardOnly(t);
        // The next run, without the fault, finishes the job.
        const again = await rig.start(t, { controllers: true }).done;
        expect(again.code, again.stderr).toBe(0);
        await rig.expectConverged(t);
      });
    }
  });
}
