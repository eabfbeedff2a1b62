// flux create image repository|policy|update
import type { Command } from "commander";
import { registerSubcommands } from "../../../src/cli/program.js";
import { register as policy } from "./policy.js";
import { register as repository } from "./repository.js";
import { register as update } from "./update.js";

export function register(create: Command): void {
  const image = create.command("image").description("Create or update resources dealing with image automation");
  registerSubcommands(image, [
    ["repository", repository],
    ["policy", policy],
    ["update", update],
  ]);
}
