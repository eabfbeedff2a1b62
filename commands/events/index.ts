// flux events [--for Kind[/name]] [--types Normal,Warning] [-A] [-w]
import type { Command } from "commander";
import { boolFlag, outputFlag, sliceFlag } from "../../src/cli/flags.js";
import { bind } from "../../src/cli/action.js";

export function register(program: Command): void {
  const cmd = program.command("events").description("Display Kubernetes events for Flux resources");
  boolFlag(cmd, "-A, --all-namespaces", "display events from Flux resources across all namespaces");
  boolFlag(cmd, "-w, --watch", "indicate if the events should be streamed");
  cmd.option("--for <string>", "get events for a particular object");
  sliceFlag(cmd, "--types <strings>", "filter events for certain types (valid types are: Normal, Warning)");
  outputFlag(cmd, "print the events as a List in this format instead of a table", ["table", "json", "yaml"]);
  bind(cmd, {
    options: (inv) => ({
      allNamespaces: inv.bool("allNamespaces"),
      for: inv.opt("for"),
      types: inv.list("types"),
      watch: inv.bool("watch"),
      output: inv.opt("output"),
    }),
    engine: async () => (await import("../../src/ops/events.js")).runEvents,
  });
}
