// --timeout bounds every Gitea and Bitbucket Server request (src/providers/rest.ts), as
// it does GitHub's and GitLab's: a contract server stalled behind the fault proxy makes
// the call fail with the API's name and the bound, once (a stall is not retried), long
// before the stall would end.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { BitbucketServerProvider } from "../../../src/providers/bitbucket-server.js";
import { GiteaProvider } from "../../../src/providers/gitea.js";
import { RestClient } from "../../../src/providers/rest.js";
import { RequestTimeoutError } from "../../../src/providers/retry.js";
import { ProviderError } from "../../../src/providers/types.js";
import { startGitServer, type GitServer } from "../../env/git-server.js";
import { BitbucketServer } from "../../providers/bitbucket-server.js";
import { GiteaServer } from "../../providers/gitea-server.js";
import { startFaultProxy, type FaultProxy } from "../../support/fault-proxy.js";
import { stopAfterAll } from "../../support/teardown.js";

const TOKEN = "contract-TOKEN";
// Retries on: a stall must still fail on its first attempt (counted here, on the client:
// the proxy shares this process's event loop, so what it records races the client's timer).
let retries = 0;
const retry = {
  attempts: 3,
  baseDelayMs: 1,
  onRetry: () => {
    retries++;
  },
};
// Far longer than the test's own time limit: only the client's bound can end the call.
const STALL = { kind: "stall" as const, stallMs: 120_000 };
let git: GitServer;
let gitea: GiteaServer;
let bb: BitbucketServer;
let giteaProxy: FaultProxy;
let bbProxy: FaultProxy;

const stopLater = stopAfterAll();
beforeAll(async () => {
  git = stopLater(await startGitServer({ username: "git", password: TOKEN }));
  gitea = stopLater(
    await GiteaServer.start({ git, token: TOKEN, username: "jdoe", orgs: { acme: { platform: "write" } } }),
  );
  bb = stopLater(
    await BitbucketServer.start({ git, token: TOKEN, username: "jdoe", projects: ["FLUX"], groups: ["ops"] }),
  );
  giteaProxy = stopLater(await startFaultProxy({ target: gitea.url }));
  bbProxy = stopLater(await startFaultProxy({ target: bb.url }));
});

describe("--timeout on the Gitea and Bitbucket Server clients", () => {
  it("Gitea: a stalled request fails with the API and the bound, without a retry", async () => {
    retries = 0;
    const p = new GiteaProvider({ token: TOKEN, hostname: giteaProxy.url, retry, timeoutMs: 1000 });
    giteaProxy.inject({ method: "POST", path: /^\/api\/v1\/orgs\/acme\/repos$/, fault: STALL, times: 3 });
    const err = await p
      .createRepository({ owner: "acme", name: "stalled", personal: false }, { visibility: "private" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as Error).message).toBe(
      `failed to create new Git repository "acme/stalled": the Gitea API at ${giteaProxy.host} did not answer within 1s`,
    );
    expect(retries).toBe(0);
    // The same client answers once the server does.
    giteaProxy.clear();
    expect(await p.currentUser()).toBe("jdoe");
  }, 20_000);

  it("Bitbucket Server: a stalled read fails with the API and the bound, without a retry", async () => {
    retries = 0;
    const p = new BitbucketServerProvider({ token: TOKEN, hostname: bbProxy.url, retry, timeoutMs: 1500 });
    bbProxy.inject({ method: "GET", path: /^\/rest\/api\/1\.0\/projects\/FLUX\/repos\/fleet/, fault: STALL, times: 3 });
    const err = await p.getRepository({ owner: "FLUX", name: "fleet", personal: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as Error).message).toBe(
      `failed to get Git repository "FLUX/fleet": the Bitbucket Server API at ${bbProxy.host} did not answer within 1.5s`,
    );
    expect(retries).toBe(0);
    bbProxy.clear();
    expect(await p.getRepository({ owner: "FLUX", name: "fleet", personal: false })).toBeUndefined();
  }, 20_000);

  it("bounds the body too: headers sent, then nothing", async () => {
    const sockets = new Set<Socket>();
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('[{"id":');
    });
    server.on("connection", (s) => sockets.add(s));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      retries = 0;
      const client = new RestClient({ baseUrl: `http://${host}`, headers: {}, retry, timeoutMs: 500 });
      const err = await client.request("GET", "/slow").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RequestTimeoutError);
      expect((err as Error).message).toBe(`${host} did not answer within 0.5s`);
      expect(retries).toBe(0);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    }
  }, 20_000);
});
