// flux get: one sub-command per registry kind, plus `all`, `sources all`, `images all`.
import { Option, type Command } from "commander";
import { bind } from "../../src/cli/action.js";
import { boolFlag, outputFlag } from "../../src/cli/flags.js";
import { kindsWithVerb } from "../../src/kinds/registry.js";
import { subgroup } from "../shared/kinds.js";

export function register(program: Command): void {
  const group = program
    .command("get")
    .description("Get the resources and their status")
    .summary("Get the resources and their status");
  boolFlag(group, "-A, --all-namespaces", "list the requested object(s) across all namespaces");
  group.addOption(new Option("--no-header", "skip the header when printing the results"));
  boolFlag(group, "-w, --watch", "After listing/getting the requested object, watch for changes.");
  group.option(
    "--status-selector <string>",
    "specify the status condition name and the desired state to filter the get result, e.g. ready=false",
  );
  group.option("-l, --label-selector <string>", "filter the objects by label selector, e.g. app=podinfo");
  outputFlag(group, "print the objects as a List in this format instead of a table", ["table", "json", "yaml"]);
  boolFlag(
    group,
    "--show-managed-fields",
    "keep metadata.managedFields in -o json|yaml (left out by default, as kubectl does)",
  );

  const bindGet = (cmd: Command, selector: string) =>
    bind(cmd, {
      options: (inv) => ({
        selector,
        name: inv.args[0],
        allNamespaces: inv.bool("allNamespaces"),
        noHeader: inv.value("header") === false || inv.bool("noHeader"),
        statusSelector: inv.opt("statusSelector"),
        labelSelector: inv.opt("labelSelector"),
        watch: inv.bool("watch"),
        output: inv.opt("output"),
        showSource: inv.bool("showSource"),
        showManagedFields: inv.bool("showManagedFields"),
      }),
      engine: async () => (await import("../../src/ops/get.js")).runGet,
    });

  bindGet(group.command("all [name]").description("Get all resources and statuses"), "all");
  const groups: Record<string, { description: string; aliases: string[]; all?: string }> = {
    sources: { description: "Get source statuses", aliases: ["source"], all: "Get all source statuses" },
    images: { description: "Get image automation object status", aliases: ["image"], all: "Get all image statuses" },
    artifacts: { description: "Get artifact object status", aliases: ["artifact"] },
  };
  for (const k of kindsWithVerb("get")) {
    let parent = group;
    const [groupName, ...rest] = k.getCli;
    if (groupName !== undefined && rest.length > 0) {
      const g = groups[groupName];
      if (!g) throw new Error(`get: kind ${k.kind} names the unknown group ${groupName}`);
      parent = subgroup(group, groupName, g.description, g.aliases);
      if (g.all && !parent.commands.some((c) => c.name() === "all"))
        bindGet(parent.command("all [name]").description(g.all), `${groupName} all`);
    }
    const leaf = parent.command(`${k.getCli[k.getCli.length - 1]} [name]`).description(k.getShort);
    for (const a of k.getAliases) leaf.alias(a);
    if (k.showSource) boolFlag(leaf, "--show-source", `show the source reference for each ${k.humanKind}`);
    bindGet(leaf, k.kind);
  }
}
