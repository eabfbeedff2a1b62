// A fault-injecting HTTP(S) reverse proxy for reliability tests. It sits between
// tsflux and a real server (the API server, the git smart-HTTP server, the GitHub
// and GitLab contract servers, the OCI registry) and, for the requests a rule
// matches, answers with a fault instead of (or in the middle of) the real answer:
//
//   reset        the real status line, headers and half of the body, then a TCP RST
//   status       500, 502 or 503 without reaching the server
//   retry-after  429 (or 503) with Retry-After, without reaching the server
//   stall        reads the request and never answers (until stallMs, or the proxy stops)
//   truncate     the real headers (Content-Length of the whole body) and half of it, then FIN
//   hold         forwards the request (the server acts on it) and never passes the answer on
//                (until stallMs, or the proxy stops): the client cannot know whether it happened
//
// Everything else is forwarded, streamed both ways (watches keep working). Bounded:
// loopback only (listener and target), at most maxFaults injected, and the proxy stops
// by itself after lifetimeMs (default 2 minutes), stalled requests included.
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import path from "node:path";
import { must } from "./must.js";

export type FaultKind = "reset" | "status" | "retry-after" | "stall" | "truncate" | "hold";

export interface Fault {
  kind: FaultKind;
  /** status: 500, 502 (default) or 503; retry-after: 429 (default) or 503. */
  status?: number;
  /** retry-after: the header's value in seconds (default 1). */
  retryAfterSeconds?: number;
  /** stall, hold: drop the connection after this long (default: hold it until the proxy stops). */
  stallMs?: number;
}

export interface FaultRule {
  fault: Fault;
  /** Only requests with this method. */
  method?: string;
  /** Only requests whose path (with query) matches. */
  path?: RegExp;
  /** How many matching requests get the fault (default 1). */
  times?: number;
  /** Let this many matching requests through first (default 0). */
  skip?: number;
}

export interface InjectedFault {
  kind: FaultKind;
  status?: number | undefined;
  method: string;
  path: string;
}

export interface FaultProxyOptions {
  /** The real server, http(s)://127.0.0.1:<port>. */
  target: string;
  /** Serve TLS (to stand in front of an https server) with this certificate. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** TLS towards the target: trusted CA and client certificate. */
  upstreamTls?: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer };
  /** The proxy stops by itself after this long (default 120s). */
  lifetimeMs?: number;
  /** At most this many faults are injected in the proxy's life (default 100). */
  maxFaults?: number;
}

export interface FaultProxy {
  /** http(s)://127.0.0.1:<port> */
  url: string;
  /** 127.0.0.1:<port> */
  host: string;
  /** Adds a rule; rules are tried in the order they were added. */
  inject(rule: FaultRule): void;
  /** Faults injected so far. */
  readonly injected: InjectedFault[];
  /** Requests seen so far (forwarded or not). */
  readonly requests: { method: string; path: string }[];
  /** Fault answers that rules still have to give. */
  pending(): number;
  /** Resolves once `count` faults in all have been injected (rejects after timeoutMs). */
  injectedCount(count: number, timeoutMs?: number): Promise<void>;
  /** Drops the rules not used up (so one failed test does not leak faults into the next). */
  clear(): void;
  stop(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

interface LiveRule extends Required<Omit<FaultRule, "method" | "path">> {
  method?: string | undefined;
  path?: RegExp | undefined;
}

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(opts.target);
  if (!LOOPBACK.has(target.hostname)) throw new Error(`fault proxy: target ${target.host} is not a loopback address`);
  const upstreamHttps = target.protocol === "https:";
  const upstreamAgent = upstreamHttps
    ? new https.Agent({ keepAlive: true, ...opts.upstreamTls })
    : new http.Agent({ keepAlive: true });
  const maxFaults = opts.maxFaults ?? 100;
  const rules: LiveRule[] = [];
  const injected: InjectedFault[] = [];
  const requests: { method: string; path: string }[] = [];
  const held = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const take = (req: http.IncomingMessage): LiveRule | undefined => {
    for (const r of rules) {
      if (r.times <= 0) continue;
      if (r.method && r.method !== req.method) continue;
      if (r.path && !r.path.test(req.url ?? "")) continue;
      if (r.skip > 0) {
        r.skip--;
        return undefined;
      }
      if (injected.length >= maxFaults) return undefined;
      r.times--;
      return r;
    }
    return undefined;
  };

  /** Sends the request on to the target; resolves with the response (not yet read). */
  const forward = (req: http.IncomingMessage): Promise<http.IncomingMessage> =>
    new Promise((resolve, reject) => {
      // The Host header stays the proxy's, so servers that build URLs from it (a
      // registry's upload Location) keep clients on the proxy.
      const headers = { ...req.headers };
      const up = (upstreamHttps ? https : http).request(
        {
          protocol: target.protocol,
          hostname: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers,
          agent: upstreamAgent,
        },
        resolve,
      );
      up.on("error", reject);
      req.pipe(up);
    });

  const readAll = (s: NodeJS.ReadableStream): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      s.on("data", (c: Buffer) => chunks.push(c));
      s.on("end", () => resolve(Buffer.concat(chunks)));
      s.on("error", reject);
    });

  const handler = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    requests.push({ method, path: url });
    const rule = stopped ? undefined : take(req);
    try {
      if (!rule) {
        const up = await forward(req);
        res.writeHead(up.statusCode ?? 502, up.rawHeaders);
        up.pipe(res);
        // A client that goes away (a watch cancelled) ends the upstream request too.
        res.on("close", () => up.destroy());
        return;
      }
      const f = rule.fault;
      const record = (status?: number) => injected.push({ kind: f.kind, status, method, path: url });
      switch (f.kind) {
        case "status": {
          await readAll(req);
          const status = f.status ?? 502;
          record(status);
          res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
          res.end(`${status} ${http.STATUS_CODES[status] ?? ""} (injected)\n`);
          return;
        }
        case "retry-after": {
          await readAll(req);
          const status = f.status ?? 429;
          const seconds = f.retryAfterSeconds ?? 1;
          record(status);
          // The shape of the API server's own throttling answer; other clients read the status and the header.
          const body = {
            kind: "Status",
            apiVersion: "v1",
            metadata: {},
            status: "Failure",
            message: "Too many requests, please try again later. (injected)",
            reason: "TooManyRequests",
            details: { retryAfterSeconds: seconds },
            code: status,
          };
          res.writeHead(status, { "Content-Type": "application/json", "Retry-After": String(seconds) });
          res.end(JSON.stringify(body));
          return;
        }
        case "stall":
        case "hold": {
          if (f.kind === "hold") {
            // The server gets the request and answers; the answer goes nowhere.
            const up = await forward(req);
            await readAll(up);
            record(up.statusCode);
          } else {
            await readAll(req);
            record();
          }
          held.add(req.socket);
          req.socket.once("close", () => held.delete(req.socket));
          if (f.stallMs !== undefined) {
            const t = setTimeout(() => {
              timers.delete(t);
              req.socket.destroy();
            }, f.stallMs);
            timers.add(t);
          }
          return;
        }
        case "reset":
        case "truncate": {
          const up = await forward(req);
          const body = await readAll(up);
          record(up.statusCode);
          const headers: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(up.headers)) {
            if (v !== undefined && k !== "transfer-encoding" && k !== "connection") headers[k] = v;
          }
          headers["content-length"] = String(body.length);
          res.writeHead(up.statusCode ?? 200, headers);
          res.write(body.subarray(0, Math.floor(body.length / 2)));
          const socket = res.socket;
          // Let the half body reach the client before the connection goes.
          setImmediate(() => {
            if (!socket) return;
            if (f.kind === "truncate") socket.end();
            else if ("encrypted" in socket)
              socket.destroy(); // TLS: no RST from JavaScript; an abrupt close without close_notify
            else socket.resetAndDestroy();
          });
          return;
        }
      }
    } catch (err) {
      if (!res.headersSent) {
        res.writeHead(502, { "Content-Type": "text/plain" });
        res.end(`fault proxy: ${(err as Error).message}\n`);
      } else res.destroy();
    }
  };

  const server = opts.tls
    ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, (q, s) => void handler(q, s))
    : http.createServer((q, s) => void handler(q, s));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(lifetime);
    for (const t of timers) clearTimeout(t);
    for (const s of held) s.destroy();
    upstreamAgent.destroy();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };
  const lifetime = setTimeout(() => void stop(), opts.lifetimeMs ?? 120_000);
  lifetime.unref();

  return {
    url: `${opts.tls ? "https" : "http"}://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    inject(rule: FaultRule) {
      const times = rule.times ?? 1;
      const planned = rules.reduce((n, r) => n + r.times, 0) + injected.length;
      if (planned + times > maxFaults) throw new Error(`fault proxy: more than ${maxFaults} faults planned`);
      rules.push({ fault: rule.fault, method: rule.method, path: rule.path, times, skip: rule.skip ?? 0 });
    },
    injected,
    requests,
    async injectedCount(count: number, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (injected.length < count) {
        if (Date.now() > deadline || stopped)
          throw new Error(`fault proxy: ${injected.length} of ${count} faults injected after ${timeoutMs}ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    pending: () => rules.reduce((n, r) => n + r.times, 0),
    clear: () => void rules.splice(0),
    stop,
  };
}

/**
 * A fault proxy in front of a test environment's API server, and a kubeconfig that
 * points at it. The proxy serves the API server's own certificate (valid for
 * 127.0.0.1, signed by the kubeconfig's CA), so TLS is verified all the way, and
 * talks to the API server with the admin client certificate.
 */
export async function startKubeFaultProxy(
  kubeconfigPath: string,
  opts: Omit<FaultProxyOptions, "target" | "tls" | "upstreamTls"> = {},
): Promise<{ proxy: FaultProxy; kubeconfig: string }> {
  const { writeFileSync, mkdtempSync } = await import("node:fs");
  const os = await import("node:os");
  const config = JSON.parse(readFileSync(kubeconfigPath, "utf8")) as {
    clusters: { cluster: { server: string; "certificate-authority-data": string } }[];
    users: { user: { "client-certificate-data": string; "client-key-data": string } }[];
  };
  const pki = path.join(path.dirname(kubeconfigPath), "pki");
  const b64 = (s: string) => Buffer.from(s, "base64");
  const { cluster } = must(config.clusters[0], `a cluster in ${kubeconfigPath}`);
  const { user } = must(config.users[0], `a user in ${kubeconfigPath}`);
  const proxy = await startFaultProxy({
    ...opts,
    target: cluster.server,
    tls: { cert: readFileSync(path.join(pki, "serving.crt")), key: readFileSync(path.join(pki, "serving.key")) },
    upstreamTls: {
      ca: b64(cluster["certificate-authority-data"]),
      cert: b64(user["client-certificate-data"]),
      key: b64(user["client-key-data"]),
    },
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), "tsflux-faults-"));
  const kubeconfig = path.join(dir, "kubeconfig");
  const proxied = structuredClone(config);
  must(proxied.clusters[0], `a cluster in ${kubeconfigPath}`).cluster.server = proxy.url;
  writeFileSync(kubeconfig, JSON.stringify(proxied, null, 2), { mode: 0o600 });
  const stop = proxy.stop.bind(proxy);
  proxy.stop = async () => {
    await stop();
    (await import("node:fs")).rmSync(dir, { recursive: true, force: true });
  };
  return { proxy, kubeconfig };
}
