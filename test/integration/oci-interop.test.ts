// Interoperability with a Go OCI implementation (skopeo, containers/image): what
// tsflux pushes is read and digest-verified by Go code, and an artifact uploaded by
// Go code is pulled and diffed by tsflux.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffArtifact, pullArtifact, pushArtifact, type Descriptor, type Manifest } from "../../src/oci/artifact.js";
import { CONFIG_MEDIA_TYPE, CONTENT_MEDIA_TYPE } from "../../src/oci/constants.js";
import { parseArtifactUrl } from "../../src/oci/reference.js";
import { startRegistry, type TestRegistry } from "../env/registry.js";
import { stopAfterAll } from "../support/teardown.js";

const run = promisify(execFile);

async function skopeo(args: string[]): Promise<string> {
  try {
    return (await run("skopeo", args, { maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT")
      throw new Error("skopeo not found: apt-get install -y skopeo", { cause: err });
    throw err;
  }
}

let reg: TestRegistry;
let work: string;
let src: string;
const stopLater = stopAfterAll();

beforeAll(async () => {
  reg = stopLater(await startRegistry());
  work = await mkdtemp(path.join(os.tmpdir(), "tsflux-oci-interop-"));
  src = path.join(work, "src");
  await mkdir(path.join(src, "base"), { recursive: true });
  await writeFile(path.join(src, "base", "ns.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n");
  await writeFile(path.join(src, "kustomization.yaml"), "resources:\n- base/ns.yaml\n");
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("skopeo (Go, containers/image)", () => {
  it("copies what tsflux pushed (verifying every digest) and tsflux reads what skopeo uploaded", async () => {
    const { ref } = parseArtifactUrl(`oci://${reg.host}/interop/app:v1`);
    const pushed = await pushArtifact(ref, src, {
      source: "https://example.com/app",
      revision: "main@sha1:abc",
      insecure: true,
    });

    const raw = await skopeo(["inspect", "--raw", "--tls-verify=false", `docker://${reg.host}/interop/app:v1`]);
    const manifest = JSON.parse(raw) as Manifest;
    expect(manifest.config.mediaType).toBe(CONFIG_MEDIA_TYPE);
    expect(manifest.layers[0]?.mediaType).toBe(CONTENT_MEDIA_TYPE);
    expect(manifest.annotations?.["org.opencontainers.image.revision"]).toBe("main@sha1:abc");

    // Go downloads and digest-verifies config and layer into an OCI layout, then uploads it elsewhere.
    const layout = path.join(work, "layout");
    await skopeo(["copy", "--src-tls-verify=false", `docker://${reg.host}/interop/app:v1`, `oci:${layout}:v1`]);
    const index = JSON.parse(await readFile(path.join(layout, "index.json"), "utf8")) as { manifests: Descriptor[] };
    expect(index.manifests[0]?.digest).toBe(pushed.digest);
    await skopeo(["copy", "--dest-tls-verify=false", `oci:${layout}:v1`, `docker://${reg.host}/interop/copied:v1`]);

    const copied = parseArtifactUrl(`oci://${reg.host}/interop/copied:v1`);
    const out = path.join(work, "out");
    await mkdir(out);
    const pulled = await pullArtifact(copied.ref, copied.url, out, { insecure: true });
    expect(pulled.digest).toBe(`${reg.host}/interop/copied@${pushed.digest}`);
    expect(pulled.source_url).toBe("https://example.com/app");
    expect(await readFile(path.join(out, "base", "ns.yaml"), "utf8")).toContain("kind: Namespace");
    expect(await diffArtifact(copied.ref, src, { insecure: true })).toEqual({ equal: true, changes: [] });
  });
});
