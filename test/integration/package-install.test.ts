// The package as users get it (issue 17): `npm pack`, a global install of the tarball
// into an empty prefix, the two commands it puts on PATH, and a fresh TypeScript
// project that imports the library and is type-checked by tsc, then run.
// Dependencies come from npm's cache when `npm ci` has filled it, else the registry.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { must } from "../support/must.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const tmp = mkdtempSync(path.join(os.tmpdir(), "tsflux-package-"));
const prefix = path.join(tmp, "prefix");
// npm and the installed CLI run on the Node running the tests (CI runs several).
const PATH = `${prefix}/bin${path.delimiter}${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`;
const env = { ...process.env, PATH, npm_config_update_notifier: "false", NO_COLOR: "1" };

interface PackEntry {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string }[];
}
let pack: PackEntry;

beforeAll(() => {
  // --ignore-scripts: package what `npm run build` left in dist/ (rebuilding here would
  // pull dist/ from under the other test files).
  const out = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], {
    cwd: ROOT,
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  pack = must((JSON.parse(out) as PackEntry[])[0], "an entry in npm pack --json");
  const res = spawnSync(
    "npm",
    [
      "install",
      "--global",
      "--prefix",
      prefix,
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      path.join(tmp, pack.filename),
    ],
    { env, encoding: "utf8" },
  );
  if (res.status !== 0) throw new Error(`npm install of the tarball failed:\n${res.stderr}`);
}, 300_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("the npm package", () => {
  it("holds only what users need", () => {
    const files = pack.files.map((f) => f.path);
    for (const needed of [
      "package.json",
      "README.md",
      "LICENSE",
      "dist/cli/entry.cjs",
      "dist/cli/create.cjs",
      "dist/cli/hot.cjs",
      "dist/cli/main.js",
      "dist/lib/index.js",
      "dist/types/src/index.d.ts",
    ])
      expect(files).toContain(needed);
    const stray = files.filter(
      (f) =>
        !/^(package\.json|README\.md|LICENSE)$/.test(f) &&
        !/^dist\/cli\/[\w-]+\.c?js$/.test(f) &&
        !/^dist\/lib\/.*\.js$/.test(f) &&
        !/^dist\/types\/.*\.d\.ts$/.test(f),
    );
    expect(stray).toEqual([]);
    // The figures the issue asks for, in the test log.
    console.log(
      `tarball ${pack.filename}: ${(pack.size / 1024).toFixed(0)} KiB packed, ${(pack.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${pack.entryCount} files`,
    );
  });

  it("installs flux and tsflux that print the version", () => {
    for (const bin of ["flux", "tsflux"]) {
      // The command is the built entry itself: no launcher file in front of it (start-up).
      expect(realpathSync(path.join(prefix, "bin", bin))).toBe(
        realpathSync(path.join(prefix, "lib", "node_modules", "tsflux", "dist", "cli", "entry.cjs")),
      );
      const res = spawnSync(path.join(prefix, "bin", bin), ["--version"], { env, encoding: "utf8" });
      expect(res.stderr).toBe("");
      expect(res.status).toBe(0);
      const { version } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
      expect(res.stdout).toMatch(new RegExp(`^flux version \\S+\\+tsflux\\.${version.replace(/\./g, "\\.")}\\n$`));
    }
  });

  it("exports a GitRepository like the source tree does", () => {
    const res = spawnSync(
      path.join(prefix, "bin", "tsflux"),
      [
        "create",
        "source",
        "git",
        "podinfo",
        "--url=https://github.com/stefanprodan/podinfo",
        "--branch=master",
        "--export",
      ],
      { env, encoding: "utf8", cwd: tmp },
    );
    expect(res.stderr).toBe("");
    expect(res.status).toBe(0);
    expect(res.stdout).toBe(
      [
        "---",
        "apiVersion: source.toolkit.fluxcd.io/v1",
        "kind: GitRepository",
        "metadata:",
        "  name: podinfo",
        "  namespace: flux-system",
        "spec:",
        "  interval: 1m0s",
        "  ref:",
        "    branch: master",
        "  url: https://github.com/stefanprodan/podinfo",
        "",
      ].join("\n"),
    );
  });

  it("reaches its dependencies from the create group's own bundle", () => {
    // Without --export, create imports @kubernetes/client-node from the installed package's node_modules.
    const res = spawnSync(
      path.join(prefix, "bin", "tsflux"),
      [
        "create",
        "source",
        "git",
        "podinfo",
        "--url=https://github.com/stefanprodan/podinfo",
        "--branch=master",
        "--server=https://127.0.0.1:1",
        "--timeout=5s",
      ],
      { env: { ...env, KUBECONFIG: "" }, encoding: "utf8", cwd: tmp },
    );
    expect(res.status).toBe(1);
    expect(res.stderr).toContain("\u2717 unable to connect to the Kubernetes API server at https://127.0.0.1:1");
  });

  it("is a typed library for a fresh TypeScript project", () => {
    const project = path.join(tmp, "project");
    mkdirSync(path.join(project, "node_modules"), { recursive: true });
    // As `npm link tsflux` would: the globally installed package, with its own dependencies.
    symlinkSync(path.join(prefix, "lib", "node_modules", "tsflux"), path.join(project, "node_modules", "tsflux"));
    writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "uses-tsflux", type: "module" }));
    writeFileSync(
      path.join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          // As `tsc --init` writes it: @kubernetes/client-node's own declarations
          // need @types/ws, which it does not depend on.
          skipLibCheck: true,
          outDir: "out",
          // A user's project has @types/node; this one borrows the repository's.
          typeRoots: [path.join(ROOT, "node_modules", "@types")],
          types: ["node"],
        },
        include: ["main.ts", "bad.ts"],
      }),
    );
    writeFileSync(
      path.join(project, "main.ts"),
      [
        'import { gitRepository } from "tsflux";',
        "",
        'const repo = gitRepository({ name: "podinfo", namespace: "apps", url: "https://github.com/stefanprodan/podinfo", branch: "main", interval: "5m" });',
        "const kind: string = repo.kind;",
        "console.log(JSON.stringify({ kind, name: repo.metadata.name, namespace: repo.metadata.namespace }));",
        "",
      ].join("\n"),
    );
    // A misuse must not type-check: the library's types are real, not `any`.
    writeFileSync(
      path.join(project, "bad.ts"),
      'import { gitRepository } from "tsflux";\ngitRepository({ nam: 1 });\n',
    );
    // One tsc run over both files (it still emits main.js): errors in bad.ts only.
    const tsc = spawnSync(
      process.execPath,
      [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", project],
      {
        env,
        encoding: "utf8",
        cwd: project,
      },
    );
    const errors = (tsc.stdout + tsc.stderr).split("\n").filter((l) => /error TS/.test(l));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.filter((l) => !l.startsWith("bad.ts(2,"))).toEqual([]);

    const run = spawnSync(process.execPath, [path.join(project, "out", "main.js")], { env, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({ kind: "GitRepository", name: "podinfo", namespace: "apps" });
  });
});
