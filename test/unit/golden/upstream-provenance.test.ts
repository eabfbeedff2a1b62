// test/golden/upstream holds upstream flux v2.9.5's cmd/flux/testdata verbatim: every
// file matches the git blob sha PROVENANCE records, and nothing unlisted is there.
// The lists that steer the upstream suites (test/fixtures/upstream-not-driven.txt,
// harness differences) are tsflux's own, kept outside it, and name real cases of the table.
import { createHash } from "node:crypto";
import { lstatSync, readFileSync, readdirSync, readlinkSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { UPSTREAM_ROOT } from "../../support/golden.js";
import { caseId, upstreamGroups } from "../../support/upstream-cases.js";
import { HARNESS_DIFFERENCES, readNotDriven } from "../../support/upstream-driver.js";
import { must } from "../../support/must.js";

function gitBlobSha(content: Buffer): string {
  return createHash("sha1")
    .update(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content]))
    .digest("hex");
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

describe("upstream testdata provenance", () => {
  const provenance = readFileSync(join(UPSTREAM_ROOT, "PROVENANCE"), "utf8");
  const entries = provenance.split("\n").flatMap((l) => {
    const [, sha, path, symlink] = /^([0-9a-f]{40}) {2}(\S+)(?: {2}(symlink))?$/.exec(l) ?? [];
    return sha !== undefined && path !== undefined ? [{ sha, path, symlink: symlink === "symlink" }] : [];
  });

  it("names module, version and source", () => {
    expect(provenance).toMatch(/^module: github\.com\/fluxcd\/flux2\/v2$/m);
    expect(provenance).toMatch(/^version: v2\.9\.5$/m);
    expect(provenance).toMatch(/^source: cmd\/flux\/testdata /m);
    expect(entries.length).toBeGreaterThan(200);
  });

  it("holds only PROVENANCE and upstream's testdata (tsflux's own lists live elsewhere)", () => {
    expect(readdirSync(UPSTREAM_ROOT).sort()).toEqual(["PROVENANCE", "testdata"]);
  });

  it("every file matches its recorded blob sha, and every file is recorded", () => {
    const onDisk = walk(join(UPSTREAM_ROOT, "testdata"))
      .map((p) => relative(UPSTREAM_ROOT, p))
      .sort();
    expect(onDisk).toEqual(entries.map((e) => e.path).sort());
    for (const { sha, path, symlink } of entries) {
      const abs = join(UPSTREAM_ROOT, path);
      const isLink = lstatSync(abs).isSymbolicLink();
      expect(isLink, path).toBe(symlink);
      const content = isLink ? Buffer.from(readlinkSync(abs)) : readFileSync(abs);
      expect(gitBlobSha(content), path).toBe(sha);
    }
  });
});

describe("the upstream case lists", () => {
  const ids = new Set(upstreamGroups.flatMap((g) => g.cases.map((c) => caseId(g, c))));
  const functions = new Set(upstreamGroups.map((g) => `${g.file}:${g.test}`));

  it("case ids are unique", () => {
    expect(ids.size).toBe(upstreamGroups.reduce((n, g) => n + g.cases.length, 0));
  });

  it("upstream-not-driven.txt: failing entries are cases of the table; others are tests the table does not hold", () => {
    for (const [id, { reason }] of readNotDriven()) {
      if (reason === "failing" || reason === "deliberate") expect(ids.has(id), id).toBe(true);
      else if (!ids.has(id)) expect(functions.has(id), `${id}: a whole test function the table holds`).toBe(false);
    }
  });

  it("every harness difference is a case of the table, listed in README", () => {
    const readme = readFileSync(join(UPSTREAM_ROOT, "../../../README.md"), "utf8");
    for (const id of Object.keys(HARNESS_DIFFERENCES)) {
      expect(ids.has(id), id).toBe(true);
      const [test, name] = must(id.split(":")[1], `the test/case part of ${id}`).split("/");
      expect(readme, `README lists ${id}`).toContain(must(test, `the test of ${id}`));
      expect(readme, `README lists ${id}`).toContain(must(name, `the case name of ${id}`));
    }
  });
});
