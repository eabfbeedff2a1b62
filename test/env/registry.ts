// A real OCI registry for tests: Debian's docker-registry (distribution 2.8) on a free
// loopback port, with filesystem storage in a temporary directory, optionally behind
// TLS (own CA), htpasswd basic auth, or the token flow with a local token server that
// follows the Docker registry token spec (ES256 JWTs with an x5c chain the registry's
// rootcertbundle trusts). Everything is removed on stop().
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createPrivateKey, randomBytes, sign } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export type RegistryAuth = "none" | "htpasswd" | "token";

export interface RegistryOptions {
  auth?: RegistryAuth;
  /** Serve HTTPS with a certificate for 127.0.0.1/localhost signed by a fresh CA. */
  tls?: boolean;
  username?: string;
  password?: string;
  /** Token mode: what anonymous token requests get (default: nothing). */
  anonymousActions?: string[];
  /** Token mode: the refresh token accepted by the OAuth2 POST grant. */
  refreshToken?: string;
}

export interface TokenRequestLog {
  method: string;
  scope: string[];
  service?: string | undefined;
  user?: string | undefined;
  grant?: string | undefined;
}

export interface TestRegistry {
  /** 127.0.0.1:<port> */
  host: string;
  port: number;
  /** http(s)://127.0.0.1:<port> */
  url: string;
  dir: string;
  storageDir: string;
  /** PEM of the CA that signed the serving certificate (tls mode). */
  caCert?: string | undefined;
  caFile?: string | undefined;
  username: string;
  password: string;
  tokenRequests: TokenRequestLog[];
  /** Path of a blob's data file in the registry storage. */
  blobPath(digest: string): string;
  stop(): Promise<void>;
}

export function registryBinary(): string {
  const candidates = [
    process.env.TSFLUX_REGISTRY_BIN,
    "/usr/bin/docker-registry",
    "/usr/local/bin/registry",
    "/usr/bin/registry",
  ];
  for (const c of candidates) if (c && existsSync(c)) return c;
  throw new Error("docker-registry not found: apt-get install -y docker-registry (or set TSFLUX_REGISTRY_BIN)");
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address() as net.AddressInfo;
      srv.close(() => resolve(addr.port));
    });
  });
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run("openssl", args, { cwd });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") throw new Error("the openssl CLI is required (apt-get install openssl)", { cause: err });
    throw new Error(`openssl ${args.join(" ")} failed: ${e.stderr ?? e.message}`, { cause: err });
  }
}

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

async function makeServingCert(dir: string): Promise<void> {
  await openssl(
    ["req", "-x509", ...EC, "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=tsflux-registry-ca"],
    dir,
  );
  await writeFile(
    path.join(dir, "serving.ext"),
    "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost,DNS:registry.tsflux.test\n",
  );
  await openssl(["req", "-new", ...EC, "-keyout", "serving.key", "-out", "serving.csr", "-subj", "/CN=127.0.0.1"], dir);
  await openssl(
    [
      "x509",
      "-req",
      "-in",
      "serving.csr",
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-days",
      "2",
      "-sha256",
      "-extfile",
      "serving.ext",
      "-out",
      "serving.crt",
    ],
    dir,
  );
}

function b64url(b: Buffer | string): string {
  return Buffer.from(b).toString("base64url");
}

/** A Docker registry token server (https://distribution.github.io/distribution/spec/auth/token/). */
async function startTokenServer(opts: {
  dir: string;
  service: string;
  issuer: string;
  username: string;
  password: string;
  anonymousActions: string[];
  refreshToken: string;
  log: TokenRequestLog[];
}): Promise<{ url: string; close: () => Promise<void> }> {
  await openssl(
    [
      "req",
      "-x509",
      ...EC,
      "-keyout",
      "token.key",
      "-out",
      "token.crt",
      "-days",
      "2",
      "-subj",
      "/CN=tsflux-token-issuer",
    ],
    opts.dir,
  );
  const key = createPrivateKey(await readFile(path.join(opts.dir, "token.key")));
  const certPem = await readFile(path.join(opts.dir, "token.crt"), "utf8");
  const certDer = Buffer.from(certPem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");

  const issue = (sub: string, scopes: string[], authenticated: boolean) => {
    const access = scopes.flatMap((s) => {
      const [, type, name, actions] = /^(repository):([^:]+):(.*)$/.exec(s) ?? [];
      if (type === undefined || name === undefined || actions === undefined) return [];
      const wanted = actions.split(",");
      const allowed = authenticated ? wanted : wanted.filter((a) => opts.anonymousActions.includes(a));
      return [{ type, name, actions: allowed }];
    });
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: "JWT", alg: "ES256", x5c: [certDer.toString("base64")] };
    const claims = {
      iss: opts.issuer,
      sub,
      aud: opts.service,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomBytes(8).toString("hex"),
      access,
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const sig = sign("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" });
    return `${input}.${b64url(sig)}`;
  };

  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? "/", "http://x");
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (u.pathname !== "/token") {
      reply(404, { error: "not found" });
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method === "POST") {
        const form = new URLSearchParams(Buffer.concat(chunks).toString());
        const scope = (form.get("scope") ?? "").split(" ").filter(Boolean);
        opts.log.push({
          method: "POST",
          scope,
          service: form.get("service") ?? undefined,
          grant: form.get("grant_type") ?? undefined,
        });
        if (form.get("grant_type") !== "refresh_token" || form.get("refresh_token") !== opts.refreshToken) {
          reply(401, { error: "invalid_grant" });
          return;
        }
        const token = issue(opts.username, scope, true);
        reply(200, { access_token: token, expires_in: 300, issued_at: new Date().toISOString() });
        return;
      }
      const scope = u.searchParams
        .getAll("scope")
        .flatMap((s) => s.split(" "))
        .filter(Boolean);
      const authz = req.headers.authorization;
      let user: string | undefined;
      if (authz?.startsWith("Basic ")) {
        const [u1, ...rest] = Buffer.from(authz.slice(6), "base64").toString().split(":");
        if (u1 !== opts.username || rest.join(":") !== opts.password) {
          opts.log.push({ method: "GET", scope, service: u.searchParams.get("service") ?? undefined, user: u1 });
          reply(401, { details: "incorrect username or password" });
          return;
        }
        user = u1;
      }
      opts.log.push({ method: "GET", scope, service: u.searchParams.get("service") ?? undefined, user });
      const token = issue(user ?? "", scope, user !== undefined);
      reply(200, { token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() });
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}/token`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function waitReady(url: string, ca: string | undefined, proc: ChildProcess, logs: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`docker-registry exited with ${proc.exitCode}: ${logs()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const mod = url.startsWith("https") ? https : http;
      const req = mod.get(`${url}/v2/`, { ca, timeout: 1000 }, (res) => {
        res.resume();
        resolve(res.statusCode === 200 || res.statusCode === 401);
      });
      req.on("error", () => resolve(false));
      req.on("timeout", () => {
        req.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`docker-registry did not become ready: ${logs()}`);
}

/** Starts a registry; call stop() in afterAll. */
export async function startRegistry(opts: RegistryOptions = {}): Promise<TestRegistry> {
  const bin = registryBinary();
  const auth = opts.auth ?? "none";
  const username = opts.username ?? "flux";
  const password = opts.password ?? `pw-${randomBytes(6).toString("hex")}`;
  const dir = await mkdtemp(path.join(os.tmpdir(), "tsflux-registry-"));
  const storageDir = path.join(dir, "storage");
  const port = await freePort();
  const tokenRequests: TokenRequestLog[] = [];
  let tokenServer: { url: string; close: () => Promise<void> } | undefined;
  let caCert: string | undefined;

  const lines = [
    "version: 0.1",
    "log:",
    "  level: error",
    "  accesslog:",
    "    disabled: true",
    "storage:",
    "  filesystem:",
    `    rootdirectory: ${storageDir}`,
    "  delete:",
    "    enabled: true",
    "http:",
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${randomBytes(16).toString("hex")}`,
  ];
  if (opts.tls) {
    await makeServingCert(dir);
    caCert = await readFile(path.join(dir, "ca.crt"), "utf8");
    lines.push(
      "  tls:",
      `    certificate: ${path.join(dir, "serving.crt")}`,
      `    key: ${path.join(dir, "serving.key")}`,
    );
  }
  if (auth === "htpasswd") {
    let entry: string;
    try {
      entry = (await run("htpasswd", ["-Bbn", username, password])).stdout.trim();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT")
        throw new Error("htpasswd not found: apt-get install -y apache2-utils", { cause: err });
      throw err;
    }
    await writeFile(path.join(dir, "htpasswd"), entry + "\n");
    lines.push("auth:", "  htpasswd:", "    realm: tsflux-registry", `    path: ${path.join(dir, "htpasswd")}`);
  } else if (auth === "token") {
    const service = "tsflux-test-registry";
    const issuer = "tsflux-test-issuer";
    tokenServer = await startTokenServer({
      dir,
      service,
      issuer,
      username,
      password,
      anonymousActions: opts.anonymousActions ?? [],
      refreshToken: opts.refreshToken ?? "refresh-token-for-tests",
      log: tokenRequests,
    });
    lines.push(
      "auth:",
      "  token:",
      `    realm: ${tokenServer.url}`,
      `    service: ${service}`,
      `    issuer: ${issuer}`,
      `    rootcertbundle: ${path.join(dir, "token.crt")}`,
    );
  }
  const configPath = path.join(dir, "config.yml");
  await writeFile(configPath, lines.join("\n") + "\n");

  let output = "";
  const proc = spawn(bin, ["serve", configPath], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, OTEL_TRACES_EXPORTER: "none" },
  });
  proc.stdout.on("data", (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
  proc.stderr.on("data", (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
  // If the test runner dies without afterAll: kill the registry on exit, and a
  // detached watchdog does it (and removes the temp dir) even after a SIGKILL.
  const onExit = () => {
    if (proc.exitCode === null) proc.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", onExit);
  const watchdog = spawn(
    "sh",
    [
      "-c",
      'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; kill -9 "$2" 2>/dev/null; rm -rf "$3"',
      "registry-watchdog",
      String(process.pid),
      String(proc.pid),
      dir,
    ],
    { detached: true, stdio: "ignore" },
  );
  watchdog.unref();
  const scheme = opts.tls ? "https" : "http";
  const url = `${scheme}://127.0.0.1:${port}`;
  const stop = async () => {
    process.removeListener("exit", onExit);
    // A call, not a property test: the process may exit while we wait, which narrowing cannot see.
    const running = (): boolean => proc.exitCode === null;
    if (running() && proc.pid !== undefined) {
      const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
      proc.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (running()) proc.kill("SIGKILL");
    }
    await tokenServer?.close();
    await rm(dir, { recursive: true, force: true });
    if (watchdog.exitCode === null) watchdog.kill("SIGKILL");
  };
  try {
    await waitReady(url, caCert, proc, () => output);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    host: `127.0.0.1:${port}`,
    port,
    url,
    dir,
    storageDir,
    caCert,
    caFile: caCert ? path.join(dir, "ca.crt") : undefined,
    username,
    password,
    tokenRequests,
    blobPath: (digest: string) => {
      const hex = digest.replace(/^sha256:/, "");
      return path.join(storageDir, "docker", "registry", "v2", "blobs", "sha256", hex.slice(0, 2), hex, "data");
    },
    stop,
  };
}
