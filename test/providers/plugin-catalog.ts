// The Flux plugin catalog as upstream flux v2.9.5 reads it: GitHub's release download
// contract for fluxcd/plugins. `<base>/fluxcd/plugins/releases/latest/download/<asset>`
// answers 302 to the asset of the latest release (`/releases/download/<tag>/<asset>`),
// which answers 200 with the bytes, or 404 "Not Found" for an asset the release lacks.
// The assets are catalog.yaml, one <name>.yaml manifest per plugin and the plugin
// archives, built with the system's tar and zip as release tooling builds them.
// Faults: the next N requests for a path answer with a status (and headers).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { stringify } from "yaml";

const TAG = "v0.9.0";
const LATEST = "/fluxcd/plugins/releases/latest/download/";

export type ArchiveKind = "tar.gz" | "tgz" | "tar" | "zip" | "binary";

export interface PluginBuild {
  name: string;
  description: string;
  /** The binary's file name (manifest bin); default flux-<name>. */
  bin?: string;
  versions: {
    version: string;
    /** The executable's content (a shell script); default prints "<name> <version> <args>". */
    script?: string;
    archive?: ArchiveKind;
    /** Where the binary sits in the archive (default its bare name at the top). */
    pathInArchive?: string;
    /** The platform's extractPath. */
    extractPath?: string;
    /** Override the platform's checksum (a wrong digest). */
    checksum?: string;
    /** Platforms (GOOS/GOARCH); default this machine's only. */
    platforms?: { os: string; arch: string }[];
  }[];
}

export interface CatalogServer {
  /** The catalog's base, as FLUXCD_PLUGIN_CATALOG takes it (ends in "/"). */
  base: string;
  /** http://127.0.0.1:<port> */
  origin: string;
  /** Paths asked for, in order. */
  requests: string[];
  /** The sha256 digest ("sha256:…") of a version's asset for this machine. */
  digest(name: string, version: string): string;
  /** Replaces an asset's bytes (catalog.yaml, a manifest, an archive). */
  setAsset(file: string, data: string | Buffer): void;
  removeAsset(file: string): void;
  /** The next `count` requests whose path ends with `suffix` answer `status`. */
  failNext(suffix: string, count: number, status: number, headers?: Record<string, string>): void;
  stop(): Promise<void>;
}

/** This machine in Go's names. */
export const GOOS = process.platform === "win32" ? "windows" : process.platform;
export const GOARCH =
  ({ x64: "amd64", ia32: "386", arm64: "arm64" } as Record<string, string>)[process.arch] ?? process.arch;

/** The default executable: prints its name, version and arguments; exits with $PLUGIN_EXIT (default 0). */
export function pluginScript(name: string, version: string): string {
  return `#!/bin/sh\necho "${name} ${version} $*"\nexit \${PLUGIN_EXIT:-0}\n`;
}

function archive(kind: ArchiveKind, work: string, inside: string, content: string): Buffer {
  if (kind === "binary") return Buffer.from(content);
  const dir = mkdtempSync(join(work, "a-"));
  const file = join(dir, "root", inside);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  chmodSync(file, 0o755);
  // a README beside the binary, as release archives have
  writeFileSync(join(dir, "root", "README.md"), "# plugin\n");
  const out = join(dir, `out.${kind}`);
  const cwd = join(dir, "root");
  if (kind === "zip") execFileSync("zip", ["-q", "-r", out, "."], { cwd });
  else execFileSync("tar", [kind === "tar" ? "-cf" : "-czf", out, "."], { cwd });
  return readFileSync(out);
}

export async function startPluginCatalog(plugins: PluginBuild[]): Promise<CatalogServer> {
  const work = mkdtempSync(join(tmpdir(), "tsflux-plugin-catalog-"));
  const assets = new Map<string, Buffer>();
  const requests: string[] = [];
  const faults: { suffix: string; count: number; status: number; headers: Record<string, string> }[] = [];
  const digests = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    requests.push(path);
    const fault = faults.find((f) => f.count > 0 && path.endsWith(f.suffix));
    if (fault) {
      fault.count--;
      res.writeHead(fault.status, { "content-type": "text/plain", ...fault.headers }).end(`${fault.status}\n`);
      return;
    }
    if (req.method !== "GET") {
      res.writeHead(405).end();
      return;
    }
    if (path.startsWith(LATEST)) {
      const asset = path.slice(LATEST.length);
      res.writeHead(302, { location: `/fluxcd/plugins/releases/download/${TAG}/${asset}` }).end();
      return;
    }
    const prefix = `/fluxcd/plugins/releases/download/${TAG}/`;
    const data = path.startsWith(prefix) ? assets.get(path.slice(prefix.length)) : undefined;
    if (!data) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not Found");
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": data.length }).end(data);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  for (const p of plugins) {
    const bin = p.bin ?? `flux-${p.name}`;
    const versions = p.versions.map((v) => {
      const kind = v.archive ?? "tar.gz";
      const ext = kind === "binary" ? "" : `.${kind}`;
      const platforms = (v.platforms ?? [{ os: GOOS, arch: GOARCH }]).map(({ os, arch }) => {
        const file = `${p.name}_${v.version}_${os}_${arch}${ext}`;
        const data = archive(kind, work, v.pathInArchive ?? bin, v.script ?? pluginScript(p.name, v.version));
        assets.set(file, data);
        const digest = `sha256:${createHash("sha256").update(data).digest("hex")}`;
        if (os === GOOS && arch === GOARCH) digests.set(`${p.name}@${v.version}`, digest);
        return {
          os,
          arch,
          url: `${origin}/fluxcd/plugins/releases/download/${TAG}/${file}`,
          checksum: v.checksum ?? digest,
          ...(v.extractPath ? { extractPath: v.extractPath } : {}),
        };
      });
      return { version: v.version, platforms };
    });
    const manifest = {
      apiVersion: "cli.fluxcd.io/v1beta1",
      kind: "Plugin",
      name: p.name,
      description: p.description,
      homepage: `https://example.com/${p.name}`,
      source: `https://example.com/${p.name}/src`,
      bin,
      versions,
    };
    assets.set(`${p.name}.yaml`, Buffer.from(stringify(manifest)));
  }
  const catalog = {
    apiVersion: "cli.fluxcd.io/v1beta1",
    kind: "PluginCatalog",
    plugins: plugins.map((p) => ({
      name: p.name,
      description: p.description,
      homepage: `https://example.com/${p.name}`,
      source: `https://example.com/${p.name}/src`,
      license: "Apache-2.0",
    })),
  };
  assets.set("catalog.yaml", Buffer.from(stringify(catalog)));

  return {
    base: `${origin}${LATEST}`,
    origin,
    requests,
    digest: (name, version) => {
      const d = digests.get(`${name}@${version}`);
      if (!d) throw new Error(`no asset for ${name}@${version} on ${GOOS}/${GOARCH}`);
      return d;
    },
    setAsset: (file, data) => void assets.set(file, Buffer.from(data)),
    removeAsset: (file) => void assets.delete(file),
    failNext: (suffix, count, status, headers = {}) => void faults.push({ suffix, count, status, headers }),
    stop: async () => {
      rmSync(work, { recursive: true, force: true });
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
