// Upstream flux v2.9.5's TestFileSystemMigrator (cmd/flux/migrate_test.go) driven through
// `flux migrate -f <path> --yes` on a copy of its verbatim testdata/migrate (symbolic
// links included), from a working directory where the paths read as upstream's. Upstream
// calls NewFileSystemMigrator with an in-memory writer and a map of the three image kinds
// at v1; the command uses Flux 2.9's whole map, which agrees on every object in this
// testdata (it holds image kinds only). Written files are found by their changed bytes.
import { cpSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UPSTREAM_ROOT } from "../../support/golden.js";
import { runCli } from "../../helpers/cli.js";
import { must } from "../../support/must.js";

const TESTDATA = join(UPSTREAM_ROOT, "testdata/migrate");
const BASE = "testdata/migrate/file-system";

interface Case {
  name: string;
  path: string;
  outputGolden?: string;
  writtenFiles?: { file: string; goldenFile: string }[];
  err?: string;
}

// migrate_test.go's table, verbatim.
const CASES: Case[] = [
  {
    name: "errors out for single file that is a symlink",
    path: `${BASE}/single-file-link.yaml`,
    err: `file ${BASE}/single-file-link.yaml is irregular`,
  },
  {
    name: "errors out for single file with wrong extension",
    path: `${BASE}/single-file-wrong-ext.json`,
    err: `file ${BASE}/single-file-wrong-ext.json does not match the specified extensions: .yaml, .yml`,
  },
  {
    name: "migrate single file",
    path: `${BASE}/single-file.yaml`,
    outputGolden: `${BASE}/single-file.yaml.output.golden`,
    writtenFiles: [{ file: `${BASE}/single-file.yaml`, goldenFile: `${BASE}/single-file.yaml.golden` }],
  },
  {
    name: "migrate files in directory",
    path: `${BASE}/dir`,
    outputGolden: `${BASE}/dir.output.golden`,
    writtenFiles: [
      { file: `${BASE}/dir/some-dir/another-file.yaml`, goldenFile: `${BASE}/dir.golden/some-dir/another-file.yaml` },
      { file: `${BASE}/dir/some-dir/another-file.yml`, goldenFile: `${BASE}/dir.golden/some-dir/another-file.yml` },
      { file: `${BASE}/dir/some-file.yaml`, goldenFile: `${BASE}/dir.golden/some-file.yaml` },
      { file: `${BASE}/dir/some-file.yml`, goldenFile: `${BASE}/dir.golden/some-file.yml` },
    ],
  },
];

/** Every regular file below dir (relative paths) with its bytes. */
function snapshot(root: string, dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel))) {
      const p = `${rel}/${name}`;
      const st = lstatSync(join(root, p), { throwIfNoEntry: false });
      if (st?.isDirectory()) walk(p);
      else if (st?.isFile()) out.set(p, readFileSync(join(root, p), "utf8"));
    }
  };
  walk(dir);
  return out;
}

let work: string;
const savedCwd = process.cwd();
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "tsflux-migrate-"));
  cpSync(TESTDATA, join(work, "testdata/migrate"), { recursive: true, verbatimSymlinks: true });
  process.chdir(work);
});
afterEach(() => {
  process.chdir(savedCwd);
  rmSync(work, { recursive: true, force: true });
});

describe("migrate_test.go:TestFileSystemMigrator", () => {
  for (const tt of CASES) {
    it(tt.name, async () => {
      const before = snapshot(work, "testdata");
      const res = await runCli(["migrate", "-f", tt.path, "--yes"]);
      if (tt.err) {
        expect(res.stderr.split("\n")).toContain(`✗ ${tt.err}`);
        expect(res.code).toBe(1);
        expect(snapshot(work, "testdata")).toEqual(before);
        return;
      }
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toBe("");
      const outputGolden = must(tt.outputGolden, `${tt.name}'s output golden`);
      expect(res.stderr).toBe(readFileSync(join(TESTDATA, "..", "..", outputGolden), "utf8"));
      const after = snapshot(work, "testdata");
      const written = [...after].filter(([p, text]) => before.get(p) !== text).map(([p]) => p);
      const writtenFiles = must(tt.writtenFiles, `${tt.name}'s written files`);
      expect(written.sort()).toEqual(writtenFiles.map((w) => w.file).sort());
      for (const w of writtenFiles) {
        expect(after.get(w.file), w.file).toBe(readFileSync(join(UPSTREAM_ROOT, w.goldenFile), "utf8"));
      }
    });
  }
});

describe("flux migrate -f beyond upstream's table", () => {
  it("--dry-run reports and writes nothing; a second run finds nothing to do", async () => {
    const before = snapshot(work, "testdata");
    let res = await runCli(["migrate", "-f", `${BASE}/dir/`, "--dry-run"]);
    expect(res.code).toBe(0);
    expect(res.stderr.split("\n").at(-2)).toBe("✔ dry-run mode enabled, no changes will be made");
    expect(snapshot(work, "testdata")).toEqual(before);
    expect((await runCli(["migrate", "-f", `${BASE}/dir`, "-y"])).code).toBe(0);
    res = await runCli(["migrate", "-f", `${BASE}/dir`, "-y"]);
    expect(res.stderr).toContain("✔ no custom resources found that require migration\n");
  });

  it("--version 2.6 keeps the image APIs at v1beta2; an unknown version lists the supported ones", async () => {
    let res = await runCli(["migrate", "-f", `${BASE}/single-file.yaml`, "--version", "2.6", "-y"]);
    expect(res.stderr).toContain(`✚ ${BASE}/single-file.yaml:1: ImageRepository v1beta1 -> v1beta2\n`);
    expect(res.stderr).not.toContain("ImagePolicy v1beta2");
    res = await runCli(["migrate", "-f", `${BASE}/single-file.yaml`, "-v", "2.5"]);
    expect(res.stderr).toBe("✗ version 2.5 is not supported, supported versions are: 2.9, 2.8, 2.7, 2.6\n");
    expect(res.code).toBe(1);
  });

  it("--extensions picks other file endings", async () => {
    const res = await runCli(["migrate", "-f", `${BASE}/dir`, "-e", ".yml", "--dry-run"]);
    expect(res.stderr).not.toContain("some-file.yaml");
    expect(res.stderr).toContain(`✚ ${BASE}/dir/some-file.yml:3: ImageRepository v1beta2 -> v1\n`);
  });

  it("asks before writing and aborts without a terminal, changing nothing", async () => {
    const before = snapshot(work, "testdata");
    const res = await runCli(["migrate", "-f", `${BASE}/single-file.yaml`]);
    expect(res.stderr.split("\n").at(-2)).toBe(
      "✗ aborting: confirmation needs a terminal; use --yes to migrate without asking",
    );
    expect(res.code).toBe(1);
    expect(snapshot(work, "testdata")).toEqual(before);
  });

  it("reads nothing outside the working directory and names a missing path", async () => {
    for (const p of ["/etc", "../x"]) {
      const res = await runCli(["migrate", "-f", p, "-y"]);
      expect(res.stderr).toContain(`✗ failed to stat path ${p}: the path is outside the current working directory`);
      expect(res.code).toBe(1);
    }
    const res = await runCli(["migrate", "-f", `${BASE}/nope.yaml`]);
    expect(res.stderr).toContain(
      `✗ failed to stat path ${BASE}/nope.yaml: openat ${BASE}/nope.yaml: no such file or directory\n`,
    );
  });
});
