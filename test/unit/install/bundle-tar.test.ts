import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { extractEntries, readTar, readTarGz, safeRelativePath, TarError } from "../../../src/install/tar.js";
import { makeTar, makeTarGz, paxRecord } from "../../fixtures/install/tar.js";

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), "tsflux-tar-"));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("tar reader", () => {
  it("reads what GNU tar writes (like the release's manifests.tar.gz)", () => {
    const src = tmp();
    writeFileSync(path.join(src, "source-controller.yaml"), "kind: Deployment\n");
    writeFileSync(path.join(src, "rbac.yaml"), "x".repeat(1500));
    const out = path.join(tmp(), "m.tar.gz");
    execFileSync("tar", ["-czf", out, "-C", src, "source-controller.yaml", "rbac.yaml"]);
    const entries = readTarGz(readFileSync(out));
    expect(entries.map((e) => [e.path, e.type, e.data.length])).toEqual([
      ["source-controller.yaml", "file", 17],
      ["rbac.yaml", "file", 1500],
    ]);
    const dest = tmp();
    extractEntries(entries, dest);
    expect(readFileSync(path.join(dest, "source-controller.yaml"), "utf8")).toBe("kind: Deployment\n");
  });

  it("supports ustar prefixes, GNU long names and pax paths", () => {
    const long = "a/".repeat(60) + "file.yaml";
    const entries = readTar(
      makeTar([
        { name: "b.yaml", prefix: "dir", data: "b" },
        { name: "././@LongLink", type: "L", data: long + "\0" },
        { name: "truncated", data: "long" },
        { name: "PaxHeader", type: "x", data: paxRecord("path", "pax/named.yaml") },
        { name: "ignored", data: "pax" },
        { name: "d/", type: "5" },
      ]),
    );
    expect(entries.map((e) => e.path)).toEqual(["dir/b.yaml", long, "pax/named.yaml", "d"]);
  });

  it.each([
    ["../evil.yaml", /path traversal/],
    ["manifests/../../evil.yaml", /path traversal/],
    ["/etc/passwd", /absolute path/],
    ["C:/windows.yaml", /absolute path/],
    ["a\\..\\b", /unsafe path/],
  ])("rejects the entry %s", (name, re) => {
    expect(() => readTar(makeTar([{ name, data: "x" }]))).toThrow(re);
  });

  it("rejects symlinks and hard links", () => {
    expect(() => readTar(makeTar([{ name: "link", type: "2", linkname: "/etc/passwd" }]))).toThrow(
      /unsupported entry type '2'/,
    );
    expect(() => readTar(makeTar([{ name: "hard", type: "1", linkname: "x" }]))).toThrow(
      /links and devices are not allowed/,
    );
  });

  it("rejects corrupted headers, truncated archives and non-gzip data", () => {
    const t = makeTar([{ name: "a.yaml", data: "hello" }]);
    const bad = Buffer.from(t);
    bad[0] = "b".charCodeAt(0);
    expect(() => readTar(bad)).toThrow(/checksum/);
    expect(() => readTar(t.subarray(0, 512 + 2))).toThrow(/truncated/);
    expect(() => readTarGz(Buffer.from("not gzip at all"))).toThrow(/not a gzip archive/);
  });

  it("bounds the uncompressed size and the number of entries", () => {
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024));
    expect(() => readTarGz(bomb, { maxBytes: 1024 * 1024 })).toThrow(/expands to more than 1048576 bytes/);
    const many = makeTarGz(Array.from({ length: 12 }, (_, i) => ({ name: `f${i}.yaml`, data: "x" })));
    expect(() => readTarGz(many, { maxEntries: 10 })).toThrow(/too many entries/);
  });

  it("never writes outside the target directory", () => {
    const dest = tmp();
    const outside = path.join(path.dirname(dest), "escaped.yaml");
    expect(() => extractEntries([{ path: "../escaped.yaml", type: "file", data: Buffer.from("x") }], dest)).toThrow(
      TarError,
    );
    expect(existsSync(outside)).toBe(false);
    mkdirSync(path.join(dest, "sub"));
    extractEntries([{ path: "sub/ok.yaml", type: "file", data: Buffer.from("ok") }], dest);
    expect(readFileSync(path.join(dest, "sub/ok.yaml"), "utf8")).toBe("ok");
  });

  it("normalises harmless paths", () => {
    expect(safeRelativePath("./a//b/./c.yaml")).toBe("a/b/c.yaml");
    expect(safeRelativePath("./")).toBeUndefined();
  });
});
