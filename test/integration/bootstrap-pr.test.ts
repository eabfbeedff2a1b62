// bootstrap github and gitlab in pull-request mode (--pr) through faults and kills: the
// manifests go to the request's branch, the request is opened, and the run waits until
// a reviewer (the test, merging every open request) merges it, then does the cluster
// side. Each fault row either retries (or waits as told) and ends in the state of an
// uninterrupted run — one commit of each kind on main, one request and it merged, one
// deploy key, one Secret, Ready — or prints one ✗ line, exits 1 and leaves main and the
// cluster untouched, and a run without the fault converges. Each kill row SIGKILLs the
// run at a step of the request (its push, its creation, the wait for its merge) and
// runs it again.
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
import { until } from "../support/cli-process.js";
import type { FaultRule } from "../support/fault-proxy.js";
import { failureLines, faultTable, recordScenario, type Outcome } from "../support/reliability.js";
import { must } from "../support/must.js";

const rig = useBootstrapRig();

type Server = "git" | "provider";
const KINDS: ("github" | "gitlab")[] = ["github", "gitlab"];
const serverName = (kind: BootstrapKind, s: Server) =>
  s === "git" ? "git server" : kind === "github" ? "GitHub contract server" : "GitLab contract server";
const proxyOf = (kind: BootstrapKind, s: Server) =>
  s === "git" ? rig.proxies.git : kind === "github" ? rig.proxies.github : rig.proxies.gitlab;

const RECEIVE_PACK = "git-receive-pack$";
/** The request's creation (POST) or its list (GET ?head= / ?source_branch=). */
const requestsPath = (t: BootstrapTarget) =>
  t.kind === "github"
    ? new RegExp(`^/repos/${literal(t.repo)}/pulls(\\?.*)?$`)
    : /^\/api\/v4\/projects\/[^/]+\/merge_requests(\?.*)?$/;
/** One request, read while waiting for the merge. */
const requestPath = (t: BootstrapTarget) =>
  t.kind === "github"
    ? new RegExp(`^/repos/${literal(t.repo)}/pulls/1$`)
    : /^\/api\/v4\/projects\/[^/]+\/merge_requests\/1$/;

interface Row {
  name: string;
  server: Server;
  rule: (t: BootstrapTarget) => FaultRule;
  expected: Outcome;
  failure?: { line: RegExp; left: (s: BootstrapState) => void };
}

const ROWS: Row[] = [
  {
    name: "502 on the push to the request's branch",
    server: "git",
    rule: (t) => ({ method: "POST", path: gitPath(t, RECEIVE_PACK), fault: { kind: "status", status: 502 } }),
    expected: "retried, succeeded",
  },
  {
    name: "reset after the push to the request's branch was stored",
    server: "git",
    rule: (t) => ({ method: "POST", path: gitPath(t, RECEIVE_PACK), fault: { kind: "reset" } }),
    expected: "converged",
  },
  {
    name: "502 on the request's creation",
    server: "provider",
    rule: (t) => ({ method: "POST", path: requestsPath(t), fault: { kind: "status", status: 502 } }),
    expected: "retried, succeeded",
  },
  {
    name: "reset after the request was opened",
    server: "provider",
    rule: (t) => ({ method: "POST", path: requestsPath(t), fault: { kind: "reset" } }),
    expected: "converged",
  },
  {
    name: "429 with Retry-After while waiting for the merge",
    server: "provider",
    rule: (t) => ({ method: "GET", path: requestPath(t), fault: { kind: "retry-after", retryAfterSeconds: 1 } }),
    expected: "waited, succeeded",
  },
  {
    name: "truncated body while waiting for the merge",
    server: "provider",
    rule: (t) => ({ method: "GET", path: requestPath(t), fault: { kind: "truncate" } }),
    expected: "retried, succeeded",
  },
  {
    name: "503 on every lookup of the open requests",
    server: "provider",
    rule: (t) => ({ method: "GET", path: requestsPath(t), fault: { kind: "status", status: 503 }, times: 4 }),
    expected: "clear failure",
    failure: {
      line: /^✗ .*503/,
      left: (s) => {
        expect(s.messages, "main untouched").toEqual(["Initial commit"]);
        expect(s.changeRequests, "no request").toEqual([]);
        expect(s.secrets, "the cluster untouched").toEqual([]);
        expect(s.deployKeys).toEqual([]);
      },
    },
  },
];

for (const kind of KINDS) {
  describe(`bootstrap ${kind} --pr through faults`, () => {
    for (const row of ROWS) {
      it(`${row.name}: ${row.expected === "clear failure" ? "one ✗ line, exit 1, nothing half-written" : "the state of an uninterrupted run"}`, async (ctx) => {
        const t = await rig.target(kind, ["--pr"]);
        ctx.onTestFinished(() => rig.clearFaults());
        const review = rig.reviewer(t);
        ctx.onTestFinished(() => review());
        const table = faultTable(() => proxyOf(kind, row.server), serverName(kind, row.server));
        const res = await table(
          ctx,
          `bootstrap ${kind} --pr`,
          row.rule(t),
          row.expected,
          () => rig.start(t, { controllers: true }).done,
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
        row.failure.left(await rig.state(t));
        rig.expectFastForwardOnly(t);
        const again = await rig.start(t, { controllers: true }).done;
        expect(again.code, again.stderr).toBe(0);
        await rig.expectConverged(t);
      });
    }
  });
}

interface PrKillPoint {
  step: string;
  at?: (t: BootstrapTarget) => { server: Server; rule: FaultRule };
  line?: RegExp;
  /** What the killed run left: the request's branch pushed, and the requests. */
  left: { branchPushed: boolean; requests: string[] };
}

const PR_KILL_POINTS: PrKillPoint[] = [
  {
    step: "push to the request's branch",
    at: (t) => ({ server: "git", rule: { method: "POST", path: gitPath(t, RECEIVE_PACK), fault: { kind: "stall" } } }),
    left: { branchPushed: false, requests: [] },
  },
  {
    step: "push to the request's branch: pushed, the answer lost",
    at: (t) => ({ server: "git", rule: { method: "POST", path: gitPath(t, RECEIVE_PACK), fault: { kind: "hold" } } }),
    left: { branchPushed: true, requests: [] },
  },
  {
    step: "the request's creation: the branch pushed, no request opened",
    at: (t) => ({ server: "provider", rule: { method: "POST", path: requestsPath(t), fault: { kind: "stall" } } }),
    left: { branchPushed: true, requests: [] },
  },
  {
    step: "the request's creation: opened, the answer lost",
    at: (t) => ({ server: "provider", rule: { method: "POST", path: requestsPath(t), fault: { kind: "hold" } } }),
    left: { branchPushed: true, requests: ["open"] },
  },
  {
    step: "the wait for the merge",
    line: /◎ waiting for (pull|merge) request/,
    left: { branchPushed: true, requests: ["open"] },
  },
];

for (const kind of KINDS) {
  describe(`bootstrap ${kind} --pr, killed at each step of the request, then run again`, () => {
    for (const point of PR_KILL_POINTS) {
      it(`SIGKILL at ${point.step}: the next run converges`, async (ctx) => {
        const t = await rig.target(kind, ["--pr"]);
        ctx.onTestFinished(() => rig.clearFaults());
        // No reviewer during the killed run: the request stays open.
        const first = rig.start(t);
        if (point.at) {
          const { server, rule } = point.at(t);
          const p = proxyOf(kind, server);
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
        expect((await first.kill()).signal).toBe("SIGKILL");
        rig.clearFaults();
        const left = await rig.state(t);
        expect(left.messages, "main untouched").toEqual(["Initial commit"]);
        expect(rig.git.branches(t.repo).length > 1).toBe(point.left.branchPushed);
        expect(left.changeRequests).toEqual(point.left.requests);
        expect(left.secrets).toEqual([]);

        const review = rig.reviewer(t);
        ctx.onTestFinished(() => review());
        const second = await rig.start(t, { controllers: true }).done;
        expect(failureLines(second.stderr), second.stderr).toEqual([]);
        expect(second.code, second.stderr).toBe(0);
        await rig.expectConverged(t);
        recordScenario(ctx, {
          family: `bootstrap ${kind} --pr: kill and run again`,
          server: point.at ? serverName(kind, point.at(t).server) : "—",
          fault: `SIGKILL at ${point.step}`,
          expected: "converged",
          injected: 1,
          category: "kill",
        });
      });
    }
  });
}

for (const kind of KINDS) {
  describe(`bootstrap ${kind} --pr, the request's branch holding someone else's commit`, () => {
    it("one ✗ line naming the branch and what to do, exit 1; the branch, main and the cluster untouched", async (ctx) => {
      const t = await rig.target(kind, ["--pr"]);
      const branch = `flux-bootstrap-${t.ns}`;
      const [owner, name] = t.repo.split("/") as [string, string];
      if (kind === "github") await rig.gh.addRepo(owner, name, { "README.md": "x\n" });
      else await rig.gl.addProject(t.repo, { "README.md": "x\n" });
      rig.git.commitFiles(t.repo, branch, { "notes.txt": "mine\n" }, "Someone's notes");
      const theirs = rig.git.revParse(t.repo, `refs/heads/${branch}`);
      const res = await rig.start(t, { controllers: true }).done;
      expect(res.code, res.stderr).toBe(1);
      expect(failureLines(res.stderr), res.stderr).toEqual([
        `✗ branch "${branch}" already exists with 1 commit bootstrap did not make ("Someone's notes"): merge or delete it, or pass --pr-branch with another name, then run bootstrap again`,
      ]);
      expect(rig.git.revParse(t.repo, `refs/heads/${branch}`), "never forced").toBe(theirs);
      const s = await rig.state(t);
      expect(s.messages, "main untouched").toEqual(["Initial commit"]);
      expect(s.changeRequests).toEqual([]);
      expect(s.secrets).toEqual([]);
      expect(s.deployKeys).toEqual([]);
      recordScenario(ctx, {
        family: `bootstrap ${kind} --pr`,
        server: serverName(kind, "git"),
        fault: "the request's branch holds someone else's commit",
        expected: "clear failure",
        injected: 0,
        category: "fault",
      });
    });
  });
}
