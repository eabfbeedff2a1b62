// The facades the CLI bundle imports Node built-ins through (scripts/build-builtins.mjs):
// they must behave like the modules themselves, util.promisify included.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { must } from "../../support/must.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const tmp = mkdtempSync(path.join(os.tmpdir(), "tsflux-facades-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** scripts/build-builtins.mjs, an untyped build script: the one export these tests call. */
async function buildBuiltins(): Promise<{ builtinFacade: (name: string) => string }> {
  return (await import(pathToFileURL(path.join(ROOT, "scripts", "build-builtins.mjs")).href)) as {
    builtinFacade: (name: string) => string;
  };
}

async function facade(name: string): Promise<Record<string, unknown>> {
  const plugin = await buildBuiltins();
  const file = path.join(tmp, `${name.replace(/\W/g, "_")}.mjs`);
  writeFileSync(file, plugin.builtinFacade(name));
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

describe("built-in facades", () => {
  it("defers child_process and keeps execFile's promisified form", async () => {
    const cp = await facade("node:child_process");
    const execFile = promisify(cp.execFile as typeof import("node:child_process").execFile);
    const res = await execFile(process.execPath, ["-e", "process.stdout.write('ok')"]);
    expect(res).toMatchObject({ stdout: "ok" });
  });

  it("forwards deferred functions and default-import properties", async () => {
    const crypto = await facade("node:crypto");
    const createHash = crypto.createHash as typeof import("node:crypto").createHash;
    expect(createHash("sha256").update("tsflux").digest("hex")).toHaveLength(64);
    const def = crypto.default as typeof import("node:crypto");
    expect(typeof def.KeyObject).toBe("function");
    expect("randomBytes" in def).toBe(true);
  });

  it("exports the values of an eager built-in without reading its getters", async () => {
    const fs = await facade("node:fs");
    const readFileSync = fs.readFileSync as typeof import("node:fs").readFileSync;
    const file = path.join(tmp, "x.txt");
    writeFileSync(file, "data");
    expect(readFileSync(file, "utf8")).toBe("data");
    expect(fs.constants).toBe((await import("node:fs")).constants);
    expect("promises" in fs).toBe(false);
    expect((fs.default as typeof import("node:fs")).promises).toBe((await import("node:fs")).promises);
  });

  it("lets the bundler drop every export a bundle does not use", async () => {
    const plugin = await buildBuiltins();
    const { build } = await import("esbuild");
    const out = await build({
      stdin: { contents: 'import { readFileSync } from "node:fs"; readFileSync("x");', loader: "js" },
      bundle: true,
      write: false,
      format: "cjs",
      platform: "node",
      minify: true,
      plugins: [
        {
          name: "facade",
          setup(b) {
            b.onResolve({ filter: /^node:/ }, (a) => ({ path: a.path, namespace: "facade" }));
            b.onLoad({ filter: /.*/, namespace: "facade" }, (a) => ({ contents: plugin.builtinFacade(a.path) }));
          },
        },
      ],
    });
    const text = must(out.outputFiles[0], "the bundle").text;
    expect(text).toContain(".readFileSync");
    // On Node 24 fs.Dir and fs.opendir are getters that load internal/fs/dir when read.
    for (const unused of ["opendir", "Dir", "writeFileSync", "constants"]) expect(text).not.toContain(`.${unused}`);
  });

  // Node 24 turned fs.F_OK, R_OK, W_OK and X_OK into getters that print DEP0176 on
  // stderr when read; a facade that reads them prints that warning in every command.
  it("leaves out the deprecated copies of fs.constants", async () => {
    const fs = await facade("node:fs");
    for (const name of ["F_OK", "R_OK", "W_OK", "X_OK"]) expect(name in fs).toBe(false);
    expect((fs.constants as typeof import("node:fs").constants).X_OK).toBe(1);
  });

  it("reads nothing deprecated on this Node", async () => {
    const plugin = await buildBuiltins();
    const names = ["fs", "fs/promises", "os", "path", "path/posix", "http", "https", "tls", "net", "readline"];
    const files = names.map((name) => {
      const file = path.join(tmp, `eager-${name.replace(/\W/g, "_")}.mjs`);
      writeFileSync(file, plugin.builtinFacade(`node:${name}`));
      return pathToFileURL(file).href;
    });
    const script = files.map((f) => `await import(${JSON.stringify(f)});`).join("\n");
    const res = spawnSync(process.execPath, ["--throw-deprecation", "--input-type=module", "-e", script], {
      encoding: "utf8",
    });
    expect(res.stderr).toBe("");
    expect(res.status).toBe(0);
  });
});
