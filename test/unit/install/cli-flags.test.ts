// install's flags parsed like pflag (bool=false, string slices, enums) down to the
// rendered manifests, through the whole CLI.
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { runCli } from "../../helpers/cli.js";
import { must } from "../../support/must.js";

const MINI = fileURLToPath(new URL("../../fixtures/install/mini-bundle", import.meta.url));
/** A rendered object, with the pod spec parts of a Deployment these tests read. */
type Obj = {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: { template?: { spec?: { containers: { args: string[]; image: string }[]; tolerations: { key: string }[] } } };
};
const objects = (text: string) =>
  parseAllDocuments(text)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null);

describe("flux install flags", () => {
  it("parses pflag-style booleans, slices and enums", async () => {
    const res = await runCli([
      "install",
      "--export",
      "--manifests",
      MINI,
      "--network-policy=false",
      "--watch-all-namespaces=false",
      "--log-level=debug",
      "--components",
      "source-controller",
      "--components=kustomize-controller",
      "--components-extra",
      "image-reflector-controller,image-automation-controller",
      "--toleration-keys",
      "a",
      "--toleration-keys=b,c",
      "--cluster-domain",
      "k.local",
      "--registry",
      "",
      "-n",
      "gitops",
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toBe("");
    expect(res.stdout).toContain(
      "# Components: source-controller,kustomize-controller,image-reflector-controller,image-automation-controller\n",
    );
    const objs = objects(res.stdout);
    expect(objs.some((o) => o.kind === "NetworkPolicy")).toBe(false);
    const deployments = objs.filter((o) => o.kind === "Deployment");
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([
      "image-automation-controller",
      "image-reflector-controller",
      "kustomize-controller",
      "source-controller",
    ]);
    const sc = must(
      deployments.find((d) => d.metadata.name === "source-controller")?.spec?.template?.spec,
      "source-controller's pod spec",
    );
    expect(sc.containers[0]?.args.slice(0, 3)).toEqual([
      "--events-addr=",
      "--watch-all-namespaces=false",
      "--log-level=debug",
    ]);
    expect(sc.containers[0]?.args[6]).toBe("--storage-adv-addr=source-controller.$(RUNTIME_NAMESPACE).svc.k.local.");
    expect(sc.containers[0]?.image).toBe("fluxcd/source-controller:v1.0.0");
    expect(sc.tolerations.map((t) => t.key)).toEqual(["a", "b", "c"]);
    expect(deployments.every((d) => d.metadata.namespace === "gitops")).toBe(true);
  });

  it("rejects unknown flags and arguments like cobra", async () => {
    const a = await runCli(["install", "--export", "--manifests", MINI, "--log-level", "verbose"]);
    expect(a.code).toBe(1);
    expect(a.stderr).toBe(
      `✗ invalid argument "verbose" for "--log-level" flag: unsupported log level 'verbose', must be one of: debug, info, error\n`,
    );
    const b = await runCli(["install", "--export", "--network-policy=maybe"]);
    expect(b.code).toBe(1);
    expect(b.stderr).toContain(`invalid argument "maybe" for "--network-policy" flag`);
    const c = await runCli(["uninstall", "extra-arg"]);
    expect(c.code).toBe(1);
    expect(c.stdout).toBe("");
  });
});

describe("flux install --export golden file", () => {
  it("matches test/golden/tsflux/install/mini-export.yaml byte for byte", async () => {
    const { readFileSync } = await import("node:fs");
    const golden = readFileSync(new URL("../../golden/tsflux/install/mini-export.yaml", import.meta.url), "utf8");
    const res = await runCli([
      "install",
      "--export",
      "--manifests",
      MINI,
      "--version",
      "v2.9.5",
      "--components-extra",
      "source-watcher",
      "--toleration-keys",
      "dedicated",
      "--image-pull-secret",
      "regcred",
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toBe(golden);
  });
});

describe("flux install without --manifests", () => {
  it("uses the verified per-version cache, and names the URL and --manifests when it must download", async () => {
    const { cpSync, mkdtempSync, rmSync, writeFileSync } = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const cache = mkdtempSync(path.join(os.tmpdir(), "tsflux-cache-"));
    const saved = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = cache;
    try {
      const dir = path.join(cache, "tsflux", "manifests", "v2.9.3");
      cpSync(MINI, dir, { recursive: true });
      writeFileSync(path.join(dir, ".tsflux-complete"), "sha256:test\n");
      const hit = await runCli(["install", "--export", "--version", "v2.9.3"]);
      expect(hit.code, hit.stderr).toBe(0);
      expect(hit.stdout).toContain("# Flux Version: v2.9.3\n");
      expect(hit.stdout).toContain("image: ghcr.io/fluxcd/source-controller:v1.0.0\n");

      // Not cached: a download is attempted (offline here; online the release does not exist).
      const miss = await runCli(["install", "--export", "--version", "v2.9.999", "--timeout", "5s"]);
      expect(miss.code).toBe(1);
      expect(miss.stdout).toBe("");
      expect(miss.stderr).toMatch(
        /^✗ failed to download manifests\.tar\.gz from https:\/\/github\.com\/fluxcd\/flux2\/releases\/download\/v2\.9\.999\/manifests\.tar\.gz, error: .*pass the directory with --manifests\n$/,
      );
    } finally {
      if (saved === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = saved;
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
