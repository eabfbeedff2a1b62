// What the built CLI loads at start-up (issue 17): `--version` and `create … --export`
// must not initialise the Node built-ins they never use, and the module compile
// cache must be on where Node has it, and harmless where it cannot be written.
// Timing itself is measured by `npm run bench`, never here.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import module from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const tmp = mkdtempSync(path.join(os.tmpdir(), "tsflux-startup-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Writes the built-in modules the process loaded to a file at exit.
const hook = path.join(tmp, "loaded.mjs");
writeFileSync(
  hook,
  'process.on("exit", () => process.getBuiltinModule("node:fs").writeFileSync(process.env.LOADED_FILE, process.moduleLoadList.join("\\n")));\n',
);

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const loadedFile = path.join(tmp, `loaded-${Math.random().toString(36).slice(2)}.txt`);
  const res = spawnSync(process.execPath, ["--import", pathToFileURL(hook).href, "bin/flux.js", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, XDG_CACHE_HOME: path.join(tmp, "cache"), ...env, LOADED_FILE: loadedFile },
  });
  const loaded = existsSync(loadedFile) ? readFileSync(loadedFile, "utf8") : "";
  return { ...res, loaded: loaded.split("\n") };
}

const CREATE = [
  "create",
  "source",
  "git",
  "podinfo",
  "--url=https://github.com/stefanprodan/podinfo",
  "--branch=master",
  "--export",
];
// Each of these costs milliseconds to initialise and is used only by commands that
// talk to a cluster, a git server or a registry, or write keys. net and tty come with
// process.stdout and process.stderr on a pipe or a terminal: the CLI writes to the
// descriptors instead (src/cli/stdio.ts).
const HEAVY = [
  "NativeModule child_process",
  "NativeModule crypto",
  "NativeModule zlib",
  "NativeModule https",
  "NativeModule net",
  "NativeModule tty",
];

describe("built CLI start-up", () => {
  it("--version loads none of the heavy built-ins", () => {
    const res = run(["--version"]);
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^flux version \S+\n$/);
    for (const m of HEAVY) expect(res.loaded).not.toContain(m);
  });

  it("create source git --export loads none of the heavy built-ins and prints the object", () => {
    const res = run(CREATE);
    expect(res.status).toBe(0);
    expect(res.stdout).toContain("kind: GitRepository\n");
    for (const m of HEAVY) expect(res.loaded).not.toContain(m);
  });

  it("a deferred built-in still loads when a command needs it", () => {
    // build artifact gzips the directory (node:zlib, deferred in the bundle).
    const dir = path.join(tmp, "artifact");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\n");
    const out = path.join(tmp, "artifact.tgz");
    const res = run(["build", "artifact", "--path", dir, "--output", out]);
    expect(res.status).toBe(0);
    expect(res.loaded).toContain("NativeModule zlib");
    expect(gunzipSync(readFileSync(out)).includes("kind: ConfigMap")).toBe(true);
  });

  it("keeps the hot path's compiled code in the user's cache directory and uses it", () => {
    const cache = path.join(tmp, "cc-create");
    const env = { XDG_CACHE_HOME: cache, NODE_COMPILE_CACHE: "" };
    const first = run(CREATE, env);
    expect(first.status).toBe(0);
    const dir = path.join(cache, "tsflux", "compile-cache");
    const file = path.join(dir, `hot-${process.version}-${process.arch}.bin`);
    expect(existsSync(file)).toBe(true);
    // The hot path read the line: the create group's commander program never loaded.
    expect(readdirSync(dir).filter((f) => f.startsWith("create-"))).toEqual([]);
    const written = readFileSync(file);
    // Named after the bundle it was made from, then V8's data.
    expect(written.subarray(0, 18).toString()).toBe("tsflux code cache ");
    const second = run(CREATE, env);
    expect(second.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    // Accepted, so not written again.
    expect(readFileSync(file).equals(written)).toBe(true);
    expect(readdirSync(path.dirname(file)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("hands an unusual create line to the create group's commander program, which prints the same", () => {
    const cache = path.join(tmp, "cc-handed-back");
    const hot = run(CREATE, { XDG_CACHE_HOME: path.join(tmp, "cc-hot") });
    // `--export=true` is pflag's form of a boolean, left to commander
    const res = run([...CREATE.filter((a) => a !== "--export"), "--export=true"], { XDG_CACHE_HOME: cache });
    expect(res.status).toBe(0);
    expect(res.stderr).toBe("");
    expect(res.stdout).toBe(hot.stdout);
    const dir = path.join(cache, "tsflux", "compile-cache");
    expect(readdirSync(dir).sort()).toEqual(
      [`create-${process.version}-${process.arch}.bin`, `hot-${process.version}-${process.arch}.bin`].sort(),
    );
    const bad = run([...CREATE, "--interval=5 minutes"], { XDG_CACHE_HOME: cache });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe(
      '\u2717 invalid argument "5 minutes" for "--interval" flag: time: unknown unit " minutes" in duration "5 minutes"\n',
    );
  });

  it("rewrites a cache that does not fit and prints the same", () => {
    const reference = run(CREATE, { XDG_CACHE_HOME: path.join(tmp, "cc-reference") });
    const name = `hot-${process.version}-${process.arch}.bin`;
    const good = readFileSync(path.join(tmp, "cc-reference", "tsflux", "compile-cache", name));
    const header = good.subarray(0, good.indexOf(10) + 1);
    const cache = path.join(tmp, "cc-misfit");
    const file = path.join(cache, "tsflux", "compile-cache", name);
    mkdirSync(path.dirname(file), { recursive: true });
    // Another bundle's cache (the header differs), and this bundle's header over data V8 rejects.
    for (const misfit of [
      Buffer.concat([Buffer.from("tsflux code cache 0000000000000000\n"), good.subarray(header.length)]),
      Buffer.concat([header, Buffer.alloc(4096, 7)]),
    ]) {
      writeFileSync(file, misfit);
      const res = run(CREATE, { XDG_CACHE_HOME: cache });
      expect(res.status).toBe(0);
      expect(res.stderr).toBe("");
      expect(res.stdout).toBe(reference.stdout);
      const rewritten = readFileSync(file);
      expect(rewritten.subarray(0, header.length).equals(header)).toBe(true);
      expect(rewritten.length).toBeGreaterThan(10_000);
    }
  });

  it("keeps compiled code for the whole CLI in the user's cache directory where Node supports it", () => {
    const cache = path.join(tmp, "cc-home");
    const res = run(["version", "--client"], { XDG_CACHE_HOME: cache, NODE_COMPILE_CACHE: "" });
    expect(res.status).toBe(0);
    const hasCache = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === "function";
    const dir = path.join(cache, "tsflux", "compile-cache");
    expect(existsSync(dir) && readdirSync(dir).some((f) => f.startsWith(process.version))).toBe(hasCache);
  });

  it("runs normally when the cache directory cannot be created", () => {
    const notADir = path.join(tmp, "file");
    writeFileSync(notADir, "");
    for (const args of [["--version"], CREATE, ["version", "--client"]]) {
      const res = run(args, { XDG_CACHE_HOME: notADir, NODE_COMPILE_CACHE: "" });
      expect(res.status).toBe(0);
      expect(res.stderr).toBe("");
      expect(res.stdout).toMatch(/^(flux version |---\n|flux: v)/);
    }
  });

  it("create asks the whole CLI for help, and reaches the Kubernetes client from its own bundle", () => {
    const help = run(["create", "source", "git", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^The create source git command generates a GitRepository resource/);
    // Without --export the command imports @kubernetes/client-node (a package the bundle leaves out).
    const apply = run([...CREATE.filter((a) => a !== "--export"), "--server=https://127.0.0.1:1", "--timeout=5s"], {
      KUBECONFIG: "",
    });
    expect(apply.status).toBe(1);
    expect(apply.stderr).toContain("\u2717 unable to connect to the Kubernetes API server at https://127.0.0.1:1");
  });
});
