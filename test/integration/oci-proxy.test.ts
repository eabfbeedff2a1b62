// HTTPS_PROXY / HTTP_PROXY / NO_PROXY: registry traffic tunnels through a real
// CONNECT proxy (with proxy credentials) to a real registry; TLS is still verified
// end to end against the registry's certificate.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bypassProxy, proxyFor } from "../../src/oci/proxy.js";
import { startRegistry, type TestRegistry } from "../env/registry.js";
import { must } from "../support/must.js";
import { stopAfterAll } from "../support/teardown.js";

const ROOT = path.resolve(__dirname, "../..");
const FLUX = path.join(ROOT, "bin", "flux.js");
const FAKE_HOST = "registry.tsflux.test";

function flux(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [FLUX, ...args],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }),
    );
  });
}

/** A forward proxy that sends every registry.tsflux.test:<port> to 127.0.0.1:<port>. */
async function startProxy(auth: string): Promise<{ url: string; log: string[]; close: () => Promise<void> }> {
  const log: string[] = [];
  const sockets = new Set<net.Socket>();
  const authorized = (h: string | undefined) => h === `Basic ${Buffer.from(auth).toString("base64")}`;
  const server = http.createServer((req, res) => {
    // absolute-form plain HTTP
    log.push(`${req.method} ${req.url}`);
    if (!authorized(req.headers["proxy-authorization"])) {
      res.writeHead(407).end();
      return;
    }
    const u = new URL(must(req.url, "the proxied request's URL"));
    const headers = { ...req.headers };
    delete headers["proxy-authorization"];
    const up = http.request(
      { host: "127.0.0.1", port: Number(u.port), path: u.pathname + u.search, method: req.method, headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    req.pipe(up);
  });
  server.on("connect", (req, client: net.Socket, head) => {
    log.push(`CONNECT ${req.url}`);
    sockets.add(client);
    if (!authorized(req.headers["proxy-authorization"])) {
      client.end("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n");
      return;
    }
    const [host, port] = must(req.url, "the CONNECT target").split(":");
    if (host !== FAKE_HOST) {
      client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      return;
    }
    const upstream = net.connect(Number(port), "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://${auth}@127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let reg: TestRegistry;
let plain: TestRegistry;
let proxy: Awaited<ReturnType<typeof startProxy>>;
let work: string;
let src: string;
const stopLater = stopAfterAll();

beforeAll(async () => {
  [reg, plain] = await Promise.all([
    startRegistry({ auth: "htpasswd", tls: true, password: "s3cr3t-proxied" }).then(stopLater),
    startRegistry().then(stopLater),
  ]);
  proxy = await startProxy("proxyuser:s3cr3t-proxy-pw");
  stopLater({ stop: proxy.close });
  work = await mkdtemp(path.join(os.tmpdir(), "tsflux-oci-proxy-"));
  src = path.join(work, "src");
  await mkdir(src);
  await writeFile(path.join(src, "cm.yaml"), "kind: ConfigMap\n");
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("proxies", () => {
  it("tunnels HTTPS through HTTPS_PROXY with proxy credentials, verifying the registry's certificate", async () => {
    const env = {
      HOME: work,
      DOCKER_CONFIG: path.join(work, "none"),
      HTTPS_PROXY: proxy.url,
      NODE_EXTRA_CA_CERTS: must(reg.caFile, "the TLS registry's CA file"),
    };
    const target = `oci://${FAKE_HOST}:${reg.port}/proxied/app:v1`;
    const push = await flux(
      [
        "push",
        "artifact",
        target,
        "--path",
        src,
        "--source",
        "s",
        "--revision",
        "r",
        "--creds",
        `flux:${reg.password}`,
        "--verbose",
      ],
      env,
    );
    expect(push.stderr).toContain(`✔ artifact successfully pushed to ${FAKE_HOST}:${reg.port}/proxied/app@sha256:`);
    expect(push.code).toBe(0);
    expect(proxy.log).toContain(`CONNECT ${FAKE_HOST}:${reg.port}`);
    for (const secret of ["s3cr3t-proxied", "s3cr3t-proxy-pw"]) expect(push.stderr + push.stdout).not.toContain(secret);

    const out = path.join(work, "out");
    await mkdir(out);
    const pull = await flux(["pull", "artifact", target, "-o", out, "--creds", `flux:${reg.password}`], env);
    expect(pull.code).toBe(0);
    expect(await readFile(path.join(out, "cm.yaml"), "utf8")).toBe("kind: ConfigMap\n");

    // Without the registry's CA the tunnel is made but TLS verification fails.
    const untrusted = await flux(
      ["list", "artifacts", `oci://${FAKE_HOST}:${reg.port}/proxied/app`, "--creds", `flux:${reg.password}`],
      { ...env, NODE_EXTRA_CA_CERTS: "" },
    );
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toContain("TLS certificate verification failed");
  });

  it("sends plain HTTP through HTTP_PROXY in absolute form, and honours NO_PROXY", async () => {
    const env = { HOME: work, DOCKER_CONFIG: path.join(work, "none"), HTTP_PROXY: proxy.url };
    const before = proxy.log.length;
    const target = `oci://${FAKE_HOST}:${plain.port}/plain/app:v1`;
    const push = await flux(
      ["push", "artifact", target, "--path", src, "--source", "s", "--revision", "r", "--insecure-registry"],
      env,
    );
    expect(push.code).toBe(0);
    expect(proxy.log.slice(before)).toContain(`GET http://${FAKE_HOST}:${plain.port}/v2/`);
    const bypass = await flux(
      ["list", "artifacts", `oci://${FAKE_HOST}:${plain.port}/plain/app`, "--insecure-registry"],
      { ...env, NO_PROXY: ".tsflux.test" },
    );
    expect(bypass.code).toBe(1); // the fake name does not resolve without the proxy
    expect(bypass.stderr).toMatch(
      /cannot reach registry registry\.tsflux\.test:\d+: (no such host|temporary DNS failure)/,
    );
  });
});

describe("proxy selection", () => {
  it("follows Go's httpproxy rules", () => {
    const env = {
      HTTPS_PROXY: "proxy:3128",
      http_proxy: "http://p2:80",
      NO_PROXY: "internal.example.com,.corp,10.0.0.0/8,svc:5000",
    };
    expect(proxyFor(new URL("https://ghcr.io/v2/"), env)?.host).toBe("proxy:3128");
    expect(proxyFor(new URL("http://ghcr.io/v2/"), env)?.host).toBe("p2");
    expect(proxyFor(new URL("https://127.0.0.1:5000/v2/"), env)).toBeUndefined();
    expect(proxyFor(new URL("https://localhost:5000/v2/"), env)).toBeUndefined();
    expect(proxyFor(new URL("https://a.internal.example.com/v2/"), env)).toBeUndefined();
    expect(proxyFor(new URL("https://x.corp/v2/"), env)).toBeUndefined();
    expect(proxyFor(new URL("https://10.1.2.3/v2/"), env)).toBeUndefined();
    expect(proxyFor(new URL("https://svc:5000/v2/"), env)).toBeUndefined();
    expect(proxyFor(new URL("https://svc:5001/v2/"), env)?.host).toBe("proxy:3128");
    expect(bypassProxy("anything", "443", "*")).toBe(true);
    expect(proxyFor(new URL("https://ghcr.io/v2/"), {})).toBeUndefined();
  });
});
