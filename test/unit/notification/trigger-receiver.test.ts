// `flux trigger receiver`: upstream's trigger_receiver_test.go (TestValidateTriggerReceiverArgs,
// TestTriggerReceiverRun) ported to tsflux's command line, against a local webhook server.
import { createHash, createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { validateTriggerReceiverFlags, type TriggerReceiverFlags } from "../../../src/notification/trigger.js";
import { runCli } from "../../helpers/cli.js";

const NAME = "my-receiver";
const NS = "default";
const TOKEN = "my-token";
const hookPath = (token: string) =>
  `/hook/${createHash("sha256")
    .update(token + NAME + NS)
    .digest("hex")}`;

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}
let server: Server;
let url: string;
let seen: Seen[] = [];
let respond: (n: number) => [number, string] = () => [200, ""];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
      const [code, text] = respond(seen.length);
      res.writeHead(code);
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  seen = [];
  respond = () => [200, ""];
  delete process.env.FLUX_TRIGGER_RECEIVER_OIDC_TOKEN;
});

const trigger = (...args: string[]) => runCli(["trigger", "receiver", NAME, "-n", NS, "--url", url, ...args]);

describe("validateTriggerReceiverArgs", () => {
  const base: TriggerReceiverFlags = {
    token: "",
    url: "u",
    type: "generic",
    oidcProvider: "",
    oidcToken: "",
    oidcAudience: "",
    payload: "{}",
    retries: 0,
    retryDelay: "1s",
  };
  const cases: [string, Partial<TriggerReceiverFlags>, string][] = [
    ["generic requires token", { type: "generic" }, "--token is required"],
    ["generic with token is valid", { token: "t" }, ""],
    ["generic rejects oidc flags", { token: "t", oidcProvider: "github" }, "can only be set for --type=generic-oidc"],
    ["hmac with token is valid", { type: "generic-hmac", token: "t" }, ""],
    ["unknown type", { type: "bogus", token: "t" }, "invalid --type"],
    ["oidc rejects token", { type: "generic-oidc", token: "t" }, "--token must not be set"],
    [
      "oidc provider and token mutually exclusive",
      { type: "generic-oidc", oidcProvider: "github", oidcToken: "x" },
      "mutually exclusive",
    ],
    ["oidc invalid provider", { type: "generic-oidc", oidcProvider: "gitlab" }, "invalid --oidc-provider"],
    [
      "oidc audience requires provider",
      { type: "generic-oidc", oidcToken: "x", oidcAudience: "aud" },
      "--oidc-audience can only be set together with --oidc-provider",
    ],
    ["oidc with provider is valid", { type: "generic-oidc", oidcProvider: "forgejo", oidcAudience: "aud" }, ""],
    ["oidc with token is valid", { type: "generic-oidc", oidcToken: "x" }, ""],
    ["oidc without provider or token is valid (env fallback)", { type: "generic-oidc" }, ""],
  ];
  for (const [name, flags, wantErr] of cases) {
    it(name, () => {
      const run = () => validateTriggerReceiverFlags({ ...base, ...flags });
      if (wantErr) expect(run).toThrow(wantErr);
      else expect(run).not.toThrow();
    });
  }
});

describe("trigger receiver", () => {
  it("generic sends the payload with the default headers", async () => {
    const r = await trigger("--token", TOKEN, "--payload", '{"hello":"world"}');
    expect([r.code, r.stdout, r.stderr]).toEqual([
      0,
      "",
      `► triggering Receiver ${NS}/${NAME}\n✔ Receiver ${NS}/${NAME} triggered\n`,
    ]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: "POST", path: hookPath(TOKEN), body: '{"hello":"world"}' });
    expect(seen[0]?.headers["content-type"]).toBe("application/json");
    expect(seen[0]?.headers["user-agent"]).toMatch(/^flux\/v/);
  });

  it("generic-hmac sets X-Signature; a base path in --url and its trailing slash are kept apart", async () => {
    const payload = '{"a":1}';
    await runCli([
      "trigger",
      "receiver",
      NAME,
      "-n",
      NS,
      "--url",
      `${url}/base/`,
      "--type=generic-hmac",
      "--token",
      TOKEN,
      "--payload",
      payload,
    ]);
    const want = `sha256=${createHmac("sha256", TOKEN).update(payload).digest("hex")}`;
    expect(seen[0]?.headers["x-signature"]).toBe(want);
    expect(seen[0]?.path).toBe(`/base${hookPath(TOKEN)}`);
  });

  it("generic-oidc with --oidc-token sets the bearer and the empty-token path", async () => {
    const r = await trigger("--type=generic-oidc", "--oidc-token", "the-oidc-token");
    expect(r.code).toBe(0);
    expect(seen[0]?.headers.authorization).toBe("Bearer the-oidc-token");
    expect(seen[0]?.path).toBe(hookPath(""));
  });

  it("generic-oidc reads the default environment variable", async () => {
    process.env.FLUX_TRIGGER_RECEIVER_OIDC_TOKEN = "env-oidc-token";
    expect((await trigger("--type=generic-oidc")).code).toBe(0);
    expect(seen[0]?.headers.authorization).toBe("Bearer env-oidc-token");
  });

  it("a non-2xx answer is an error that carries the body", async () => {
    respond = () => [400, "nope"];
    const r = await trigger("--token", TOKEN);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`✗ request to ${url}${hookPath(TOKEN)} failed with status 400 Bad Request: nope\n`);
  });

  it("retries a retryable status, then succeeds", async () => {
    respond = (n) => (n < 3 ? [404, ""] : [200, ""]);
    const r = await trigger("--token", TOKEN, "--retries", "5", "--retry-delay", "1ms");
    expect(r.code).toBe(0);
    expect(seen).toHaveLength(3);
    expect(r.stderr).toContain(
      `◎ request to ${url}${hookPath(TOKEN)} failed with status 404 Not Found; retrying in 1ms (1/5)\n`,
    );
  });

  it("does not retry a status that is not retryable", async () => {
    respond = () => [403, ""];
    const r = await trigger("--token", TOKEN, "--retries", "5", "--retry-delay", "1ms");
    expect(r.code).toBe(1);
    expect(seen).toHaveLength(1);
  });

  it("fails after exhausting the retries", async () => {
    respond = () => [503, ""];
    const r = await trigger("--token", TOKEN, "--retries", "2", "--retry-delay", "1ms");
    expect(r.code).toBe(1);
    expect(seen).toHaveLength(3);
  });

  it("checks its arguments before sending anything", async () => {
    expect((await runCli(["trigger", "receiver", NAME, "--token", "t"])).stderr).toBe("✗ --url is required\n");
    expect((await runCli(["trigger", "receiver", "--token", "t", "--url", url])).stderr).toBe(
      "✗ accepts 1 arg(s), received 0\n",
    );
    expect((await trigger("--retries", "x")).stderr).toBe(
      '✗ invalid argument "x" for "--retries" flag: strconv.ParseInt: parsing "x": invalid syntax\n',
    );
    expect(seen).toHaveLength(0);
  });
});
