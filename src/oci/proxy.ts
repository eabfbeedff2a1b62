// HTTP(S)_PROXY / NO_PROXY as Go's net/http (golang.org/x/net/http/httpproxy)
// applies them, which is what upstream flux uses: https URLs tunnel through CONNECT,
// http URLs are sent in absolute form; loopback hosts are never proxied.
import http from "node:http";
import https from "node:https";
import net from "node:net";
import tls from "node:tls";

function env(e: NodeJS.ProcessEnv, name: string): string | undefined {
  return e[name] ?? e[name.toLowerCase()];
}

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  return h === "localhost" || h.endsWith(".localhost") || /^127\./.test(h) || h === "::1";
}

function ipToNumber(ip: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (!m) return undefined;
  return ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
}

/** Go's NO_PROXY rules: "*", host, .domain / domain (with subdomains), host:port, IP, CIDR. */
export function bypassProxy(hostname: string, port: string, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  for (const raw of noProxy.split(/[,\s]+/)) {
    let entry = raw.trim().toLowerCase();
    if (entry === "") continue;
    if (entry === "*") return true;
    if (entry.includes("/")) {
      const [net0 = "", bits] = entry.split("/"); // a split: never empty
      const a = ipToNumber(host);
      const b = ipToNumber(net0);
      const n = Number(bits);
      if (a !== undefined && b !== undefined && n >= 0 && n <= 32) {
        const mask = n === 0 ? 0 : (~0 << (32 - n)) >>> 0;
        if ((a & mask) === (b & mask)) return true;
      }
      continue;
    }
    let entryPort = "";
    const [, entryHost, portText] = /^(.*):(\d+)$/.exec(entry) ?? [];
    if (entryHost !== undefined && portText !== undefined && !entry.startsWith("[")) {
      entry = entryHost;
      entryPort = portText;
    }
    if (entryPort && entryPort !== port) continue;
    if (entry.startsWith("*.")) entry = entry.slice(1);
    if (entry.startsWith(".")) {
      if (host.endsWith(entry) || host === entry.slice(1)) return true;
    } else if (host === entry || host.endsWith(`.${entry}`)) {
      return true;
    }
  }
  return false;
}

/** The proxy URL for a request URL, or undefined for a direct connection. */
export function proxyFor(url: URL, e: NodeJS.ProcessEnv = process.env): URL | undefined {
  const isHttps = url.protocol === "https:";
  const raw = isHttps ? env(e, "HTTPS_PROXY") : env(e, "HTTP_PROXY");
  if (!raw) return undefined;
  const port = url.port || (isHttps ? "443" : "80");
  if (isLoopback(url.hostname)) return undefined;
  if (bypassProxy(url.hostname, port, env(e, "NO_PROXY"))) return undefined;
  try {
    const p = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
    if (p.protocol !== "http:" && p.protocol !== "https:") return undefined;
    return p;
  } catch {
    return undefined;
  }
}

export function proxyAuthorization(proxy: URL): string | undefined {
  if (!proxy.username && !proxy.password) return undefined;
  return `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString("base64")}`;
}

/** Opens a CONNECT tunnel through proxy to host:port and starts TLS over it. */
export function tunnel(
  proxy: URL,
  target: URL,
  tlsOptions: tls.ConnectionOptions,
  signal?: AbortSignal,
): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const port = target.port || "443";
    const headers: Record<string, string> = { Host: `${target.hostname}:${port}` };
    const auth = proxyAuthorization(proxy);
    if (auth) headers["Proxy-Authorization"] = auth;
    const connectOptions = {
      host: proxy.hostname,
      port: Number(proxy.port || (proxy.protocol === "https:" ? 443 : 80)),
      method: "CONNECT",
      path: `${target.hostname}:${port}`,
      headers,
      signal,
      agent: false as const,
    };
    const req = proxy.protocol === "https:" ? https.request(connectOptions) : http.request(connectOptions);
    req.once("connect", (res: http.IncomingMessage, socket: net.Socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        reject(
          Object.assign(new Error(`proxy ${proxy.host} refused the tunnel: HTTP ${res.statusCode}`), {
            code: "EPROXY",
          }),
        );
        return;
      }
      const secure = tls.connect({
        ...tlsOptions,
        socket,
        servername: net.isIP(target.hostname) ? undefined : target.hostname,
      });
      secure.once("secureConnect", () => resolve(secure));
      secure.once("error", reject);
    });
    req.once("error", reject);
    req.end();
  });
}
