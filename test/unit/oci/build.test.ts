// Reproducible artifact tarballs: same input, same bytes; headers like Go's
// archive/tar writes them for fluxcd/pkg/oci; --ignore-paths and .sourceignore.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildArtifact, writeFileAtomic } from "../../../src/oci/build.js";
import { readTar } from "../../../src/oci/tar.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "tsflux-oci-build-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function tree(root: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), content);
  }
}

const names = (data: Buffer) => readTar(gunzipSync(data)).map((e) => e.name);

describe("buildArtifact", () => {
  it("produces the same bytes for the same content, whatever the mtimes and creation order", async () => {
    const a = path.join(dir, "a");
    const b = path.join(dir, "b");
    await tree(a, { "z.yaml": "z: 1\n", "apps/x.yaml": "x: 1\n", "apps/a.yaml": "a: 1\n" });
    await tree(b, { "apps/a.yaml": "a: 1\n", "apps/x.yaml": "x: 1\n", "z.yaml": "z: 1\n" });
    await utimes(path.join(b, "z.yaml"), 1000, 2000);
    const one = await buildArtifact(a);
    const two = await buildArtifact(b);
    expect(one.data.equals(two.data)).toBe(true);
    expect(one.digest).toBe(two.digest);
    expect(one.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(one.entries).toEqual([".", "apps", "apps/a.yaml", "apps/x.yaml", "z.yaml"]);
    // A content change changes the digest.
    await writeFile(path.join(b, "z.yaml"), "z: 2\n");
    expect((await buildArtifact(b)).digest).not.toBe(one.digest);
  });

  it("writes Go archive/tar USTAR headers with zeroed owners and times, and a Go-like gzip header", async () => {
    await tree(dir, { "cm.yaml": "kind: ConfigMap\n" });
    await chmod(path.join(dir, "cm.yaml"), 0o644);
    await chmod(dir, 0o755);
    const { data } = await buildArtifact(dir);
    expect([...data.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
    const tar = gunzipSync(data);
    const field = (block: number, off: number, len: number) =>
      tar.subarray(block * 512 + off, block * 512 + off + len).toString("latin1");
    // root "." directory entry
    expect(field(0, 0, 2)).toBe(".\0");
    expect(field(0, 100, 8)).toBe("0000755\0");
    expect(field(0, 156, 1)).toBe("5");
    // the file
    expect(field(1, 0, 8)).toBe("cm.yaml\0");
    expect(field(1, 100, 8)).toBe("0000644\0");
    expect(field(1, 108, 8)).toBe("0000000\0");
    expect(field(1, 116, 8)).toBe("0000000\0");
    expect(field(1, 124, 12)).toBe("00000000020\0");
    expect(field(1, 136, 12)).toBe("00000000000\0");
    expect(field(1, 148, 8)).toMatch(/^0[0-7]{5}\0 $/);
    expect(field(1, 156, 1)).toBe("0");
    expect(field(1, 257, 8)).toBe("ustar\u000000");
    expect(field(1, 265, 64)).toBe("\0".repeat(64)); // no owner names
    expect(field(1, 329, 16)).toBe("0000000\u00000000000\0");
    // content, padding, and the two zero blocks that end the archive (no record padding)
    expect(field(2, 0, 16)).toBe("kind: ConfigMap\n");
    expect(tar.length).toBe(512 * 5);
    // GNU tar agrees
    const listing = execFileSync("tar", ["-tvzf", "-"], { input: data }).toString();
    expect(listing).toContain("0/0              16 1970-01-01 00:00 cm.yaml");
  });

  it("writes the exact tar Go's archive/tar writes for fluxcd/pkg (golden digest)", async () => {
    // The tree below, archived by a Go program doing what fluxcd/pkg/tar.Tar does
    // (filepath.Walk, tar.FileInfoHeader, name relative to the root, uid/gid/uname/
    // gname and times zeroed) with go1.26.8, gives an uncompressed tar whose sha256 is:
    const GO_TAR_SHA256 = "5a6439cdccd02813679dbfca8d2d0de93e434e950b8d584dbdd7f1c17669dfa6";
    const long = `${"d".repeat(60)}/${"e".repeat(60)}`;
    await tree(dir, {
      "apps/a.yaml": "a: 1\n",
      "apps/sub/b.yaml": "b\n",
      "run.sh": "#!/bin/sh\n",
      [`${long}/file.yaml`]: "x\n",
      [`${"x".repeat(120)}.yaml`]: "y\n",
      "héllo.yaml": "z\n",
      "Zeta.yaml": "empty\n",
      "empty.yaml": "",
    });
    for (const d of [".", "apps", "apps/sub", "d".repeat(60), long]) await chmod(path.join(dir, d), 0o755);
    for (const f of [
      "apps/sub/b.yaml",
      `${long}/file.yaml`,
      `${"x".repeat(120)}.yaml`,
      "héllo.yaml",
      "Zeta.yaml",
      "empty.yaml",
    ])
      await chmod(path.join(dir, f), 0o644);
    await chmod(path.join(dir, "run.sh"), 0o755);
    await chmod(path.join(dir, "apps/a.yaml"), 0o600);
    const built = await buildArtifact(dir, { ignorePaths: [] });
    expect(createHash("sha256").update(gunzipSync(built.data)).digest("hex")).toBe(GO_TAR_SHA256);
  });

  it("keeps long and non-ASCII names (USTAR prefix, PAX path) readable by GNU tar", async () => {
    const long = `${"d".repeat(60)}/${"e".repeat(60)}/file.yaml`;
    const longer = `${"x".repeat(120)}.yaml`;
    await tree(dir, { [long]: "a\n", [longer]: "b\n", "héllo.yaml": "c\n" });
    const { data } = await buildArtifact(dir);
    expect(names(data)).toEqual([
      ".",
      "d".repeat(60),
      `${"d".repeat(60)}/${"e".repeat(60)}`,
      long,
      "héllo.yaml",
      longer,
    ]);
    const listing = execFileSync("tar", ["-tzf", "-"], { input: data }).toString().trim().split("\n");
    expect(listing).toEqual([".", "d".repeat(60), `${"d".repeat(60)}/${"e".repeat(60)}`, long, "héllo.yaml", longer]);
  });

  it("honours the default ignore paths, --ignore-paths and .sourceignore files (scoped to their directory)", async () => {
    await tree(dir, {
      ".git/config": "x",
      ".gitignore": "x",
      "logo.png": "x",
      "keep.yaml": "x",
      "secret.env": "x",
      "apps/.sourceignore": "*.md\n!README.md\n",
      "apps/notes.md": "x",
      "apps/README.md": "x",
      "apps/deploy.yaml": "x",
      "docs/notes.md": "x",
      ".sourceignore": "# comment\n\n*.env\n/docs/\n",
    });
    const def = await buildArtifact(dir);
    expect(def.entries).toEqual([
      ".",
      ".sourceignore",
      "apps",
      "apps/.sourceignore",
      "apps/README.md",
      "apps/deploy.yaml",
      "keep.yaml",
    ]);
    const custom = await buildArtifact(dir, { ignorePaths: ["keep.yaml", "apps/"] });
    // "apps/" matches every path under apps, but the files are still walked and judged on
    // their own (as filepath.Walk with a filter does upstream), so apps/.sourceignore's
    // later "!README.md" brings README.md back without its directory entry.
    expect(custom.entries).toEqual([
      ".",
      ".git",
      ".git/config",
      ".gitignore",
      ".sourceignore",
      "apps/README.md",
      "logo.png",
    ]);
    const noSourceIgnore = await buildArtifact(dir, { sourceIgnore: false, ignorePaths: [] });
    expect(noSourceIgnore.entries).toContain("secret.env");
  });

  it("archives a single file as upstream does (a 0700 root and the file)", async () => {
    await tree(dir, { "one.yaml": "a: 1\n" });
    await chmod(path.join(dir, "one.yaml"), 0o600);
    const built = await buildArtifact(path.join(dir, "one.yaml"));
    const entries = readTar(gunzipSync(built.data));
    expect(entries.map((e) => [e.name, e.mode.toString(8)])).toEqual([
      [".", "700"],
      ["one.yaml", "600"],
    ]);
  });

  it("skips symlinks unless asked to resolve them (and survives cycles)", async () => {
    await tree(dir, { "src/a.yaml": "a\n", "outside/secret.yaml": "s\n" });
    await symlink(path.join(dir, "outside", "secret.yaml"), path.join(dir, "src", "link.yaml"));
    await symlink(path.join(dir, "src"), path.join(dir, "src", "loop"));
    expect((await buildArtifact(path.join(dir, "src"))).entries).toEqual([".", "a.yaml"]);
    const resolved = await buildArtifact(path.join(dir, "src"), { resolveSymlinks: true });
    expect(resolved.entries).toEqual([".", "a.yaml", "link.yaml", "loop"]);
  });

  it("fails clearly on a missing path and writes outputs atomically", async () => {
    await expect(buildArtifact(path.join(dir, "missing"))).rejects.toThrow(
      `invalid path '${path.join(dir, "missing")}', must point to an existing directory or file`,
    );
    const out = path.join(dir, "artifact.tgz");
    await writeFileAtomic(out, Buffer.from("data"));
    expect(await readFile(out, "utf8")).toBe("data");
  });
});

describe("flux build artifact", () => {
  const flux = (args: string[], input?: string) =>
    spawnSync(process.execPath, [path.resolve("bin/flux.js"), ...args], {
      cwd: dir,
      input,
      env: { ...process.env, NO_COLOR: "1" },
      encoding: "utf8",
    });

  it("writes the same file twice for the same input, with upstream's messages", async () => {
    await tree(dir, { "src/a.yaml": "a: 1\n", "src/b/c.yaml": "c: 1\n" });
    const one = flux(["build", "artifact", "--path", "src", "--output", "one.tgz"]);
    expect(one.status).toBe(0);
    expect(one.stdout).toBe("");
    expect(one.stderr).toBe("► building artifact from src\n✔ artifact created at one.tgz\n");
    await utimes(path.join(dir, "src", "a.yaml"), 12345, 12345);
    expect(flux(["build", "artifact", "-p", "src"]).status).toBe(0); // default output artifact.tgz
    expect((await readFile(path.join(dir, "one.tgz"))).equals(await readFile(path.join(dir, "artifact.tgz")))).toBe(
      true,
    );
    expect(
      execFileSync("stat", ["-c", "%a", path.join(dir, "one.tgz")])
        .toString()
        .trim(),
    ).toBe("640");
  });

  it("builds from stdin and reports bad paths", async () => {
    const r = flux(["build", "artifact", "-p", "-", "-o", "stdin.tgz"], "kind: ConfigMap\n\n");
    expect(r.status).toBe(0);
    const entries = readTar(gunzipSync(await readFile(path.join(dir, "stdin.tgz"))));
    expect(entries.map((e) => e.name)).toEqual([".", "stdin.yaml"]);
    expect(entries[1]?.data.toString()).toBe("kind: ConfigMap");
    expect(flux(["build", "artifact"]).stderr).toBe('✗ invalid path ""\n');
    expect(flux(["build", "artifact", "-p", "missing"]).stderr).toBe(
      "✗ invalid path 'missing', must point to an existing directory or file\n",
    );
    const ignored = flux(["build", "artifact", "-p", "-", "-o", "x.tgz", "--ignore-paths", "*.yaml"], "a: b");
    expect(ignored.status).toBe(0);
    expect(readTar(gunzipSync(await readFile(path.join(dir, "x.tgz")))).map((e) => e.name)).toEqual(["."]);
  });
});
