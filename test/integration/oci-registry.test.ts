// Push, list, tag, pull and diff against a real registry (Debian's docker-registry),
// through the engine and through the CLI, plus tampering and error cases.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile, stat } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  diffArtifact,
  listArtifacts,
  pullArtifact,
  pushArtifact,
  tagArtifact,
  type Manifest,
} from "../../src/oci/artifact.js";
import { CONFIG_MEDIA_TYPE, CONTENT_MEDIA_TYPE } from "../../src/oci/constants.js";
import { parseArtifactUrl } from "../../src/oci/reference.js";
import { RegistryClient, sha256 } from "../../src/oci/registry.js";
import net from "node:net";
import { startRegistry, type TestRegistry } from "../env/registry.js";
import { must } from "../support/must.js";
import { stopAfterAll } from "../support/teardown.js";

const ROOT = path.resolve(__dirname, "../..");
const FLUX = path.join(ROOT, "bin", "flux.js");

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; the test registry serves plain HTTP, so --insecure-registry is added unless insecure is false. */
function flux(args: string[], env: NodeJS.ProcessEnv = {}, insecure = true): Promise<CliResult> {
  const cwd = ROOT;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [FLUX, ...args, ...(insecure ? ["--insecure-registry"] : [])],
      { cwd, env: { ...process.env, NO_COLOR: "1", ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        // The child's exit status; a signal or a spawn error (a string code) is 1.
        const code: unknown = err ? err.code : 0;
        resolve({ code: typeof code === "number" ? code : 1, stdout, stderr });
      },
    );
  });
}

function httpGet(
  url: string,
  accept?: string,
): Promise<{ status: number; body: Buffer; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: accept ? { Accept: accept } : {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }),
        );
      })
      .on("error", reject);
  });
}

let reg: TestRegistry;
const stopLater = stopAfterAll();
let work: string;
let src: string;
let home: string;

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, "dist", "cli", "entry.cjs")))
    throw new Error("run `npm run build` before the integration tests");
  reg = stopLater(await startRegistry());
  work = await mkdtemp(path.join(os.tmpdir(), "tsflux-oci-"));
  home = path.join(work, "home");
  await mkdir(home);
  src = path.join(work, "src");
  await mkdir(path.join(src, "apps"), { recursive: true });
  await writeFile(
    path.join(src, "apps", "deploy.yaml"),
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: podinfo\n",
  );
  await writeFile(path.join(src, "kustomization.yaml"), "resources:\n- apps/deploy.yaml\n");
  await writeFile(path.join(src, "logo.png"), "not really a png");
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const env = () => ({ HOME: home, DOCKER_CONFIG: path.join(home, ".docker") });

describe("engine round trip", () => {
  it("pushes an artifact source-controller can consume, lists, tags, pulls and diffs it", async () => {
    const { url, ref } = parseArtifactUrl(`oci://${reg.host}/engine/app:v1.0.0`);
    const pushed = await pushArtifact(ref, src, {
      source: "https://github.com/org/repo",
      revision: "main@sha1:0123456789abcdef0123456789abcdef01234567",
      annotations: { "org.opencontainers.image.description": "test <config> & more" },
      now: () => new Date("2026-01-02T03:04:05.678Z"),
      insecure: true,
    });
    expect(pushed.digestUrl).toBe(`${reg.host}/engine/app@${pushed.digest}`);

    // What the registry stores is the OCI manifest source-controller expects.
    const m = await httpGet(`${reg.url}/v2/engine/app/manifests/v1.0.0`, "application/vnd.oci.image.manifest.v1+json");
    expect(m.status).toBe(200);
    expect(m.headers["docker-content-digest"]).toBe(pushed.digest);
    expect(m.headers["content-type"]).toBe("application/vnd.oci.image.manifest.v1+json");
    const manifest = JSON.parse(m.body.toString()) as Manifest;
    expect(manifest.schemaVersion).toBe(2);
    expect(manifest.mediaType).toBe("application/vnd.oci.image.manifest.v1+json");
    expect(manifest.config.mediaType).toBe(CONFIG_MEDIA_TYPE);
    expect(manifest.layers).toHaveLength(1);
    expect(manifest.layers[0]?.mediaType).toBe(CONTENT_MEDIA_TYPE);
    expect(manifest.annotations).toEqual({
      "org.opencontainers.image.created": "2026-01-02T03:04:05Z",
      "org.opencontainers.image.description": "test <config> & more",
      "org.opencontainers.image.revision": "main@sha1:0123456789abcdef0123456789abcdef01234567",
      "org.opencontainers.image.source": "https://github.com/org/repo",
    });
    // Go's encoding/json escapes HTML characters; so do we (same digest as upstream would compute).
    expect(m.body.toString()).toContain("test \\u003cconfig\\u003e \\u0026 more");
    const config = await httpGet(`${reg.url}/v2/engine/app/blobs/${manifest.config.digest}`);
    expect((JSON.parse(config.body.toString()) as { rootfs: { type: string } }).rootfs.type).toBe("layers");

    const tagged = await tagArtifact(ref, ["latest", "stable"], { insecure: true });
    expect(tagged).toEqual([`${reg.host}/engine/app:latest`, `${reg.host}/engine/app:stable`]);

    const listed = await listArtifacts(parseArtifactUrl(`oci://${reg.host}/engine/app`).ref, `${reg.host}/engine/app`, {
      insecure: true,
    });
    expect(listed.map((l) => l.url)).toEqual([
      `${reg.host}/engine/app:v1.0.0`,
      `${reg.host}/engine/app:stable`,
      `${reg.host}/engine/app:latest`,
    ]);
    for (const l of listed) {
      expect(l.digest).toBe(pushed.digest);
      expect(l.source_url).toBe("https://github.com/org/repo");
      expect(l.source_revision).toBe("main@sha1:0123456789abcdef0123456789abcdef01234567");
    }
    const semver = await listArtifacts(parseArtifactUrl(`oci://${reg.host}/engine/app`).ref, `${reg.host}/engine/app`, {
      semverFilter: ">=1.0.0",
      insecure: true,
    });
    expect(semver.map((l) => l.url)).toEqual([`${reg.host}/engine/app:v1.0.0`]);
    const regex = await listArtifacts(parseArtifactUrl(`oci://${reg.host}/engine/app`).ref, `${reg.host}/engine/app`, {
      regexFilter: "^st",
      insecure: true,
    });
    expect(regex.map((l) => l.url)).toEqual([`${reg.host}/engine/app:stable`]);

    const out = path.join(work, "pulled-engine");
    await mkdir(out);
    const pulled = await pullArtifact(parseArtifactUrl(`oci://${reg.host}/engine/app@${pushed.digest}`).ref, url, out, {
      insecure: true,
    });
    expect(pulled.digest).toBe(`${reg.host}/engine/app@${pushed.digest}`);
    expect(pulled.source_revision).toBe("main@sha1:0123456789abcdef0123456789abcdef01234567");
    expect(await readFile(path.join(out, "apps", "deploy.yaml"), "utf8")).toContain("name: podinfo");
    expect(existsSync(path.join(out, "logo.png"))).toBe(false); // default --ignore-paths
    expect((await readdir(out)).sort()).toEqual(["apps", "kustomization.yaml"]);

    expect(await diffArtifact(ref, src, { insecure: true })).toEqual({ equal: true, changes: [] });
    const changed = path.join(work, "changed");
    await mkdir(path.join(changed, "apps"), { recursive: true });
    await writeFile(
      path.join(changed, "apps", "deploy.yaml"),
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: other\n",
    );
    await writeFile(path.join(changed, "extra.yaml"), "a: b\n");
    const d = await diffArtifact(ref, changed, { insecure: true });
    expect(d.equal).toBe(false);
    expect(d.changes.sort()).toEqual(["+ extra.yaml", "- kustomization.yaml", "~ apps/deploy.yaml"]);
  });
});

describe("CLI round trip", () => {
  it("push -o json, list, tag, pull and diff", async () => {
    const target = `oci://${reg.host}/cli/app:1.0.0`;
    const push = await flux(
      [
        "push",
        "artifact",
        target,
        "--path",
        src,
        "--source",
        "https://example.com/repo.git",
        "--revision",
        "v1@sha1:abc",
        "-o",
        "json",
      ],
      env(),
    );
    expect(push.stderr).toBe("");
    expect(push.code).toBe(0);
    const info = JSON.parse(push.stdout) as { url: string; repository: string; tag: string; digest: string };
    expect(Object.keys(info)).toEqual(["url", "repository", "tag", "digest"]);
    expect(info.repository).toBe(`${reg.host}/cli/app`);
    expect(info.tag).toBe("1.0.0");
    expect(info.url).toBe(`oci://${reg.host}/cli/app@${info.digest}`);

    const plain = await flux(
      ["push", "artifact", `oci://${reg.host}/cli/app:1.0.1`, "-f", src, "--source", "s", "--revision", "r"],
      env(),
    );
    expect(plain.code).toBe(0);
    expect(plain.stdout).toBe("");
    expect(plain.stderr).toMatch(
      new RegExp(
        `^► pushing artifact to ${reg.host}/cli/app:1.0.1\n✔ artifact successfully pushed to ${reg.host}/cli/app@sha256:[a-f0-9]{64}\n$`,
      ),
    );

    const tag = await flux(["tag", "artifact", target, "--tag", "latest,prod", "--tag", "v1"], env());
    expect(tag.code).toBe(0);
    expect(tag.stderr).toBe(
      `► tagging artifact\n✔ artifact tagged as ${reg.host}/cli/app:latest\n✔ artifact tagged as ${reg.host}/cli/app:prod\n✔ artifact tagged as ${reg.host}/cli/app:v1\n`,
    );

    const list = await flux(["list", "artifacts", `oci://${reg.host}/cli/app`], env());
    expect(list.code).toBe(0);
    const lines = list.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ARTIFACT\s+\tDIGEST\s+\tSOURCE\s+\tREVISION\s+$/);
    expect(lines.slice(1).map((l) => l.split("\t", 1).join("").trim())).toEqual([
      `${reg.host}/cli/app:v1`,
      `${reg.host}/cli/app:prod`,
      `${reg.host}/cli/app:latest`,
      `${reg.host}/cli/app:1.0.1`,
      `${reg.host}/cli/app:1.0.0`,
    ]);
    expect(lines[1]).toContain(info.digest);
    const json = await flux(
      ["list", "artifacts", `oci://${reg.host}/cli/app`, "--filter-semver", "~1.0", "-o", "json"],
      env(),
    );
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { url: string }[]).map((m) => m.url)).toEqual([
      `${reg.host}/cli/app:1.0.1`,
      `${reg.host}/cli/app:1.0.0`,
    ]);
    const yaml = await flux(
      ["list", "artifacts", `oci://${reg.host}/cli/app`, "--filter-regex", "^prod$", "-o", "yaml"],
      env(),
    );
    expect(yaml.stdout).toContain(`url: ${reg.host}/cli/app:prod`);
    expect(yaml.stdout).toContain("source_url: https://example.com/repo.git");

    const out = path.join(work, "pulled-cli");
    await mkdir(out);
    const pull = await flux(["pull", "artifact", `oci://${reg.host}/cli/app:prod`, "-o", out], env());
    expect(pull.code).toBe(0);
    expect(pull.stderr).toBe(
      [
        `► pulling artifact from ${reg.host}/cli/app:prod`,
        "✔ source https://example.com/repo.git",
        "✔ revision v1@sha1:abc",
        `✔ digest ${reg.host}/cli/app@${info.digest}`,
        `✔ artifact content extracted to ${out}`,
        "",
      ].join("\n"),
    );
    expect(await readFile(path.join(out, "kustomization.yaml"), "utf8")).toBe("resources:\n- apps/deploy.yaml\n");
    // Extracted files get the archive's (zeroed) modification time, as upstream's untar does.
    expect((await stat(path.join(out, "kustomization.yaml"))).mtimeMs).toBe(0);

    const same = await flux(["diff", "artifact", target, "--path", src], env());
    expect(same).toMatchObject({ code: 0, stdout: "" });
    expect(same.stderr).toBe("✔ no changes detected\n");
    await writeFile(path.join(out, "kustomization.yaml"), "resources: []\n");
    const differs = await flux(["diff", "artifact", target, "--path", out], env());
    expect(differs.code).toBe(1);
    expect(differs.stderr).toBe("✗ the remote artifact contents differs from the local one\n");
  });

  it("reproducible pushes of the same content give the same digest", async () => {
    const a = await flux(
      [
        "push",
        "artifact",
        `oci://${reg.host}/repro/app:a`,
        "--path",
        src,
        "--source",
        "s",
        "--revision",
        "r",
        "--reproducible",
        "-o",
        "json",
      ],
      env(),
    );
    await new Promise((r) => setTimeout(r, 1100));
    const b = await flux(
      [
        "push",
        "artifact",
        `oci://${reg.host}/repro/app:b`,
        "--path",
        src,
        "--source",
        "s",
        "--revision",
        "r",
        "--reproducible",
        "-o",
        "json",
      ],
      env(),
    );
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const digest = (r: CliResult) => (JSON.parse(r.stdout) as { digest: string }).digest;
    expect(digest(a)).toBe(digest(b));
    const m = await httpGet(`${reg.url}/v2/repro/app/manifests/a`, "application/vnd.oci.image.manifest.v1+json");
    expect((JSON.parse(m.body.toString()) as Manifest).annotations?.["org.opencontainers.image.created"]).toBe(
      "1970-01-01T00:00:00Z",
    );
  });

  it("pushes manifests from stdin", async () => {
    const r = await new Promise<CliResult>((resolve) => {
      const child = execFile(
        process.execPath,
        [
          FLUX,
          "push",
          "artifact",
          `oci://${reg.host}/stdin/app:v1`,
          "-f",
          "-",
          "--source",
          "s",
          "--revision",
          "r",
          "-o",
          "yaml",
          "--insecure-registry",
        ],
        { env: { ...process.env, ...env(), NO_COLOR: "1" } },
        (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }),
      );
      must(child.stdin, "the child's stdin").end("apiVersion: v1\nkind: ConfigMap\n\n\n");
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^digest: sha256:[a-f0-9]{64}\nrepository: 127\.0\.0\.1:\d+\/stdin\/app\ntag: v1\nurl: oci:\/\/127\.0\.0\.1:\d+\/stdin\/app@sha256:[a-f0-9]{64}\n$/,
    );
    const out = path.join(work, "pulled-stdin");
    await mkdir(out);
    expect((await flux(["pull", "artifact", `oci://${reg.host}/stdin/app:v1`, "-o", out], env())).code).toBe(0);
    expect(await readFile(path.join(out, "stdin.yaml"), "utf8")).toBe("apiVersion: v1\nkind: ConfigMap");
  });
});

describe("tampering and errors", () => {
  it("detects a modified blob in registry storage and leaves the output untouched", async () => {
    // Content of its own: blobs are shared by digest, and corrupting one that other
    // tests push too would break them when they run after this one.
    const own = path.join(work, "tamper-src");
    await mkdir(path.join(own, "apps"), { recursive: true });
    await writeFile(path.join(own, "kustomization.yaml"), "resources: []\n# tamper\n");
    await writeFile(path.join(own, "apps", "grown.yaml"), "kind: ConfigMap\n# grown\n");
    const { ref } = parseArtifactUrl(`oci://${reg.host}/tamper/app:v1`);
    const pushed = await pushArtifact(ref, own, { source: "s", revision: "r", insecure: true });
    const blob = reg.blobPath(pushed.layerDigest);
    const data = await readFile(blob);
    const at = data.length - 10;
    data.writeUInt8(data.readUInt8(at) ^ 0xff, at); // same size, different bytes
    await writeFile(blob, data);

    const out = path.join(work, "pulled-tampered");
    await mkdir(out);
    await writeFile(path.join(out, "keep.txt"), "mine");
    const pull = await flux(["pull", "artifact", `oci://${reg.host}/tamper/app:v1`, "-o", out], env());
    expect(pull.code).toBe(1);
    const last = pull.stderr.trimEnd().split("\n").pop();
    expect(last).toBe(
      `✗ digest mismatch for blob ${pushed.layerDigest}: got ${String(last?.match(/got (sha256:[a-f0-9]{64})/)?.[1])}; the registry content was modified or corrupted`,
    );
    expect(await readdir(out)).toEqual(["keep.txt"]);

    // A blob that grew in storage is cut off at its descriptor size.
    const { ref: grownRef } = parseArtifactUrl(`oci://${reg.host}/tamper/grown:v1`);
    const grown = await pushArtifact(grownRef, path.join(own, "apps"), { source: "s", revision: "r", insecure: true });
    await writeFile(
      reg.blobPath(grown.layerDigest),
      Buffer.concat([await readFile(reg.blobPath(grown.layerDigest)), Buffer.alloc(4096)]),
    );
    const grownPull = await flux(["pull", "artifact", `oci://${reg.host}/tamper/grown:v1`, "-o", out], env());
    expect(grownPull.code).toBe(1);
    expect(grownPull.stderr.trimEnd().split("\n").pop()).toBe(
      `✗ blob ${grown.layerDigest} is bigger than its descriptor size of ${must(grown.manifest.layers[0], "the pushed layer").size} bytes`,
    );
    expect(await readdir(out)).toEqual(["keep.txt"]);

    const diff = await flux(
      ["diff", "artifact", `oci://${reg.host}/tamper/app:v1`, "--path", path.join(work, "pulled-tampered")],
      env(),
    );
    expect(diff.code).toBe(1);
    expect(diff.stderr).toContain("digest mismatch for blob");
  });

  it("reports a missing tag, a malformed reference, an unreachable registry and bad flags in one line", async () => {
    const out = path.join(work, "pulled-missing");
    await mkdir(out);
    const missing = await flux(["pull", "artifact", `oci://${reg.host}/cli/app:nope`, "-o", out], env());
    expect(missing.code).toBe(1);
    expect(missing.stderr.trimEnd().split("\n").pop()).toBe(
      `✗ GET ${reg.host}/cli/app:nope: MANIFEST_UNKNOWN: manifest unknown`,
    );

    const norepo = await flux(["list", "artifacts", `oci://${reg.host}/does/not/exist`], env());
    expect(norepo.code).toBe(1);
    expect(norepo.stderr).toBe(
      `✗ listing tags failed: listing tags of ${reg.host}/does/not/exist: NAME_UNKNOWN: repository name not known to registry\n`,
    );

    const malformed = await flux(["pull", "artifact", `oci://${reg.host}/UPPER/app:v1`, "-o", out], env());
    expect(malformed).toMatchObject({ code: 1, stdout: "" });
    expect(malformed.stderr).toBe(
      `✗ 'oci://${reg.host}/UPPER/app:v1' invalid URL: could not parse reference: ${reg.host}/UPPER/app:v1\n`,
    );

    const noScheme = await flux(["tag", "artifact", `${reg.host}/app:v1`, "--tag", "x"], env());
    expect(noScheme.stderr).toBe("✗ URL must be in format 'oci://<domain>/<org>/<repo>'\n");

    const closed = (await import("../env/registry.js")).freePort;
    const port = await closed();
    const unreachable = await flux(
      ["push", "artifact", `oci://127.0.0.1:${port}/app:v1`, "--path", src, "--source", "s", "--revision", "r"],
      env(),
    );
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr.trimEnd().split("\n").pop()).toBe(
      `✗ pushing artifact failed: cannot reach registry 127.0.0.1:${port}: connection refused`,
    );

    const byDigest = await flux(
      [
        "push",
        "artifact",
        `oci://${reg.host}/cli/app@sha256:${"0".repeat(64)}`,
        "--path",
        src,
        "--source",
        "s",
        "--revision",
        "r",
      ],
      env(),
    );
    expect(byDigest.stderr).toBe(
      `✗ artifact tag parsing failed: '${reg.host}/cli/app@sha256:${"0".repeat(64)}' has a digest; push needs a tag\n`,
    );

    const noTag = await flux(["tag", "artifact", `oci://${reg.host}/cli/app:1.0.0`], env());
    expect(noTag.stderr).toBe("✗ --tag is required\n");
    const noSource = await flux(["push", "artifact", `oci://${reg.host}/cli/app:1.0.0`, "--path", src], env());
    expect(noSource.stderr).toBe("✗ --source is required\n");
    const noPath = await flux(
      ["push", "artifact", `oci://${reg.host}/cli/app:1.0.0`, "--source", "s", "--revision", "r"],
      env(),
    );
    expect(noPath.stderr).toBe('✗ invalid path ""\n');
    const badAnnotation = await flux(
      [
        "push",
        "artifact",
        `oci://${reg.host}/cli/app:1.0.0`,
        "--path",
        src,
        "--source",
        "s",
        "--revision",
        "r",
        "-a",
        "novalue",
      ],
      env(),
    );
    expect(badAnnotation.stderr).toBe("✗ invalid annotation novalue, must be in the format key=value\n");
    const badOut = await flux(
      ["pull", "artifact", `oci://${reg.host}/cli/app:1.0.0`, "-o", path.join(work, "nope")],
      env(),
    );
    expect(badOut.stderr).toBe(`✗ invalid output path ${path.join(work, "nope")}\n`);
  });
});

describe("registry client", () => {
  it("follows tag list pagination (Link headers)", async () => {
    const { ref } = parseArtifactUrl(`oci://${reg.host}/paged/app:t0`);
    const pushed = await pushArtifact(ref, src, { source: "s", revision: "r", insecure: true });
    await tagArtifact(ref, ["t1", "t2", "t3", "t4"], { insecure: true });
    const client = new RegistryClient({ registry: reg.host, insecure: true });
    try {
      // distribution 2.8 does not return pages in order; all tags, each once, is the contract.
      expect((await client.listTags("paged/app", 2)).sort()).toEqual(["t0", "t1", "t2", "t3", "t4"]);
      const m = await client.getManifest("paged/app", pushed.digest);
      expect(m.digest).toBe(pushed.digest);
      expect(await client.blobExists("paged/app", pushed.layerDigest)).toBe(true);
      expect(await client.blobExists("paged/app", `sha256:${"1".repeat(64)}`)).toBe(false);
    } finally {
      client.close();
    }
  });
});

describe("TLS by default", () => {
  it("does not fall back to plain HTTP without --insecure-registry, even on loopback", async () => {
    const r = await flux(["list", "artifacts", `oci://${reg.host}/cli/app`], env(), false);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^✗ listing tags failed: cannot reach registry ${reg.host.replace(/\./g, "\\.")}: TLS handshake failed \\([A-Z_]+\\); the registry may serve plain HTTP: use --insecure-registry\\n$`,
      ),
    );
  });
});

describe("artifacts written by other tools", () => {
  it("pulls and diffs an artifact whose tarball GNU tar wrote (./ names, other gzip bytes) under a Docker v2 manifest", async () => {
    const tgz = await new Promise<Buffer>((resolve, reject) =>
      execFile(
        "tar",
        ["--format=gnu", "--owner=0", "--group=0", "-czf", "-", "-C", src, "."],
        { encoding: "buffer" },
        (err, stdout) => {
          if (err) reject(new Error(`GNU tar failed: ${err.message}`, { cause: err }));
          else resolve(stdout);
        },
      ),
    );
    const client = new RegistryClient({ registry: reg.host, insecure: true });
    const config = Buffer.from("{}");
    await client.uploadBlob("foreign/app", config);
    await client.uploadBlob("foreign/app", tgz);
    const manifest = {
      schemaVersion: 2,
      mediaType: "application/vnd.docker.distribution.manifest.v2+json",
      config: {
        mediaType: "application/vnd.docker.container.image.v1+json",
        size: config.length,
        digest: sha256(config),
      },
      layers: [
        { mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: tgz.length, digest: sha256(tgz) },
      ],
    };
    await client.putManifest("foreign/app", "v1", Buffer.from(JSON.stringify(manifest)), manifest.mediaType);
    client.close();

    const out = path.join(work, "pulled-foreign");
    await mkdir(out);
    const pull = await flux(["pull", "artifact", `oci://${reg.host}/foreign/app:v1`, "-o", out], env());
    expect(pull.code).toBe(0);
    expect(pull.stderr).toContain("✔ source \n");
    expect(await readFile(path.join(out, "apps", "deploy.yaml"), "utf8")).toContain("name: podinfo");
    // The tarball holds logo.png (GNU tar ignores nothing); the local build ignores it.
    const diff = await flux(
      ["diff", "artifact", `oci://${reg.host}/foreign/app:v1`, "--path", src, "--ignore-paths", ".git/"],
      env(),
    );
    expect(diff.stderr).toBe("✔ no changes detected\n");
    const list = await flux(["list", "artifacts", `oci://${reg.host}/foreign/app`], env());
    expect(list.stdout.split("\n")[1]).toMatch(
      new RegExp(`^${reg.host}/foreign/app:v1\\s*\\tsha256:[a-f0-9]{64}\\s*\\t {6}\\t {8}\\t$`),
    );
  });
});

describe("deadlines", () => {
  it("gives up after --timeout on a registry that never answers", async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const started = Date.now();
      const r = await flux(["list", "artifacts", `oci://127.0.0.1:${port}/app`, "--timeout", "1s"], env());
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`✗ listing tags failed: request to 127.0.0.1:${port} timed out\n`);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });
});
