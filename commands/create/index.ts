// flux create ...: one file per subcommand, each declaring upstream's flags (names,
// defaults, help texts) and mapping them to its engine's typed options in src/create.
import type { Command } from "commander";
import { registerSubcommands } from "../../src/cli/program.js";
import { boolFlag, durationFlag, sliceFlag } from "../../src/cli/flags.js";
import { register as alert } from "./alert.js";
import { register as alertProvider } from "./alert-provider.js";
import { register as helmrelease } from "./helmrelease.js";
import { register as image } from "./image/index.js";
import { register as kustomization } from "./kustomization.js";
import { register as receiver } from "./receiver.js";
import { register as secret } from "./secret/index.js";
import { register as source } from "./source/index.js";
import { register as tenant } from "./tenant.js";

export function register(program: Command): void {
  const create = program.command("create").description("Create or update sources and resources");
  durationFlag(create, "--interval <duration>", "source sync interval", "1m0s");
  boolFlag(create, "--export", "export in YAML format to stdout");
  sliceFlag(
    create,
    "--label <strings>",
    "set labels on the resource (can specify multiple labels with commas: label1=value1,label2=value2)",
  );
  registerSubcommands(create, [
    ["source", source],
    ["kustomization", kustomization],
    ["helmrelease", helmrelease],
    ["image", image],
    ["alert", alert],
    ["alert-provider", alertProvider],
    ["receiver", receiver],
    ["tenant", tenant],
    ["secret", secret],
  ]);
}
