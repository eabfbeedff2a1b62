// flux plugin install|list|search|uninstall|update and `flux <plugin>` against a local
// catalog that follows GitHub's release download contract (test/providers/plugin-catalog.ts),
// with real tar, tar.gz and zip archives; and upstream v2.9.5's plugin_test.go cases that
// call Go functions directly (parseNameVersion, isDigestRef, Discover), ported.
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildProgram, commandTree } from "../../../commands/index.js";
import { builtinNames } from "../../../src/cli/program.js";
import { httpGet, isDigestRef, parseNameVersion } from "../../../src/plugin/catalog.js";
import { discoverPlugins } from "../../../src/plugin/discovery.js";
import { runCliProcess, startCli, until } from "../../support/cli-process.js";
import { runCli } from "../../helpers/cli.js";
import { GOARCH, GOOS, startPluginCatalog, type CatalogServer } from "../../providers/plugin-catalog.js";

let catalog: CatalogServer;
let root: string;
let dir: string;
const saved = { plugins: process.env.FLUXCD_PLUGINS, catalog: process.env.FLUXCD_PLUGIN_CATALOG };

beforeAll(async () => {
  catalog = await startPluginCatalog([
    {
      name: "operator",
      description: "Flux Operator CLI",
      versions: [{ version: "0.45.0" }, { version: "0.44.0", archive: "zip" }],
    },
    {
      name: "nested",
      description: "A binary under bin/ in a zip",
      versions: [
        { version: "1.0.0", archive: "zip", pathInArchive: "bin/flux-nested", extractPath: "bin/flux-nested" },
      ],
    },
    { name: "raw", description: "A bare executable", versions: [{ version: "2.0.0", archive: "binary" }] },
    { name: "plain", description: "An uncompressed TAR", versions: [{ version: "3.1.0", archive: "tar" }] },
    {
      name: "tampered",
      description: "Its checksum does not match",
      versions: [{ version: "1.0.0", checksum: `sha256:${"0".repeat(64)}` }],
    },
    {
      name: "elsewhere",
      description: "Built for another platform only",
      versions: [{ version: "1.0.0", platforms: [{ os: "plan9", arch: "mips" }] }],
    },
  ]);
  process.env.FLUXCD_PLUGIN_CATALOG = catalog.base;
});
afterAll(async () => {
  await catalog.stop();
  for (const [k, v] of [
    ["FLUXCD_PLUGINS", saved.plugins],
    ["FLUXCD_PLUGIN_CATALOG", saved.catalog],
  ] as const) {
    if (v === undefined) Reflect.deleteProperty(process.env, k);
    else process.env[k] = v;
  }
});
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "tsflux-plugins-"));
  dir = join(root, "plugins");
  mkdirSync(dir);
  process.env.FLUXCD_PLUGINS = dir;
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function executable(name: string, script = "#!/bin/sh\necho test\n"): string {
  const p = join(dir, name);
  writeFileSync(p, script);
  chmodSync(p, 0o755);
  return p;
}

const RECEIPT = (version: string, file: string, digest: string) =>
  new RegExp(
    `^installedAt: "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"\\nname: operator\\nplatform:\\n  arch: ${GOARCH}\\n  checksum: ${digest}\\n  os: ${GOOS}\\n  url: ${catalog.origin.replace(/\./g, "\\.")}/fluxcd/plugins/releases/download/v0\\.9\\.0/${file.replace(/\./g, "\\.")}\\nversion: ${version.replace(/\./g, "\\.")}\\n$`,
  );

describe("plugin install", () => {
  it("installs the newest version: checksum verified, binary 0755, receipt as upstream writes it", async () => {
    const res = await runCli(["plugin", "install", "operator"]);
    expect(res.stderr).toBe("✔ installed operator v0.45.0\n");
    expect(res.code).toBe(0);
    const bin = join(dir, "flux-operator");
    expect(statSync(bin).mode & 0o777).toBe(0o755);
    expect(readFileSync(bin, "utf8")).toContain('echo "operator 0.45.0 $*"');
    const receipt = readFileSync(join(dir, "flux-operator.yaml"), "utf8");
    expect(receipt).toMatch(
      RECEIPT("0.45.0", `operator_0.45.0_${GOOS}_${GOARCH}.tar.gz`, catalog.digest("operator", "0.45.0")),
    );
    // nothing else left in the directory (no temporary files)
    expect(readdirSync(dir).sort()).toEqual(["flux-operator", "flux-operator.yaml"]);
    // the latest/download URL redirects to the release's asset, as GitHub does
    expect(catalog.requests).toContain("/fluxcd/plugins/releases/latest/download/operator.yaml");
  });

  it("installs a named version from a zip", async () => {
    const res = await runCli(["plugin", "install", "operator@0.44.0"]);
    expect(res.stderr).toBe("✔ installed operator v0.44.0\n");
    expect(readFileSync(join(dir, "flux-operator"), "utf8")).toContain("operator 0.44.0");
  });

  it("installs by digest, picking the version whose download has it", async () => {
    const digest = catalog.digest("operator", "0.44.0");
    const res = await runCli(["plugin", "install", `operator@${digest}`]);
    expect(res.stderr).toBe("✔ installed operator v0.44.0\n");
    expect(readFileSync(join(dir, "flux-operator.yaml"), "utf8")).toContain("version: 0.44.0\n");
  });

  it("takes the platform's extractPath inside the archive, a bare binary, an uncompressed tar", async () => {
    for (const [arg, out] of [
      ["nested", "nested 1.0.0"],
      ["raw", "raw 2.0.0"],
      ["plain", "plain 3.1.0"],
    ] as const) {
      const res = await runCli(["plugin", "install", arg]);
      expect(res.code, res.stderr).toBe(0);
      expect(readFileSync(join(dir, `flux-${arg}`), "utf8")).toContain(out);
    }
  });

  it("refuses a download whose checksum differs and writes nothing", async () => {
    const res = await runCli(["plugin", "install", "tampered"]);
    const actual = catalog.digest("tampered", "1.0.0");
    expect(res.stderr).toBe(`✗ checksum verification failed (expected: sha256:${"0".repeat(64)}, got: ${actual})\n`);
    expect(res.code).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("reports what the catalog lacks in upstream's words", async () => {
    const cases: [string, string][] = [
      ["nope", 'plugin "nope" not found in catalog'],
      ["operator@9.9.9", 'version "9.9.9" not found for plugin "operator"'],
      [
        `operator@sha256:${"a".repeat(64)}`,
        `digest "sha256:${"a".repeat(64)}" not found for plugin "operator" on ${GOOS}/${GOARCH}`,
      ],
      ["elsewhere", `plugin "elsewhere" v1.0.0 has no binary for ${GOOS}/${GOARCH}`],
    ];
    for (const [arg, message] of cases) {
      const res = await runCli(["plugin", "install", arg]);
      expect(res.stderr, arg).toBe(`✗ ${message}\n`);
      expect(res.code).toBe(1);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it("checks a manifest's apiVersion, kind and bin before downloading", async () => {
    const original = await httpGet(`${catalog.base}raw.yaml`, { timeoutMs: 5000 });
    try {
      const cases: [string, string, string][] = [
        [
          "apiVersion: cli.fluxcd.io/v1beta1",
          "apiVersion: cli.fluxcd.io/v1",
          'plugin "raw" has unsupported apiVersion "cli.fluxcd.io/v1" (expected "cli.fluxcd.io/v1beta1")',
        ],
        ["kind: Plugin", "kind: Other", 'plugin "raw" has unexpected kind "Other" (expected "Plugin")'],
        [
          "bin: flux-raw",
          "bin: ../flux-raw",
          'plugin "raw" has invalid bin "../flux-raw" (must be a plain filename prefixed with "flux-")',
        ],
        [
          "bin: flux-raw",
          "bin: raw",
          'plugin "raw" has invalid bin "raw" (must be a plain filename prefixed with "flux-")',
        ],
      ];
      for (const [from, to, message] of cases) {
        catalog.setAsset("raw.yaml", original.toString().replace(from, to));
        const res = await runCli(["plugin", "install", "raw"]);
        expect(res.stderr).toBe(`✗ ${message}\n`);
        expect(res.code).toBe(1);
      }
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      catalog.setAsset("raw.yaml", original);
    }
  });

  it("counts its arguments as cobra does", async () => {
    expect((await runCli(["plugin", "install"])).stderr).toBe("✗ accepts 1 arg(s), received 0\n");
    expect((await runCli(["plugin", "install", "a", "b"])).stderr).toBe("✗ accepts 1 arg(s), received 2\n");
  });

  it("retries a catalog that answers 503 (Retry-After) and a download that fails once", async () => {
    catalog.failNext("/operator.yaml", 2, 503, { "retry-after": "0" });
    catalog.failNext(`operator_0.45.0_${GOOS}_${GOARCH}.tar.gz`, 1, 429, { "retry-after": "0" });
    const res = await runCli(["plugin", "install", "operator"]);
    expect(res.stderr).toBe("✔ installed operator v0.45.0\n");
  });

  it("names the download's failure and leaves the directory as it was", async () => {
    const file = `raw_2.0.0_${GOOS}_${GOARCH}`;
    catalog.failNext(file, 1, 404);
    const res = await runCli(["plugin", "install", "raw"]);
    expect(res.stderr).toBe("✗ failed to download plugin: HTTP 404\n");
    expect(res.code).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("plugin list, uninstall", () => {
  it("lists installed plugins (receipt version or manual), skipping builtins, non-executables and receipts", async () => {
    await runCli(["plugin", "install", "operator"]);
    const manual = executable("flux-myplugin");
    executable("flux-get");
    writeFileSync(join(dir, "flux-notexec"), "#!/bin/sh\n");
    mkdirSync(join(dir, "flux-adir"));
    symlinkSync(join(dir, "missing"), join(dir, "flux-broken"));
    const res = await runCli(["plugin", "list"]);
    expect(res.code).toBe(0);
    const op = join(dir, "flux-operator");
    const w = Math.max(op.length, manual.length, 4);
    expect(res.stdout).toBe(
      `NAME    \tVERSION\t${"PATH".padEnd(w)} \n` +
        `myplugin\tmanual \t${manual.padEnd(w)}\t\n` +
        `operator\t0.45.0 \t${op.padEnd(w)}\t\n`,
    );
    expect((await runCli(["plugin", "ls"])).stdout).toBe(res.stdout);
  });

  it("uninstalls the binary and its receipt; a link goes, not what it points to", async () => {
    await runCli(["plugin", "install", "operator"]);
    const res = await runCli(["plugin", "uninstall", "operator"]);
    expect(res.stderr).toBe("✔ uninstalled operator\n");
    expect(readdirSync(dir)).toEqual([]);

    const target = join(root, "elsewhere-bin");
    writeFileSync(target, "#!/bin/sh\n", { mode: 0o755 });
    symlinkSync(target, join(dir, "flux-linked"));
    expect((await runCli(["plugin", "delete", "linked"])).code).toBe(0);
    expect(existsSync(target)).toBe(true);
    expect(() => lstatSync(join(dir, "flux-linked"))).toThrow();
  });

  it("says when there is nothing to uninstall", async () => {
    for (const name of ["nope", "../plugins/flux-x"]) {
      const res = await runCli(["plugin", "uninstall", name]);
      expect(res.stderr).toBe(`✗ plugin ${JSON.stringify(name)} is not installed\n`);
      expect(res.code).toBe(1);
    }
  });
});

describe("plugin search", () => {
  it("lists the catalog with what is installed", async () => {
    await runCli(["plugin", "install", "raw"]);
    const res = await runCli(["plugin", "search"]);
    expect(res.code).toBe(0);
    const lines = res.stdout.split("\n");
    expect(lines.map((l) => l.split("\t").map((c) => c.trim()))).toEqual([
      ["NAME", "DESCRIPTION", "INSTALLED"],
      ["operator", "Flux Operator CLI", "", ""],
      ["nested", "A binary under bin/ in a zip", "", ""],
      ["raw", "A bare executable", "2.0.0", ""],
      ["plain", "An uncompressed TAR", "", ""],
      ["tampered", "Its checksum does not match", "", ""],
      ["elsewhere", "Built for another platform only", "", ""],
      [""],
    ]);
    // columns padded to the widest cell, as tablewriter pads them
    expect(new Set(lines.slice(0, -1).map((l) => l.indexOf("\t"))).size).toBe(1);
  });

  it("matches names and descriptions without regard to case", async () => {
    const res = await runCli(["plugin", "search", "ZIP"]);
    expect(
      res.stdout
        .split("\n")
        .slice(1, -1)
        .map((l) => l.replace(/\t.*/s, "").trim()),
    ).toEqual(["nested"]);
    const none = await runCli(["plugin", "search", "Nothing"]);
    expect(none.stdout).toBe('No plugins matching "nothing" found in catalog\n');
    expect(none.code).toBe(0);
  });

  it("reports a catalog it cannot read", async () => {
    const original = await httpGet(`${catalog.base}catalog.yaml`, { timeoutMs: 5000 });
    try {
      catalog.removeAsset("catalog.yaml");
      let res = await runCli(["plugin", "search"]);
      expect(res.stderr).toBe(`✗ failed to fetch plugin catalog: HTTP 404 from ${catalog.base}catalog.yaml\n`);
      expect(res.code).toBe(1);
      catalog.setAsset("catalog.yaml", original.toString().replace("kind: PluginCatalog", "kind: Plugin"));
      res = await runCli(["plugin", "search"]);
      expect(res.stderr).toBe('✗ plugin catalog has unexpected kind "Plugin" (expected "PluginCatalog")\n');
    } finally {
      catalog.setAsset("catalog.yaml", original);
    }
  });
});

describe("plugin update", () => {
  it("updates an older install, says when it is current, skips manual ones", async () => {
    await runCli(["plugin", "install", "operator@0.44.0"]);
    await runCli(["plugin", "install", "raw"]);
    executable("flux-handmade");
    const res = await runCli(["plugin", "update"]);
    expect(res.stderr).toBe(
      "⚠️ skipping handmade (manually installed)\n" +
        "✔ updated operator v0.44.0 → v0.45.0\n" +
        "✔ raw already up to date (v2.0.0)\n",
    );
    expect(res.code).toBe(0);
    expect(readFileSync(join(dir, "flux-operator.yaml"), "utf8")).toContain("version: 0.45.0\n");
    expect((await runCli(["plugin", "upgrade", "operator"])).stderr).toBe("✔ operator already up to date (v0.45.0)\n");
  });

  it("fails (exit 1, unlike upstream's 0) when a plugin could not be checked", async () => {
    await runCli(["plugin", "install", "raw"]);
    const original = await httpGet(`${catalog.base}raw.yaml`, { timeoutMs: 5000 });
    catalog.removeAsset("raw.yaml");
    try {
      const res = await runCli(["plugin", "update"]);
      expect(res.stderr).toBe('✗ error checking raw: plugin "raw" not found in catalog\n');
      expect(res.code).toBe(1);
    } finally {
      catalog.setAsset("raw.yaml", original);
    }
  });

  it("names a plugin that is not installed, or says there are none", async () => {
    let res = await runCli(["plugin", "update", "operator"]);
    expect(res.stdout).toBe("No plugins found\n");
    executable("flux-handmade");
    res = await runCli(["plugin", "update", "operator"]);
    expect(res.stderr).toBe('✗ plugin "operator" is not installed\n');
    expect(res.code).toBe(1);
  });
});

describe("flux <plugin>", () => {
  it("runs the plugin with every other word, its exit code returned; root checks skipped", async () => {
    executable("flux-echo", '#!/bin/sh\necho "out: $*"\necho "err" >&2\nexit 7\n');
    const res = await runCli(["-n", "Not_A_Label", "echo", "--help", "-x", "--", "y"]);
    expect(res.stdout).toBe("out: -n Not_A_Label --help -x -- y\n");
    expect(res.stderr).toBe("err\n");
    expect(res.code).toBe(7);
  });

  it("the built CLI hands the plugin its own stdout and stderr and exits with its status", async () => {
    // the plugin's descriptors 1 and 2 are flux's own (as after exec), not pipes flux reads
    executable(
      "flux-fds",
      '#!/bin/sh\n[ "$(readlink /proc/$PPID/fd/1)" = "$(readlink /proc/$$/fd/1)" ] && echo "same stdout"\n' +
        '[ "$(readlink /proc/$PPID/fd/2)" = "$(readlink /proc/$$/fd/2)" ] && echo "same stderr" >&2\nexit 4\n',
    );
    const res = await runCliProcess(["fds"], { env: { FLUXCD_PLUGINS: dir } });
    expect(res).toMatchObject({ stdout: "same stdout\n", stderr: "same stderr\n", code: 4 });
  });

  it("passes a signal sent to flux on to the plugin", async () => {
    executable("flux-waiter", "#!/bin/sh\ntrap 'echo got-term; exit 42' TERM\necho ready\nsleep 30 &\nwait\n");
    const proc = startCli(["waiter"], { env: { FLUXCD_PLUGINS: dir } });
    await until(() => proc.stdout.includes("ready"), "the plugin to start", proc);
    proc.child.kill("SIGTERM");
    const res = await proc.done;
    expect(res).toMatchObject({ stdout: "ready\ngot-term\n", code: 42 });
  });

  it("never shadows a built-in: flux-get does not run for `flux get`", async () => {
    executable("flux-get", "#!/bin/sh\necho hijacked\n");
    executable("flux-version", "#!/bin/sh\necho hijacked\n");
    const res = await runCli(["version", "--client"]);
    expect(res.stdout).not.toContain("hijacked");
    expect(res.stdout).toMatch(/^flux: v/);
  });

  it("is listed under Plugin Commands in the root's help, the built-ins under Additional Commands", async () => {
    executable("flux-testplugin");
    const res = await runCli(["--help"]);
    expect(res.stdout).toContain(
      "\n\nPlugin Commands:\n  testplugin  Runs the testplugin plugin\n\nAdditional Commands:\n  bootstrap   Deploy Flux",
    );
    const help = await runCli(["help", "testplugin"]);
    expect(help.stdout.split("Global Flags:\n")[0]).toBe(
      "This command runs the testplugin plugin.\nUse 'flux testplugin --help' for full plugin help.\n\n" +
        "Usage:\n  flux testplugin [flags]\n\nFlags:\n  -h, --help   help for testplugin\n\n",
    );
  });
});

describe("plugin discovery (upstream's Go-level cases, ported)", () => {
  it("TestParseNameVersion", () => {
    const cases: [string, string, string][] = [
      ["operator", "operator", ""],
      ["operator@0.45.0", "operator", "0.45.0"],
      ["my-tool@1.0.0", "my-tool", "1.0.0"],
      ["plugin@", "plugin", ""],
      ["operator@sha256:abc123", "operator", "sha256:abc123"],
    ];
    for (const [input, name, version] of cases) expect(parseNameVersion(input), input).toEqual([name, version]);
  });

  it("TestIsDigestRef", () => {
    const cases: [string, boolean][] = [
      ["sha256:06e0a38db4fa6bc9f705a577c7e58dc020bfe2618e45488599e5ef7bb62e3a8a", true],
      ["0.45.0", false],
      ["", false],
      ["sha256", false],
      ["SHA256:abc", false],
    ];
    for (const [input, want] of cases) expect(isDigestRef(input), input).toBe(want);
  });

  it("TestPluginDiscoverSkipsBuiltins", () => {
    for (const name of ["flux-get", "flux-create", "flux-version"]) executable(name, "#!/bin/sh");
    executable("flux-myplugin", "#!/bin/sh");
    expect(discoverPlugins(builtinNames(commandTree), dir).map((p) => p.name)).toEqual(["myplugin"]);
  });

  it("TestNoPluginsNoRegistration: a missing directory adds no commands", () => {
    process.env.FLUXCD_PLUGINS = join(root, "nonexistent");
    const before = buildProgram(undefined, ["--help"]).commands.length;
    executable("flux-one");
    process.env.FLUXCD_PLUGINS = dir;
    expect(buildProgram(undefined, ["--help"]).commands.length).toBe(before + 1);
  });

  it("a command line naming a built-in never reads the plugin directory", () => {
    executable("flux-one");
    const names = (argv: string[]) => buildProgram(undefined, argv).commands.map((c) => c.name());
    expect(names(["get", "kustomizations"])).not.toContain("one");
    expect(names(["create", "source", "git", "x", "--export"])).not.toContain("one");
    expect(names(["one", "x"])).toContain("one");
    expect(names(["--help"])).toContain("one");
  });

  it("retries a refused connection within its bounds and words the failure as Go's client", async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise((r) => server.close(r));
    const url = `http://127.0.0.1:${port}/catalog.yaml`;
    await expect(httpGet(url, { timeoutMs: 5000, retryDelayMs: 1 })).rejects.toThrow(
      `Get "${url}": GET ${url} giving up after 4 attempt(s): connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });
});
