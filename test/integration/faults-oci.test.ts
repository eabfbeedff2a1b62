// Faults between tsflux and a real OCI registry (Debian's docker-registry) through the
// fault proxy: push and pull artifact either retry and succeed with the artifact intact,
// or print one ✗ line, exit non-zero and leave no tag (push) or no file (pull) behind.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { startRegistry, type TestRegistry } from "../env/registry.js";
import { startFaultProxy, type FaultProxy, type FaultRule } from "../support/fault-proxy.js";
import { failureLines, faultTable, type Outcome } from "../support/reliability.js";
import { stopAfterAll } from "../support/teardown.js";

let reg: TestRegistry;
let proxy: FaultProxy;
let work: string;

const stopLater = stopAfterAll();

beforeAll(async () => {
  reg = stopLater(await startRegistry());
  proxy = stopLater(await startFaultProxy({ target: reg.url, lifetimeMs: 15 * 60_000 }));
  work = await mkdtemp(path.join(os.tmpdir(), "tsflux-faults-oci-"));
  // One artifact pushed without faults, for the pull rows.
  expect((await push("pull/app:v1")).code).toBe(0);
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

// The registry serves plain HTTP: --insecure-registry (HTTPS is tried first and refused).
// Each push has content of its own, so its blobs are never in the registry already.
const push = async (repoTag: string, ...extra: string[]) => {
  const dir = path.join(work, `src-${repoTag.replace(/\W/g, "-")}`);
  await mkdir(dir, { recursive: true });
  await writeFile(
    path.join(dir, "app.yaml"),
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata: {tag: "${repoTag}"}\n`,
  );
  return await runCli([
    "push",
    "artifact",
    `oci://${proxy.host}/${repoTag}`,
    "-f",
    dir,
    "--source",
    "https://example.com/repo.git",
    "--revision",
    "main@sha1:abc",
    "--insecure-registry",
    ...extra,
  ]);
};
/** Pulls into `out`, a new empty directory. */
const pull = async (repoTag: string, out: string, ...extra: string[]) => {
  await mkdir(out, { recursive: true });
  return await runCli([
    "pull",
    "artifact",
    `oci://${proxy.host}/${repoTag}`,
    "-o",
    out,
    "--insecure-registry",
    ...extra,
  ]);
};

/** Whether the registry itself (not through the proxy) has the tag. */
async function tagExists(repo: string, tag: string): Promise<boolean> {
  const res = await fetch(`${reg.url}/v2/${repo}/manifests/${tag}`, {
    method: "HEAD",
    headers: { Accept: "application/vnd.oci.image.manifest.v1+json" },
  });
  return res.status === 200;
}

const withFault = faultTable(() => proxy, "OCI registry");

const BLOB_UPLOAD = /\/blobs\/uploads\//;
const MANIFEST = /\/manifests\//;
const BLOB = /\/blobs\/sha256:/;

describe("push artifact to a faulty registry", () => {
  const recovers: [string, FaultRule, Outcome][] = [
    [
      "503 on the blob upload",
      { fault: { kind: "status", status: 503 }, method: "PUT", path: BLOB_UPLOAD },
      "retried, succeeded",
    ],
    [
      "reset during the blob upload",
      { fault: { kind: "reset" }, method: "PUT", path: BLOB_UPLOAD },
      "retried, succeeded",
    ],
    [
      "reset after the manifest was stored",
      { fault: { kind: "reset" }, method: "PUT", path: MANIFEST },
      "retried, succeeded",
    ],
    [
      "429 on the blob check",
      { fault: { kind: "retry-after", retryAfterSeconds: 1 }, method: "HEAD", path: BLOB },
      "waited, succeeded",
    ],
    [
      "502 on the manifest",
      { fault: { kind: "status", status: 502 }, method: "PUT", path: MANIFEST },
      "retried, succeeded",
    ],
  ];
  recovers.forEach(([name, rule, expected], i) => {
    it(`${name}: pushed, and pulls back intact`, async (ctx) => {
      const res = await withFault(ctx, "push artifact", rule, expected, () => push(`push/app:r${i}`));
      expect(failureLines(res.stderr)).toEqual([]);
      expect(res.stderr).toContain(`✔ artifact successfully pushed to ${proxy.host}/push/app@sha256:`);
      expect(res.code).toBe(0);
      const out = path.join(work, `push-check-${i}`);
      expect((await pull(`push/app:r${i}`, out)).code).toBe(0);
      expect(await readFile(path.join(out, "app.yaml"), "utf8")).toContain(`tag: "push/app:r${i}"`);
    });
  });

  it("500 on the manifest: one ✗ line, exit 1, no tag", async (ctx) => {
    const res = await withFault(
      ctx,
      "push artifact",
      { fault: { kind: "status", status: 500 }, method: "PUT", path: MANIFEST },
      "clear failure",
      () => push("push/app:broken"),
    );
    expect(res.code).toBe(1);
    expect(failureLines(res.stderr)).toHaveLength(1);
    expect(res.stderr).not.toContain("✔ artifact successfully pushed");
    expect(await tagExists("push/app", "broken")).toBe(false);
  });
});

describe("pull artifact from a faulty registry", () => {
  const recovers: [string, FaultRule, Outcome][] = [
    ["reset mid-blob", { fault: { kind: "reset" }, method: "GET", path: BLOB }, "retried, succeeded"],
    ["truncated blob", { fault: { kind: "truncate" }, method: "GET", path: BLOB }, "retried, succeeded"],
    ["truncated manifest", { fault: { kind: "truncate" }, method: "GET", path: MANIFEST }, "retried, succeeded"],
    [
      "502 twice on the blob",
      { fault: { kind: "status", status: 502 }, method: "GET", path: BLOB, times: 2 },
      "retried, succeeded",
    ],
    [
      "429 on the manifest",
      { fault: { kind: "retry-after", retryAfterSeconds: 1 }, method: "GET", path: MANIFEST },
      "waited, succeeded",
    ],
  ];
  recovers.forEach(([name, rule, expected], i) => {
    it(`${name}: the files, intact`, async (ctx) => {
      const out = path.join(work, `pull-${i}`);
      const res = await withFault(ctx, "pull artifact", rule, expected, () => pull("pull/app:v1", out));
      expect(failureLines(res.stderr)).toEqual([]);
      expect(res.code).toBe(0);
      expect(await readFile(path.join(out, "app.yaml"), "utf8")).toBe(
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata: {tag: "pull/app:v1"}\n',
      );
    });
  });

  it("500 on the manifest: one ✗ line, exit 1, nothing written", async (ctx) => {
    const out = path.join(work, "pull-500");
    const res = await withFault(
      ctx,
      "pull artifact",
      { fault: { kind: "status", status: 500 }, method: "GET", path: MANIFEST },
      "clear failure",
      () => pull("pull/app:v1", out),
    );
    expect(res.code).toBe(1);
    expect(failureLines(res.stderr)).toHaveLength(1);
    expect(await readdir(out)).toEqual([]);
  });

  it("a stalled blob past --timeout: one ✗ line, exit 1, nothing written", async (ctx) => {
    const out = path.join(work, "pull-stall");
    const res = await withFault(
      ctx,
      "pull artifact",
      { fault: { kind: "stall" }, method: "GET", path: BLOB },
      "clear failure",
      () => pull("pull/app:v1", out, "--timeout", "3s"),
    );
    expect(res.code).toBe(1);
    expect(failureLines(res.stderr)).toEqual([expect.stringMatching(/timed out/)]);
    expect(await readdir(out)).toEqual([]);
  });
});
