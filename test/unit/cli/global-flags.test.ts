// Upstream's global kube flags: parsed as pflag parses them, and carried into the kube
// client (kubeconfig overrides, impersonation, rate limit, compression). The requests
// they shape are checked against the real API server in
// test/integration/kube-global-flags.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createKubeClient } from "../../../src/kube/client.js";
import { rateLimiter, TokenBucket } from "../../../src/kube/ratelimit.js";
import { runCli } from "../../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "tsflux-globals-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const kubeconfig = join(dir, "config");
writeFileSync(
  kubeconfig,
  `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: Y2E=}
users:
- name: u
  user: {token: abc, client-certificate-data: Y2VydA==, client-key-data: a2V5}
contexts:
- name: ctx
  context: {cluster: c, user: u}
current-context: ctx
`,
);

const exportGit = ["create", "source", "git", "podinfo", "--url=https://a.io/b", "--branch=main", "--export"];

describe("upstream's global kube flags", () => {
  it("are accepted by every command", async () => {
    const res = await runCli([
      ...exportGit,
      "--kube-api-qps=10.5",
      "--kube-api-burst",
      "20",
      "--cache-dir",
      dir,
      "--disable-compression",
      "--tls-server-name=api.example",
      "--client-certificate=/c.pem",
      "--client-key=/k.pem",
      "--as=jane",
      "--as-uid=42",
      "--as-user-extra=scopes=a",
      "--as-user-extra=scopes=b",
    ]);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
  });

  it("parse numbers as pflag does", async () => {
    const qps = await runCli([...exportGit, "--kube-api-qps=fast"]);
    expect(qps.stderr).toBe(
      `✗ invalid argument "fast" for "--kube-api-qps" flag: strconv.ParseFloat: parsing "fast": invalid syntax\n`,
    );
    expect(qps.code).toBe(1);
    expect((await runCli([...exportGit, "--kube-api-burst=1.5"])).stderr).toBe(
      `✗ invalid argument "1.5" for "--kube-api-burst" flag: strconv.ParseInt: parsing "1.5": invalid syntax\n`,
    );
  });

  it("override the kubeconfig's TLS settings and certificate pair", async () => {
    const client = await createKubeClient({
      kubeconfig,
      clientCertificate: "/c.pem",
      clientKey: "/k.pem",
      tlsServerName: "api.example",
    });
    expect(client.config.getCurrentCluster()).toMatchObject({
      server: "https://127.0.0.1:6443",
      caData: "Y2E=",
      tlsServerName: "api.example",
    });
    // the user's other credentials stay; the pair's inline data gives way to the files
    expect(client.config.getCurrentUser()).toMatchObject({
      token: "abc",
      certFile: "/c.pem",
      keyFile: "/k.pem",
      certData: undefined,
      keyData: undefined,
    });
    // --token replaces the user's credentials altogether, as kubectl does
    const withToken = await createKubeClient({ kubeconfig, token: "t2", clientKey: "/k.pem" });
    expect(withToken.config.getCurrentUser()).toEqual({ name: "tsflux-override", token: "t2", keyFile: "/k.pem" });
  });

  it("impersonate a uid and extras, only with --as", async () => {
    const client = await createKubeClient({
      kubeconfig,
      as: "jane",
      asUid: "42",
      asUserExtra: ["scopes=a", "scopes=b", "team=x=y"],
    });
    expect(client.impersonate).toEqual({
      user: "jane",
      groups: undefined,
      uid: "42",
      extra: { scopes: ["a", "b"], team: ["x=y"] },
    });
    await expect(createKubeClient({ kubeconfig, asUid: "42" })).rejects.toThrow(
      "--as-uid and --as-user-extra require --as",
    );
    await expect(createKubeClient({ kubeconfig, asUserExtra: ["a=b"] })).rejects.toThrow("require --as");
    await expect(createKubeClient({ kubeconfig, as: "jane", asUserExtra: ["novalue"] })).rejects.toThrow(
      'invalid --as-user-extra "novalue": expected key=value',
    );
  });

  it("set the rate limit and compression of the client", async () => {
    const plain = await createKubeClient({ kubeconfig });
    expect(plain.rateLimiter).toMatchObject({ qps: 50, burst: 300 });
    expect(plain.disableCompression).toBeFalsy();
    const tuned = await createKubeClient({ kubeconfig, kubeApiQps: 2.5, kubeApiBurst: 7, disableCompression: true });
    expect(tuned.rateLimiter).toMatchObject({ qps: 2.5, burst: 7 });
    expect(tuned.disableCompression).toBe(true);
    expect((await createKubeClient({ kubeconfig, kubeApiQps: -1 })).rateLimiter).toBeUndefined();
  });
});

describe("the client-side rate limit", () => {
  it("follows client-go's defaults for zero and negative values", () => {
    expect(rateLimiter(0, 0)).toMatchObject({ qps: 5, burst: 10 });
    expect(rateLimiter(-1, 300)).toBeUndefined();
    expect(rateLimiter()).toMatchObject({ qps: 50, burst: 300 });
  });

  it("lets a burst through, then one request per 1/qps seconds", () => {
    let now = 0;
    const bucket = new TokenBucket(10, 3, () => now);
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 0]);
    // each further request waits behind the ones already waiting
    expect(bucket.reserve()).toBeCloseTo(100);
    expect(bucket.reserve()).toBeCloseTo(200);
    now = 1000; // a second later: 10 tokens earned, 2 owed, at most 3 kept
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 0]);
    expect(bucket.reserve()).toBeCloseTo(100);
  });

  it("gives up waiting when the request is aborted", async () => {
    const now = 0;
    const bucket = new TokenBucket(0.001, 1, () => now);
    await bucket.wait();
    const ac = new AbortController();
    const waiting = bucket.wait(ac.signal);
    ac.abort(new Error("stopped"));
    await expect(waiting).rejects.toThrow("stopped");
  });
});
