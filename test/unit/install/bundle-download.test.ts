// The release download against a real local HTTPS server (its own CA, passed
// explicitly: TLS verification stays on), with checksums and the per-version cache.
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  cachedBundle,
  checksumFor,
  checksumsUrl,
  fetchBundle,
  httpsGet,
  manifestsUrl,
} from "../../../src/install/download.js";
import { generateCerts } from "../../env/certs.js";
import { makeTarGz } from "../../fixtures/install/tar.js";

let server: https.Server;
let base: string;
let ca: string;
let certDir: string;
let cacheDir: string;
const requests: string[] = [];
/** path -> handler */
const routes = new Map<string, (res: import("node:http").ServerResponse) => void>();

const GOOD = makeTarGz([
  { name: "source-controller.yaml", data: "kind: Deployment\n" },
  { name: "rbac.yaml", data: "kind: ClusterRole\n" },
]);
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

function serve(p: string, body: Buffer | string, status = 200): void {
  routes.set(p, (res) => {
    res.writeHead(status, { "content-type": "application/octet-stream" });
    res.end(body);
  });
}

function release(version: string, gz: Buffer, sums?: string): void {
  serve(`/releases/download/${version}/manifests.tar.gz`, gz);
  serve(
    `/releases/download/${version}/flux_${version.slice(1)}_checksums.txt`,
    sums ?? `${sha(Buffer.from("other"))}  flux_${version.slice(1)}_linux_amd64.tar.gz\n${sha(gz)}  manifests.tar.gz\n`,
  );
}

beforeAll(async () => {
  certDir = mkdtempSync(path.join(os.tmpdir(), "tsflux-dl-certs-"));
  const certs = await generateCerts(certDir);
  ca = readFileSync(certs.caCert, "utf8");
  server = https.createServer(
    { cert: readFileSync(certs.servingCert), key: readFileSync(certs.servingKey) },
    (req, res) => {
      requests.push(req.url ?? "");
      const h = routes.get(req.url ?? "");
      if (h) h(res);
      else {
        res.writeHead(404);
        res.end("Not Found");
      }
    },
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}/releases`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(certDir, { recursive: true, force: true });
});

beforeEach(() => {
  routes.clear();
  requests.length = 0;
  cacheDir = mkdtempSync(path.join(os.tmpdir(), "tsflux-dl-cache-"));
  return () => rmSync(cacheDir, { recursive: true, force: true });
});

describe("release URLs", () => {
  it("uses upstream's asset names", () => {
    expect(manifestsUrl("v2.9.5")).toBe("https://github.com/fluxcd/flux2/releases/download/v2.9.5/manifests.tar.gz");
    expect(checksumsUrl("v2.9.5")).toBe(
      "https://github.com/fluxcd/flux2/releases/download/v2.9.5/flux_2.9.5_checksums.txt",
    );
  });

  it("parses goreleaser checksum lists", () => {
    const text = `${"a".repeat(64)}  flux_2.9.5_darwin_arm64.tar.gz\n${"B".repeat(64)}  manifests.tar.gz\n`;
    expect(checksumFor(text, "manifests.tar.gz")).toBe("b".repeat(64));
    expect(checksumFor(text, "install.yaml")).toBeUndefined();
  });
});

describe("fetchBundle", () => {
  it("downloads, verifies, extracts and caches a release; the second call uses the cache", async () => {
    release("v2.9.5", GOOD);
    const dir = await fetchBundle("v2.9.5", { baseUrl: base, ca, cacheDir });
    expect(dir).toBe(path.join(cacheDir, "manifests", "v2.9.5"));
    expect(readFileSync(path.join(dir, "source-controller.yaml"), "utf8")).toBe("kind: Deployment\n");
    expect(requests).toEqual([
      "/releases/download/v2.9.5/manifests.tar.gz",
      "/releases/download/v2.9.5/flux_2.9.5_checksums.txt",
    ]);
    requests.length = 0;
    routes.clear();
    expect(await fetchBundle("v2.9.5", { baseUrl: base, ca, cacheDir })).toBe(dir);
    expect(requests).toEqual([]);
    expect(cachedBundle("v2.9.5", cacheDir)).toBe(dir);
  });

  it("follows redirects like GitHub's release downloads", async () => {
    release("v2.9.1", GOOD);
    routes.set("/releases/download/v2.9.2/manifests.tar.gz", (res) => {
      res.writeHead(302, { location: "/releases/download/v2.9.1/manifests.tar.gz" });
      res.end();
    });
    serve("/releases/download/v2.9.2/flux_2.9.2_checksums.txt", `${sha(GOOD)}  manifests.tar.gz\n`);
    const dir = await fetchBundle("v2.9.2", { baseUrl: base, ca, cacheDir });
    expect(existsSync(path.join(dir, "rbac.yaml"))).toBe(true);
  });

  it("refuses a tampered archive and caches nothing", async () => {
    release("v2.9.5", GOOD, `${sha(Buffer.from("something else"))}  manifests.tar.gz\n`);
    await expect(fetchBundle("v2.9.5", { baseUrl: base, ca, cacheDir })).rejects.toThrow(
      /checksum mismatch for manifests.tar.gz of v2.9.5: expected sha256 [0-9a-f]{64}, got [0-9a-f]{64}/,
    );
    expect(existsSync(path.join(cacheDir, "manifests"))).toBe(false);
  });

  it("refuses a checksums file without the archive", async () => {
    release("v2.9.5", GOOD, `${sha(GOOD)}  install.yaml\n`);
    await expect(fetchBundle("v2.9.5", { baseUrl: base, ca, cacheDir })).rejects.toThrow(
      /has no checksum for manifests.tar.gz/,
    );
  });

  it("names the URL and --manifests when the release is not there", async () => {
    const err = await fetchBundle("v2.9.7", { baseUrl: base, ca, cacheDir }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(
      new RegExp(
        `failed to download manifests.tar.gz from ${base}/download/v2.9.7/manifests.tar.gz, error: status: 404 Not Found; .*--manifests`,
      ),
    );
  });

  it("names the URL and --manifests when offline", async () => {
    const err = (await fetchBundle("v2.9.5", {
      baseUrl: "https://127.0.0.1:1/releases",
      ca,
      cacheDir,
      timeoutMs: 2000,
    }).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(
      /failed to download manifests.tar.gz from https:\/\/127.0.0.1:1\/releases\/download\/v2.9.5\/manifests.tar.gz, error: .*ECONNREFUSED.*--manifests/,
    );
  });

  it("verifies TLS: without the test CA the server is not trusted", async () => {
    release("v2.9.5", GOOD);
    await expect(fetchBundle("v2.9.5", { baseUrl: base, cacheDir })).rejects.toThrow(
      /self-signed certificate|unable to verify|certificate/,
    );
    expect(cachedBundle("v2.9.5", cacheDir)).toBeUndefined();
  });

  it("refuses archives with path traversal and leaves no partial cache", async () => {
    const evil = makeTarGz([
      { name: "ok.yaml", data: "x" },
      { name: "../../evil.yaml", data: "x" },
    ]);
    release("v2.9.5", evil);
    await expect(fetchBundle("v2.9.5", { baseUrl: base, ca, cacheDir })).rejects.toThrow(
      /failed to untar manifests.tar.gz .*path traversal/,
    );
    expect(readdirSync(path.join(cacheDir, "manifests")).length).toBe(0);
    expect(existsSync(path.join(cacheDir, "evil.yaml"))).toBe(false);
  });

  it("times out on a server that never answers", async () => {
    routes.set("/releases/download/v2.9.5/manifests.tar.gz", () => {
      /* never respond */
    });
    const t0 = Date.now();
    await expect(fetchBundle("v2.9.5", { baseUrl: base, ca, cacheDir, timeoutMs: 300 })).rejects.toThrow(
      /timed out after 300ms/,
    );
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it("bounds the download size and refuses plain http", async () => {
    serve("/big", Buffer.alloc(2048));
    await expect(httpsGet(`${base.replace("/releases", "")}/big`, { ca, maxBytes: 1024 })).rejects.toThrow(
      /larger than 1024 bytes/,
    );
    await expect(httpsGet("http://127.0.0.1:1/x")).rejects.toThrow(/refusing to download over http/);
  });

  it("refuses a redirect to plain http without echoing its credentials or signed query", async () => {
    routes.set("/redirect", (res) => {
      res.writeHead(302, { location: "http://user:pa55@127.0.0.1:1/blob?X-Amz-Signature=s1gn3d" });
      res.end();
    });
    const err = (await httpsGet(`${base.replace("/releases", "")}/redirect`, { ca }).catch((e: unknown) => e)) as Error;
    expect(err.message).toBe("refusing to download over http: http://127.0.0.1:1/blob (https only)");
  });

  it("rejects invalid versions before any request", async () => {
    await expect(fetchBundle("2.9.5", { baseUrl: base, ca, cacheDir })).rejects.toThrow(/invalid Flux version '2.9.5'/);
    await expect(fetchBundle("v2.9.5/../../x", { baseUrl: base, ca, cacheDir })).rejects.toThrow(
      /invalid Flux version/,
    );
    expect(requests).toEqual([]);
  });
});
