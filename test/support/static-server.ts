// A static HTTP file server on a free loopback port: serves a directory (a Helm
// chart repository's index.yaml and packaged charts) and logs the paths asked for.
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export interface StaticServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Paths requested, in order. */
  requests: string[];
  stop(): Promise<void>;
}

export async function startStaticServer(root: string): Promise<StaticServer> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    requests.push(urlPath);
    const file = path.join(root, path.normalize(urlPath));
    if (!file.startsWith(path.resolve(root) + path.sep) || req.method !== "GET") {
      res.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (data) => {
        const type = file.endsWith(".yaml") ? "application/x-yaml" : "application/octet-stream";
        res.writeHead(200, { "content-type": type, "content-length": data.length }).end(data);
      },
      () => res.writeHead(404, { "content-type": "text/plain" }).end("not found\n"),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
