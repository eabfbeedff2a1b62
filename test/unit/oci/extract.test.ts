// Safe extraction: traversal, absolute names, links, devices, size caps, conflicts
// with the target, and nothing half-written when an archive is refused.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { extractTarGz, planExtraction, safeEntryPath } from "../../../src/oci/extract.js";
import { readTar, TarWriter } from "../../../src/oci/tar.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "tsflux-oci-extract-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A raw USTAR header for hostile archives the writer would never produce. */
function header(name: string, typeflag: string, size = 0, linkname = ""): Buffer {
  const b = Buffer.alloc(512);
  b.write(name, 0, "utf8");
  b.write("0000644\0", 100, "latin1");
  b.write("0000000\0", 108, "latin1");
  b.write("0000000\0", 116, "latin1");
  b.write(size.toString(8).padStart(11, "0") + "\0", 124, "latin1");
  b.write("00000000000\0", 136, "latin1");
  b.write(typeflag, 156, "latin1");
  b.write(linkname, 157, "utf8");
  b.write("ustar\0", 257, "latin1");
  b.write("00", 263, "latin1");
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const x of b) sum += x;
  b.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, "latin1");
  return b;
}

function archive(...parts: Array<{ name: string; type?: string; data?: string; link?: string }>): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const data = Buffer.from(p.data ?? "");
    chunks.push(header(p.name, p.type ?? "0", p.type && p.type !== "0" ? 0 : data.length, p.link ?? ""));
    if ((p.type ?? "0") === "0" && data.length) {
      chunks.push(data, Buffer.alloc((512 - (data.length % 512)) % 512));
    }
  }
  chunks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(chunks));
}

describe("safeEntryPath", () => {
  it("normalises harmless names and refuses escapes", () => {
    expect(safeEntryPath("./a/b.yaml")).toBe("a/b.yaml");
    expect(safeEntryPath("a//b/")).toBe("a/b");
    expect(safeEntryPath(".")).toBeNull();
    for (const bad of ["../x", "a/../../x", "/etc/passwd", "a\\b", "C:/x", "", "a/..", "x\0y"]) {
      expect(() => safeEntryPath(bad), bad).toThrow(/invalid name/);
    }
  });
});

describe("extractTarGz", () => {
  it("extracts what the writer wrote, with permissions", async () => {
    const tw = new TarWriter();
    tw.addDirectory(".", 0o755);
    tw.addDirectory("apps", 0o755);
    tw.addFile("apps/a.yaml", 0o640, Buffer.from("a: 1\n"));
    tw.addFile("run.sh", 0o755, Buffer.from("#!/bin/sh\n"));
    const res = await extractTarGz(gzipSync(tw.finish()), dir);
    expect(res.files).toBe(2);
    expect(await readFile(path.join(dir, "apps", "a.yaml"), "utf8")).toBe("a: 1\n");
    expect((await readdir(dir)).sort()).toEqual(["apps", "run.sh"]);
    expect(
      execFileSync("stat", ["-c", "%a", path.join(dir, "run.sh")])
        .toString()
        .trim(),
    ).toBe("755");
  });

  it("refuses traversal and absolute names before writing anything", async () => {
    await writeFile(path.join(dir, "keep"), "k");
    for (const name of ["../evil.yaml", "ok/../../evil.yaml", "/tmp/evil.yaml"]) {
      const gz = archive({ name: "first.yaml", data: "1" }, { name, data: "evil" });
      await expect(extractTarGz(gz, dir)).rejects.toThrow(/invalid name/);
    }
    expect(await readdir(dir)).toEqual(["keep"]);
    expect(existsSync(path.join(path.dirname(dir), "evil.yaml"))).toBe(false);
  });

  it("skips symlinks and hard links (no links out of the target) and refuses devices", async () => {
    const gz = archive(
      { name: "a.yaml", data: "a" },
      { name: "link", type: "2", link: "/etc/passwd" },
      { name: "hard", type: "1", link: "a.yaml" },
    );
    const res = await extractTarGz(gz, dir);
    expect(res.skipped).toEqual(["link", "hard"]);
    expect((await readdir(dir)).sort()).toEqual(["a.yaml"]);
    await expect(extractTarGz(archive({ name: "dev", type: "3" }), dir)).rejects.toThrow(
      "tar file entry dev contained unsupported file type",
    );
  });

  it("never writes through a symlink already in the target", async () => {
    const outside = path.join(dir, "outside");
    const target = path.join(dir, "target");
    await mkdir(outside);
    await mkdir(target);
    await symlink(outside, path.join(target, "apps"));
    await expect(extractTarGz(archive({ name: "apps/x.yaml", data: "x" }), target)).rejects.toThrow(
      /refusing to extract through the symlink/,
    );
    expect(await readdir(outside)).toEqual([]);
  });

  it("enforces the size cap on the uncompressed content (zip bombs)", async () => {
    const big = "x".repeat(64 * 1024);
    await expect(
      extractTarGz(archive({ name: "a", data: big }, { name: "b", data: big }), dir, { maxBytes: 100 * 1024 }),
    ).rejects.toThrow(/bigger than (the )?max/);
    expect(await readdir(dir)).toEqual([]);
  });

  it("refuses a path that is both a file and a directory, and lets the last duplicate win", async () => {
    await expect(extractTarGz(archive({ name: "a", data: "1" }, { name: "a/b", data: "2" }), dir)).rejects.toThrow(
      /parent is a file/,
    );
    await extractTarGz(archive({ name: "x", data: "1" }, { name: "x", data: "2" }), dir);
    expect(await readFile(path.join(dir, "x"), "utf8")).toBe("2");
  });

  it("rejects data that is not gzip", () => {
    expect(() => planExtraction(Buffer.from("plain text"))).toThrow(/requires gzip-compressed body/);
  });
});

describe("readTar", () => {
  it("reads GNU and PAX archives written by GNU tar (./ prefixes, long names)", async () => {
    const src = path.join(dir, "src");
    const long = "l".repeat(150);
    await mkdir(path.join(src, "sub"), { recursive: true });
    await writeFile(path.join(src, "sub", `${long}.yaml`), "long\n");
    await writeFile(path.join(src, "a.yaml"), "a\n");
    for (const format of ["gnu", "pax", "ustar"]) {
      if (format === "ustar") await rm(path.join(src, "sub", `${long}.yaml`));
      const tar = execFileSync("tar", [`--format=${format}`, "-cf", "-", "-C", src, "."]);
      const names = readTar(tar)
        .map((e) => e.name)
        .sort();
      expect(names, format).toEqual(
        format === "ustar" ? ["./", "./a.yaml", "./sub/"] : ["./", "./a.yaml", "./sub/", `./sub/${long}.yaml`],
      );
      const out = path.join(dir, `out-${format}`);
      await mkdir(out);
      await extractTarGz(gzipSync(tar), out);
      expect(await readFile(path.join(out, "a.yaml"), "utf8")).toBe("a\n");
    }
  });

  it("rejects a corrupted header checksum", () => {
    const tw = new TarWriter();
    tw.addFile("a", 0o644, Buffer.from("a"));
    const tar = tw.finish();
    tar[0] = "b".charCodeAt(0);
    expect(() => readTar(tar)).toThrow("invalid tar header checksum");
  });
});
