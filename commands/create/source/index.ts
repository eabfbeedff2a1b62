// flux create source git|helm|oci|bucket|chart
import type { Command } from "commander";
import { registerSubcommands } from "../../../src/cli/program.js";
import { durationFlag } from "../../../src/cli/flags.js";
import { register as bucket } from "./bucket.js";
import { register as chart } from "./chart.js";
import { register as git } from "./git.js";
import { register as helm } from "./helm.js";
import { register as oci } from "./oci.js";

export function register(create: Command): void {
  const source = create.command("source").description("Create or update sources");
  durationFlag(
    source,
    "--fetch-timeout <duration>",
    "set a timeout for fetch operations performed by source-controller (e.g. 'git clone' or 'helm repo update')",
  );
  registerSubcommands(source, [
    ["git", git],
    ["helm", helm],
    ["oci", oci],
    ["bucket", bucket],
    ["chart", chart],
  ]);
}
