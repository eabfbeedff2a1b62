// flux export <kind> [name] / --all: clean manifests of live objects.
import type { Command } from "commander";
import { boolFlag } from "../../src/cli/flags.js";
import { bindVerb, subgroup } from "../shared/kinds.js";

const SOURCES = "Export sources";

export function register(program: Command): void {
  const group = program.command("export").description("Export resources in YAML format");
  boolFlag(group, "--all", "select all resources");
  // Declared once on `export source`, as upstream's persistent flag: every source kind
  // takes it; kinds without a secretRef (HelmChart) have no Secret to add.
  boolFlag(subgroup(group, "source", SOURCES), "--with-credentials", "include credential secrets");
  bindVerb(group, {
    describe: (k) => `Export ${k.kind} ${k.section === "source" ? "sources" : "resources"} in YAML format`,
    args: "[name...]",
    groups: { source: SOURCES, image: "Export image automation objects", artifact: "Export artifact objects" },
    options: (inv, kind) => ({
      kind,
      names: inv.args,
      all: inv.bool("all"),
      withCredentials: inv.bool("withCredentials"),
    }),
    engine: async () => (await import("../../src/ops/run.js")).runExport,
  });
}
