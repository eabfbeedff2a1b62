// flux export <kind> [name] / --all: clean manifests of live objects.
import type { Command } from "commander";
import { boolFlag } from "../../src/cli/flags.js";
import { bindVerb } from "../shared/kinds.js";

export function register(program: Command): void {
  const group = program.command("export").description("Export resources in YAML format");
  boolFlag(group, "--all", "select all resources");
  bindVerb(group, {
    describe: (k) => `Export ${k.kind} ${k.section === "source" ? "sources" : "resources"} in YAML format`,
    args: "[name...]",
    groups: { source: "Export sources", image: "Export image automation objects" },
    flags: (cmd, k) => {
      if (k.exportsCredentials) {
        boolFlag(cmd, "--with-credentials", "include credential secrets");
      }
    },
    options: (inv, kind) => ({
      kind,
      names: inv.args,
      all: inv.bool("all"),
      withCredentials: inv.bool("withCredentials"),
    }),
    engine: async () => (await import("../../src/ops/run.js")).runExport,
  });
}
